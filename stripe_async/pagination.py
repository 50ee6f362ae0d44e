"""Pagers: `await` one for the first page, `async for` it for every item."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

from .models._base import ListObject, SearchResult

T = TypeVar("T")
Page = ListObject[T] | SearchResult[T]
FetchPage = Callable[[dict[str, Any]], Awaitable["ListObject[T] | SearchResult[T]"]]

__all__ = ["AsyncPager", "ListPager", "SearchPager", "next_page_params"]


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

    With `prefetch=True` (the default) the next page is requested while the caller
    is still working through the current one, hiding a round trip per page. Item
    iteration starts that request halfway through a page, so a caller who stops
    early (`break` after the first few items) costs no extra request.
    """

    def __init__(
        self, fetch: FetchPage[T], params: Mapping[str, Any], *, prefetch: bool = True
    ) -> None:
        self._fetch = fetch
        self._params = dict(params)
        self.prefetch = prefetch

    def __await__(self) -> Generator[Any, None, ListObject[T] | SearchResult[T]]:
        return self._fetch(dict(self._params)).__await__()

    @property
    def _backwards(self) -> bool:
        return self._params.get("ending_before") is not None

    async def _walk(
        self, *, split_pages: bool
    ) -> AsyncIterator[ListObject[T] | SearchResult[T] | T]:
        """Yield pages (split_pages=False) or items, prefetching as configured."""
        params = dict(self._params)
        page = await self._fetch(params)
        pending: asyncio.Future[ListObject[T] | SearchResult[T]] | None = None
        try:
            while True:
                following = next_page_params(page, params)

                def start_prefetch(following: dict[str, Any] | None = following) -> None:
                    nonlocal pending
                    if following is not None and self.prefetch and pending is None:
                        pending = asyncio.ensure_future(self._fetch(following))

                if not split_pages:
                    start_prefetch()
                    yield page
                else:
                    items: Sequence[T] = page.data[::-1] if self._backwards else page.data
                    halfway = len(items) // 2
                    for index, item in enumerate(items):
                        if index == halfway:
                            start_prefetch()
                        yield item
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

    def pages(self) -> AsyncIterator[ListObject[T] | SearchResult[T]]:
        """Yield each page in turn until the endpoint says there are no more."""
        return cast(AsyncIterator["ListObject[T] | SearchResult[T]"], self._walk(split_pages=False))

    def __aiter__(self) -> AsyncIterator[T]:
        # Walking backwards (ending_before) reverses each page so the order stays
        # consistent from the cursor outwards.
        return cast(AsyncIterator[T], self._walk(split_pages=True))

    async def to_list(self, limit: int | None = None) -> list[T]:
        """Collect items (at most `limit`) into a list."""
        items: list[T] = []
        async for item in self:
            if limit is not None and len(items) >= limit:
                break
            items.append(item)
        return items


class ListPager(AsyncPager[T]):
    """The pager of a list endpoint: `await` gives a `ListObject[T]`."""

    def __await__(self) -> Generator[Any, None, ListObject[T]]:
        return cast(Generator[Any, None, ListObject[T]], super().__await__())

    def pages(self) -> AsyncIterator[ListObject[T]]:
        return cast(AsyncIterator[ListObject[T]], super().pages())


class SearchPager(AsyncPager[T]):
    """The pager of a search endpoint: `await` gives a `SearchResult[T]`."""

    def __await__(self) -> Generator[Any, None, SearchResult[T]]:
        return cast(Generator[Any, None, SearchResult[T]], super().__await__())

    def pages(self) -> AsyncIterator[SearchResult[T]]:
        return cast(AsyncIterator[SearchResult[T]], super().pages())
