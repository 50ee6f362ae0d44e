"""Pagers: `await` one for the first page, `async for` it for every item."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping, Sequence
from functools import partial
from typing import Any, Generic, TypeVar, cast

from ._loops import Background, RunCancelled
from .errors import InvalidArgumentError
from .models._base import ListObject, SearchResult

T = TypeVar("T")
R = TypeVar("R")
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
    follow = getattr(page, "next_page_params", None)
    if callable(follow):  # a v2 page links to the next one itself
        return cast("dict[str, Any] | None", follow(params))
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


class _Walk(Generic[T, R]):
    """The async iterator behind `async for` and `pages()`.

    A class rather than an async generator so that an abandoned walk (a `break`,
    an exception in the loop body, garbage collection) cancels its prefetch at
    once instead of whenever the loop gets round to finalising a generator.
    """

    def __init__(self, pager: AsyncPager[T], *, items: bool, prefetch: bool) -> None:
        self._fetch = pager._fetch
        self._params = dict(pager._params)
        self._backwards = pager._backwards
        self._items_mode = items
        self._prefetch = prefetch
        self._started = False
        self._following: dict[str, Any] | None = None
        self._pending: Background[ListObject[T] | SearchResult[T]] | None = None
        self._items: Sequence[T] = ()
        self._index = 0
        self._finished = False

    def __aiter__(self) -> _Walk[T, R]:
        return self

    async def __anext__(self) -> R:
        if self._finished:
            raise StopAsyncIteration
        try:
            if not self._items_mode:
                page = await self._next_page()
                self._start_prefetch()
                return cast(R, page)
            while self._index >= len(self._items):
                page = await self._next_page()
                self._items = page.data[::-1] if self._backwards else page.data
                self._index = 0
            # Item iteration asks for the next page halfway through this one, so
            # a caller who stops after the first few items costs no extra request.
            if self._index == len(self._items) // 2:
                self._start_prefetch()
            item = self._items[self._index]
            self._index += 1
            return cast(R, item)
        except BaseException:
            self._stop()
            raise

    async def _next_page(self) -> ListObject[T] | SearchResult[T]:
        if not self._started:
            self._started = True
        elif self._following is None:
            self._stop()
            raise StopAsyncIteration
        else:
            self._params = self._following
        pending, self._pending = self._pending, None
        page = None
        if pending is not None:
            # A prefetch cancelled from outside (its loop shutting down) is retried here.
            with contextlib.suppress(RunCancelled):
                page = await pending.result()
        if page is None:
            page = await self._fetch(self._params)
        self._following = next_page_params(page, self._params)
        return page

    def _start_prefetch(self) -> None:
        following = self._following
        if self._prefetch and following is not None and self._pending is None:
            self._pending = Background(partial(self._fetch, following))

    def _stop(self) -> None:
        self._finished = True
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    async def aclose(self) -> None:
        """Stop walking; a page request still in flight is cancelled (and awaited)."""
        pending = self._pending
        self._stop()
        if pending is not None:
            await pending.aclose()

    def __del__(self) -> None:
        pending = getattr(self, "_pending", None)
        if pending is not None:
            pending.cancel()


class AsyncPager(Generic[T]):
    """Lazily pages through a list or search endpoint.

    - `await pager` returns the first page (`.data`, `.has_more`).
    - `async for item in pager` yields every item across pages.
    - `async for page in pager.pages()` yields whole pages.
    - `await pager.to_list(limit=...)` collects items, fetching no page it does not need.

    With `prefetch=True` (the default) the next page is requested while the caller
    is still working through the current one, hiding a round trip per page. Item
    iteration starts that request halfway through a page, so a caller who stops
    early (`break` after the first few items) costs no extra request, and leaving
    the loop cancels a request already in flight. Works under asyncio and trio.
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

    def pages(self) -> AsyncIterator[ListObject[T] | SearchResult[T]]:
        """Yield each page in turn until the endpoint says there are no more."""
        return _Walk[T, "ListObject[T] | SearchResult[T]"](
            self, items=False, prefetch=self.prefetch
        )

    def __aiter__(self) -> AsyncIterator[T]:
        # Walking backwards (ending_before) reverses each page so the order stays
        # consistent from the cursor outwards.
        return _Walk[T, T](self, items=True, prefetch=self.prefetch)

    async def to_list(self, limit: int | None = None) -> list[T]:
        """Collect items (at most `limit`) into a list.

        Pages are fetched one after another, and only while more items are wanted:
        nothing is done between pages that a prefetch could overlap with.
        """
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise TypeError("limit must be an int or None")
        if limit is not None and limit < 0:
            raise InvalidArgumentError("limit must be zero or more")
        items: list[T] = []
        if limit == 0:
            return items
        async for page in _Walk[T, "ListObject[T] | SearchResult[T]"](
            self, items=False, prefetch=False
        ):
            data = page.data[::-1] if self._backwards else page.data
            items.extend(data if limit is None else data[: limit - len(items)])
            if limit is not None and len(items) >= limit:
                break
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
