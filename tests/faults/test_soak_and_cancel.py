"""Long runs and cancellation leave no connections, tasks or memory behind.

The soak serves requests from 500 concurrent tasks: 5,000 by default, so that
it takes ~10 s of CI time even under coverage; set STRIPE_ASYNC_SOAK_REQUESTS=10000
(at least 5,000, in multiples of 1,000) for the full run the issue asks for.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import tracemalloc
from typing import TYPE_CHECKING

import httpx

from stripe_async import StripeClient

if TYPE_CHECKING:
    from conftest import FaultServer, InstantSleep

SOAK_REQUESTS = max(5000, int(os.environ.get("STRIPE_ASYNC_SOAK_REQUESTS", "5000")))
SOAK_TASKS = 500
ROUND = 1000
#: Memory 1,000 requests may add to what stays alive (measured noise: a few KB).
MEMORY_SLACK = 96 * 1024


def pool_connections(client: StripeClient) -> list[object]:
    transport = client._requester.http_client._transport
    assert isinstance(transport, httpx.AsyncHTTPTransport)
    return list(transport._pool.connections)


def pool_waiting(client: StripeClient) -> int:
    transport = client._requester.http_client._transport
    assert isinstance(transport, httpx.AsyncHTTPTransport)
    return len(transport._pool._requests)


async def test_soak_leaves_no_connections_tasks_or_memory_growth(
    fault_server: FaultServer,
) -> None:
    fault_server.record = False
    tasks_before = asyncio.all_tasks()
    client = StripeClient("sk_test_soak", base_url=fault_server.base_url, rate_limit=None)

    async def one_round() -> None:
        queue = iter(range(ROUND))

        async def worker() -> None:
            for _ in queue:
                balance = await client.balance.retrieve()
                assert balance.livemode is False

        await asyncio.gather(*(worker() for _ in range(SOAK_TASKS)))

    async def growth_over_one_round() -> int:
        # Trace two rounds; what the second adds to what the first left alive is what
        # 1,000 requests leak (the first round's churn is freed by then).
        gc.collect()
        tracemalloc.start()
        try:
            await one_round()
            gc.collect()
            before = tracemalloc.get_traced_memory()[0]
            await one_round()
            gc.collect()
            return tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()

    rounds = SOAK_REQUESTS // ROUND
    await one_round()  # the first thousand: pools, caches, lazily built validators
    gc.collect()
    blocks_after_first = sys.getallocatedblocks()
    for _ in range(rounds - 3):
        await one_round()
    growth_of_last = await growth_over_one_round()
    gc.collect()
    blocks_after_last = sys.getallocatedblocks()

    assert fault_server.requests_served == rounds * ROUND
    print(f"leak check: blocks {blocks_after_first} -> {blocks_after_last}, {growth_of_last} B")
    # Flat from the first thousand to the last (a leak of one object per request
    # would add 8,000 blocks), and the last thousand adds nothing measurable.
    assert blocks_after_last - blocks_after_first < 2000
    assert growth_of_last < MEMORY_SLACK, growth_of_last
    # Connections were reused, not opened per request.
    assert fault_server.total_connections <= SOAK_REQUESTS // 5
    await client.aclose()
    assert pool_connections(client) == []
    await fault_server.wait_idle()
    assert fault_server.open_connections == 0
    assert asyncio.all_tasks() - tasks_before == set()


async def test_cancelled_request_leaves_the_client_usable_and_the_pool_clean(
    fault_server: FaultServer,
) -> None:
    async with StripeClient(
        "sk_test_cancel", base_url=fault_server.base_url, rate_limit=None
    ) as client:
        stuck = asyncio.ensure_future(client._requester.request("GET", "/v1/hold"))
        await asyncio.wait_for(fault_server.held.wait(), 5)
        stuck.cancel()
        await asyncio.gather(stuck, return_exceptions=True)
        assert stuck.cancelled()

        # The half-finished connection is dropped, not handed to the next request.
        await fault_server.wait_idle()
        assert fault_server.open_connections == 0
        assert pool_connections(client) == []
        assert pool_waiting(client) == 0

        balances = await asyncio.gather(*(client.balance.retrieve() for _ in range(20)))
        assert len(balances) == 20
        assert pool_waiting(client) == 0
        assert all(c.is_idle() for c in pool_connections(client))  # type: ignore[attr-defined]


async def test_cancelling_many_requests_mid_flight_and_in_backoff(
    fault_server: FaultServer, instant_sleep: InstantSleep
) -> None:
    # Half the creates sit in a (real) backoff sleep after a 500, half in flight.
    fault_server.force_kind = "status_500"
    fault_server.force_count = 1
    slept = asyncio.Event()

    async def slow_sleep(delay: float) -> None:
        slept.set()
        await asyncio.sleep(60)

    async with StripeClient(
        "sk_test_cancel", base_url=fault_server.base_url, rate_limit=None, sleep=slow_sleep
    ) as client:
        creates = [
            asyncio.ensure_future(client.payment_intents.create(amount=100, currency="usd"))
            for _ in range(50)
        ]
        holds = [
            asyncio.ensure_future(client._requester.request("GET", "/v1/hold")) for _ in range(50)
        ]
        await asyncio.wait_for(slept.wait(), 5)
        await asyncio.wait_for(fault_server.held.wait(), 5)
        for task in creates + holds:
            task.cancel()
        await asyncio.gather(*creates, *holds, return_exceptions=True)
        assert all(t.cancelled() for t in creates + holds)
        assert pool_waiting(client) == 0

        fault_server.force_kind = None
        fault_server.release.set()
        more = await asyncio.gather(
            *(client.payment_intents.create(amount=200, currency="usd") for _ in range(50))
        )
        assert {pi.amount for pi in more} == {200}
        assert pool_waiting(client) == 0
        assert all(c.is_idle() for c in pool_connections(client))  # type: ignore[attr-defined]
    assert pool_connections(client) == []
    await fault_server.wait_idle()
    assert fault_server.open_connections == 0
