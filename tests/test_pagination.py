"""AsyncPager: first page on await, every item on async for, never an endless loop."""

from __future__ import annotations

import asyncio
import gc
import threading
from typing import Any

import anyio
import httpx
import pytest
import respx
from loop_backends import on_both_loops

from stripe_async import APIConnectionError, StripeClient
from stripe_async.models import Customer, ListObject, SearchResult
from stripe_async.pagination import AsyncPager, next_page_params


def customers(*ids: str) -> list[dict[str, Any]]:
    return [{"id": i, "object": "customer"} for i in ids]


def page(ids: list[str], has_more: bool) -> dict[str, Any]:
    return {"object": "list", "data": customers(*ids), "has_more": has_more, "url": "/v1/customers"}


def test_next_page_params_rules() -> None:
    first = ListObject[Customer].model_validate(page(["c3", "c2"], True))
    assert next_page_params(first, {"limit": 2}) == {"limit": 2, "starting_after": "c2"}
    assert next_page_params(first, {"ending_before": "c4"}) == {"ending_before": "c3"}
    last = ListObject[Customer].model_validate(page(["c1"], False))
    assert next_page_params(last, {}) is None
    empty_but_more = ListObject[Customer].model_validate(page([], True))
    assert next_page_params(empty_but_more, {}) is None
    # A server repeating the same cursor would loop forever: stop instead.
    assert next_page_params(first, {"starting_after": "c2"}) is None
    search = SearchResult[Customer].model_validate(
        {"object": "search_result", "data": customers("c1"), "has_more": True, "next_page": "tok2"}
    )
    assert next_page_params(search, {"query": "q"}) == {"query": "q", "page": "tok2"}
    assert next_page_params(search, {"query": "q", "page": "tok2"}) is None
    no_token = SearchResult[Customer].model_validate(
        {"object": "search_result", "data": customers("c1"), "has_more": True, "next_page": None}
    )
    assert next_page_params(no_token, {"query": "q"}) is None


