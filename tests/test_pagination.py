"""AsyncPager: first page on await, every item on async for, never an endless loop."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx

from stripe_async import StripeClient
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
