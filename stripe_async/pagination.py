"""AsyncPager: `await` it for the first page, `async for` it for every item."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping
from typing import Any, Generic, TypeVar

from .models._base import ListObject, SearchResult

T = TypeVar("T")
Page = ListObject[T] | SearchResult[T]
FetchPage = Callable[[dict[str, Any]], Awaitable["ListObject[T] | SearchResult[T]"]]


def next_page_params(
    page: ListObject[Any] | SearchResult[Any], params: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Params for the page after `page`, or None when there is none. Pure.

    Lists follow `starting_after` the last id (or `ending_before` the first id when
    the caller paged backwards); search follows `next_page`. A page without a usable
    cursor ends the walk, so a misbehaving server can never cause an endless loop.
    """
    if not page.has_more or not page.data:
        return None
    if isinstance(page, SearchResult):
        if not page.next_page or page.next_page == params.get("page"):
            return None
        return {**params, "page": page.next_page}
    if params.get("ending_before") is not None:
        cursor = getattr(page.data[0], "id", None)
        key = "ending_before"
    else:
        cursor = getattr(page.data[-1], "id", None)
        key = "starting_after"
    if not isinstance(cursor, str) or not cursor or cursor == params.get(key):
        return None
    return {**params, key: cursor}


class AsyncPager(Generic[T]):
    """Lazily pages through a list or search endpoint.

    - `await pager` returns the first page (`.data`, `.has_more`).
    - `async for item in pager` yields every item across pages.
    - `async for page in pager.pages()` yields whole pages.

    While the caller consumes one page the next is already being fetched
    (`prefetch=True`), which hides one round trip per page.
    """

    def __init__(
        self, fetch: FetchPage[T], params: Mapping[str, Any], *, prefetch: bool = True
    ) -> None:
        self._fetch = fetch
        self._params = dict(params)
        self.prefetch = prefetch

    def __await__(self) -> Generator[Any, None, ListObject[T] | SearchResult[T]]:
        return self._fetch(dict(self._params)).__await__()

    async def pages(self) -> AsyncIterator[ListObject[T] | SearchResult[T]]:
        """Yield each page in turn until the endpoint says there are no more."""
        params: dict[str, Any] | None = dict(self._params)
        pending: asyncio.Task[ListObject[T] | SearchResult[T]] | None = None
        try:
            assert params is not None
            page = await self._fetch(params)
            while True:
                following = next_page_params(page, params)
                if following is not None and self.prefetch:
                    pending = asyncio.ensure_future(self._fetch(following))
                yield page
                if following is None:
                    return
                params = following
                if pending is not None:
                    page, pending = await pending, None
                else:
                    page = await self._fetch(following)
        finally:
            if pending is not None and not pending.done():
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending

    async def __aiter__(self) -> AsyncIterator[T]:
        backwards = self._params.get("ending_before") is not None
        async for page in self.pages():
            items = reversed(page.data) if backwards else page.data
            for item in items:
                yield item

    async def to_list(self, limit: int | None = None) -> list[T]:
        """Collect items (at most `limit`) into a list."""
        items: list[T] = []
        async for item in self:
            if limit is not None and len(items) >= limit:
                break
            items.append(item)
        return items
