"""Lease renewal and handler deadlines on a real redis-server.

Two routers, each with its own RedisEventStore connection, stand for two workers.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import redis.asyncio as aioredis
from redis_support.server import RedisServer
from webhooks.webhook_helpers import SECRET, event_body, signed

from stripe_async.models import Event
from stripe_async.redis import RedisEventStore
from stripe_async.webhooks import RenewableEventStore, WebhookRouter, create_app

WEBHOOK = "/webhooks/stripe"
SLACK = 2.0  # what a slow, shared machine may add to a deadline


def receiver(router: WebhookRouter) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(router))
    return httpx.AsyncClient(transport=transport, base_url="http://receiver", timeout=30)


async def post(http: httpx.AsyncClient, event_id: str) -> httpx.Response:
    body = event_body(event_id=event_id)
    return await http.post(WEBHOOK, content=body, headers={"stripe-signature": signed(body)})


async def test_renew_extends_only_the_holders_live_claim(
    redis_server: RedisServer, prefix: str
) -> None:
    store = RedisEventStore(redis_server.url, prefix=prefix, lease=0.5)
    assert isinstance(store, RenewableEventStore)
    assert await store.claim("evt_1", "a") == "claimed"
    for _ in range(3):  # 0.9 s in all: the claim outlives its 0.5 s lease
        await asyncio.sleep(0.3)
        assert await store.renew("evt_1", "a")
    assert not await store.renew("evt_1", "b")  # not b's claim
    assert await store.claim("evt_1", "b") == "held"
    await asyncio.sleep(0.7)  # a stops renewing: the lease lapses
    assert not await store.renew("evt_1", "a")
    assert redis_server.keys(f"{prefix}*") == []  # and a failed renewal wrote nothing
    assert await store.claim("evt_1", "b") == "claimed"
    await store.aclose()


async def test_a_handler_slower_than_its_lease_never_runs_on_a_second_worker(
    redis_server: RedisServer, prefix: str
) -> None:
    # Lease 1 s, handler 3 s, redeliveries to a second worker while it runs.
    stores = [RedisEventStore(redis_server.url, prefix=prefix, lease=1.0) for _ in "ab"]
    routers = [WebhookRouter(SECRET, store=store) for store in stores]
    running: list[str] = []
    runs: list[str] = []
    overlaps: list[int] = []

    async def slow(event: Event) -> None:
        running.append(event.id)
        runs.append(event.id)
        overlaps.append(len(running))
        await asyncio.sleep(3.0)
        running.remove(event.id)

    for router in routers:
        router.add_handler("*", slow)
    async with receiver(routers[0]) as first, receiver(routers[1]) as second:
        task = asyncio.create_task(post(first, "evt_slow"))
        while not runs:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        during = []
        while time.monotonic() - started < 2.6:
            during.append((await post(second, "evt_slow")).status_code)
            await asyncio.sleep(0.2)
        assert (await task).status_code == 200
        after = await post(second, "evt_slow")
    assert len(during) >= 8 and set(during) == {409}, during
    assert after.status_code == 200 and runs == ["evt_slow"] and overlaps == [1]
    assert redis_server.get(f"{prefix}event:evt_slow") == "done"
    for store in stores:
        await store.aclose()


async def test_a_claim_taken_over_stops_the_handler(redis_server: RedisServer, prefix: str) -> None:
    store = RedisEventStore(redis_server.url, prefix=prefix, lease=1.0)
    router = WebhookRouter(SECRET, store=store)
    started = asyncio.Event()
    stopped: list[float] = []

    @router.on("*")
    async def slow(event: Event) -> None:
        started.set()
        try:
            await asyncio.sleep(30)
        finally:
            stopped.append(time.monotonic())

    key = f"{prefix}event:evt_taken"
    other = aioredis.Redis.from_url(redis_server.url)
    async with receiver(router) as http:
        task = asyncio.create_task(post(http, "evt_taken"))
        await started.wait()
        # What a lapsed lease looks like: another delivery now holds the key.
        await other.set(key, "claim:someone-else", px=10_000)
        taken = time.monotonic()
        reply = await task
    assert reply.status_code == 500 and reply.json() == {"error": "claim lost"}
    assert stopped and stopped[0] - taken < 1.0 / 3 + SLACK
    assert redis_server.get(key) == "claim:someone-else"  # its claim stands
    await other.aclose()
    await store.aclose()


async def test_a_hung_handler_is_500_and_its_redelivery_runs_afresh(
    redis_server: RedisServer, prefix: str
) -> None:
    store = RedisEventStore(redis_server.url, prefix=prefix, lease=2.0)
    router = WebhookRouter(SECRET, store=store, handler_timeout=1.0)
    runs: list[str] = []

    @router.on("*")
    async def hangs_the_first_time(event: Event) -> None:
        runs.append("started")
        if len(runs) == 1:
            await asyncio.Event().wait()
        runs.append("finished")

    async with receiver(router) as http:
        begun = time.monotonic()
        hung = await post(http, "evt_hung")
        took = time.monotonic() - begun
        assert redis_server.keys(f"{prefix}*") == []  # released, not left to its lease
        retry = await post(http, "evt_hung")
    assert hung.status_code == 500 and hung.json() == {"error": "handler timed out"}
    assert 0.9 <= took < 1.0 + SLACK, took
    assert retry.status_code == 200 and runs == ["started", "started", "finished"]
    assert redis_server.get(f"{prefix}event:evt_hung") == "done"
    await store.aclose()