async def test_await_gives_first_page_and_iteration_walks_all(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/customers")
    route.side_effect = [
        httpx.Response(200, json=page(["c5", "c4"], True)),
        httpx.Response(200, json=page(["c3", "c2"], True)),
        httpx.Response(200, json=page(["c1"], False)),
    ]
    first = await client.customers.list(limit=2)
    assert [c.id for c in first.data] == ["c5", "c4"] and first.has_more
    assert isinstance(first.data[0], Customer)

    route.side_effect = [
        httpx.Response(200, json=page(["c5", "c4"], True)),
        httpx.Response(200, json=page(["c3", "c2"], True)),
        httpx.Response(200, json=page(["c1"], False)),
    ]
    seen = [c.id async for c in client.customers.list(limit=2)]
    assert seen == ["c5", "c4", "c3", "c2", "c1"]
    queries = [call.request.url.query for call in route.calls][1:]
    assert queries == [b"limit=2", b"limit=2&starting_after=c4", b"limit=2&starting_after=c2"]


async def test_backwards_paging_uses_ending_before(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/customers")
    route.side_effect = [
        httpx.Response(200, json=page(["c4", "c3"], True)),
        httpx.Response(200, json=page(["c6", "c5"], False)),
    ]
    # Walking towards newer objects: each page is reversed so the order stays consistent.
    seen = [c.id async for c in client.customers.list(ending_before="c2", limit=2)]
    assert seen == ["c3", "c4", "c5", "c6"]
    assert route.calls.last.request.url.query == b"ending_before=c4&limit=2"


async def test_pages_and_to_list(client: StripeClient, api: respx.MockRouter) -> None:
    api.get("/v1/customers").side_effect = [
        httpx.Response(200, json=page(["c2"], True)),
        httpx.Response(200, json=page(["c1"], False)),
        httpx.Response(200, json=page(["c2"], True)),
        httpx.Response(200, json=page(["c1"], False)),
    ]
    pages = [p async for p in client.customers.list(limit=1).pages()]
    assert [len(p) for p in pages] == [1, 1]
    assert [c.id for c in await client.customers.list(limit=1).to_list()] == ["c2", "c1"]


async def test_breaking_out_cancels_the_prefetch() -> None:
    fetched: list[dict[str, Any]] = []
    gate = asyncio.Event()

    async def fetch(params: dict[str, Any]) -> ListObject[Customer]:
        fetched.append(params)
        if len(fetched) > 1:
            await gate.wait()  # the prefetched page never arrives
        return ListObject[Customer].model_validate(page([f"c{len(fetched)}"], True))

    pager: AsyncPager[Customer] = AsyncPager(fetch, {})
    pages = pager.pages()
    first = await pages.__anext__()
    assert [c.id for c in first.data] == ["c1"]
    await asyncio.sleep(0)
    assert len(fetched) == 2  # the next page is already on its way
    await pages.aclose()  # consumer stops: the in-flight fetch is cancelled, not leaked
    assert all(t.done() for t in asyncio.all_tasks() if t is not asyncio.current_task())


async def test_prefetch_overlaps_fetching_with_consuming() -> None:
    in_flight = 0
    peak = 0

    async def fetch(params: dict[str, Any]) -> ListObject[Customer]:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        n = int(params.get("starting_after", "c0")[1:]) + 1
        return ListObject[Customer].model_validate(page([f"c{n}"], n < 4))

    async def consume(prefetch: bool) -> list[str]:
        out = []
        async for item in AsyncPager(fetch, {}, prefetch=prefetch):
            await asyncio.sleep(0.01)  # the caller's own work per item
            out.append(item.id)
        return out

    assert await consume(prefetch=False) == ["c1", "c2", "c3", "c4"]
    assert peak == 1
    assert await consume(prefetch=True) == ["c1", "c2", "c3", "c4"]


async def test_search_requires_a_query(client: StripeClient) -> None:
    from stripe_async.resources._base import Service

    service = Service(client._requester)
    with pytest.raises(ValueError, match="query"):
        service._search("/v1/customers/search", {"query": " "}, Customer)


async def test_stopping_early_costs_no_extra_request(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/customers").respond(json=page(["c4", "c3", "c2", "c1"], True))
    async for customer in client.customers.list(limit=4):
        assert customer.id == "c4"
        break
    assert route.call_count == 1


async def test_item_iteration_prefetches_from_the_middle_of_a_page() -> None:
    requested: list[dict[str, Any]] = []

    async def fetch(params: dict[str, Any]) -> ListObject[Customer]:
        requested.append(params)
        if "starting_after" in params:
            return ListObject[Customer].model_validate(page(["c2", "c1"], False))
        return ListObject[Customer].model_validate(page(["c6", "c5", "c4", "c3"], True))

    seen: list[tuple[str, int]] = []
    async for customer in AsyncPager(fetch, {}):
        seen.append((customer.id or "", len(requested)))
        await asyncio.sleep(0)
    # The second page was requested once the caller reached the middle of the first.
    assert seen[:4] == [("c6", 1), ("c5", 1), ("c4", 1), ("c3", 2)]
    assert [c for c, _ in seen] == ["c6", "c5", "c4", "c3", "c2", "c1"]


def numbered_pages(per_page: int, pages: int) -> FetchLog:
    return FetchLog(per_page, pages)


class FetchLog:
    """A paged endpoint of `pages` pages, recording every request made of it."""

    def __init__(self, per_page: int, pages: int) -> None:
        self.per_page = per_page
        self.pages = pages
        self.requests: list[dict[str, Any]] = []

    async def __call__(self, params: dict[str, Any]) -> ListObject[Customer]:
        self.requests.append(params)
        start = int(params.get("starting_after", "c0")[1:])
        ids = [f"c{start + i + 1}" for i in range(self.per_page)]
        more = start + self.per_page < self.per_page * self.pages
        return ListObject[Customer].model_validate(page(ids, more))


@pytest.mark.parametrize(("limit", "requests"), [(10, 1), (5, 1), (11, 2), (30, 3), (0, 0)])
async def test_to_list_fetches_only_the_pages_it_needs(limit: int, requests: int) -> None:
    endpoint = numbered_pages(per_page=10, pages=5)
    items = await AsyncPager(endpoint, {"limit": 10}).to_list(limit=limit)
    assert [c.id for c in items] == [f"c{i + 1}" for i in range(limit)]
    assert len(endpoint.requests) == requests


async def test_to_list_without_a_limit_walks_everything_and_checks_the_limit() -> None:
    endpoint = numbered_pages(per_page=3, pages=3)
    assert len(await AsyncPager(endpoint, {}).to_list()) == 9
    with pytest.raises(ValueError):
        await AsyncPager(endpoint, {}).to_list(limit=-1)
    with pytest.raises(TypeError):
        await AsyncPager(endpoint, {}).to_list(limit=2.5)  # type: ignore[arg-type]


@on_both_loops
async def test_leaving_async_for_cancels_the_prefetch_on_any_loop() -> None:
    started = anyio.Event()
    cancelled = anyio.Event()

    async def fetch(params: dict[str, Any]) -> ListObject[Customer]:
        if "starting_after" in params:
            started.set()
            try:
                await anyio.sleep_forever()
            except anyio.get_cancelled_exc_class():
                cancelled.set()
                raise
        return ListObject[Customer].model_validate(page(["c4", "c3", "c2", "c1"], True))

    seen = []
    async for customer in AsyncPager(fetch, {}):
        seen.append(customer.id)
        if len(seen) == 3:  # past the middle: the next page is on its way
            await started.wait()
            break
    with anyio.fail_after(5):
        await cancelled.wait()
    assert seen == ["c4", "c3", "c2"]


@on_both_loops
async def test_a_dropped_iterator_cancels_and_aclose_waits_for_the_prefetch() -> None:
    cancelled: list[str] = []
    started = anyio.Event()

    async def fetch(params: dict[str, Any]) -> ListObject[Customer]:
        if "starting_after" in params:
            started.set()
            try:
                await anyio.sleep_forever()
            finally:
                cancelled.append(params["starting_after"])
        return ListObject[Customer].model_validate(page(["c2", "c1"], True))

    pages = AsyncPager(fetch, {}).pages()
    await pages.__anext__()
    await started.wait()
    await pages.aclose()  # type: ignore[attr-defined]
    assert cancelled == ["c1"]  # aclose returns once the request has stopped
    with pytest.raises(StopAsyncIteration):
        await pages.__anext__()

    started = anyio.Event()
    items = aiter(AsyncPager(fetch, {}))
    await items.__anext__()
    await items.__anext__()
    await started.wait()
    del items
    gc.collect()
    with anyio.fail_after(5):
        while len(cancelled) < 2:
            await anyio.sleep(0.001)


async def test_an_abandoned_prefetch_that_fails_is_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The prefetch fails before the caller leaves without asking for it: no log noise."""
    failed = asyncio.Event()
    problems: list[dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: problems.append(ctx))

    async def fetch(params: dict[str, Any]) -> ListObject[Customer]:
        if "starting_after" in params:
            failed.set()
            raise APIConnectionError("This client is closed")
        return ListObject[Customer].model_validate(page(["c2", "c1"], True))

    async for customer in AsyncPager(fetch, {}):
        if customer.id == "c1":  # the next page was requested halfway through this one
            await asyncio.wait_for(failed.wait(), 5)
            break
    await asyncio.sleep(0.01)
    gc.collect()
    await asyncio.sleep(0)
    assert problems == [] and "never retrieved" not in caplog.text


@on_both_loops
async def test_auto_paging_on_the_emulator_under_any_loop() -> None:
    async with StripeClient.for_emulator() as client:
        for n in range(25):
            await client.customers.create(email=f"c{n}@example.com")
        emails = [c.email async for c in client.customers.list(limit=10)]
        first_pages = [len(p.data) async for p in client.customers.list(limit=10).pages()]
        some = await client.customers.list(limit=10).to_list(limit=12)
    assert len(emails) == 25 and len(set(emails)) == 25
    assert first_pages == [10, 10, 5] and len(some) == 12


def test_auto_paging_under_trio_in_a_thread_without_an_asyncio_loop() -> None:
    """No asyncio loop anywhere in this thread: nothing may reach for one."""
    outcome: list[object] = []

    async def walk() -> None:
        async with StripeClient.for_emulator() as client:
            for n in range(7):
                await client.customers.create(email=f"c{n}@example.com")
            outcome.append(len([c async for c in client.customers.list(limit=2)]))

    def run() -> None:
        try:
            anyio.run(walk, backend="trio")
        except BaseException as exc:  # reported to the test thread below
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert outcome == [7]
