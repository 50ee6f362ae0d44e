"""RedisEventStore against a real redis-server: claim with a lease, shared by workers."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
import redis.asyncio as aioredis
from redis_support.server import RedisServer
from webhooks.webhook_helpers import SECRET, event_body, signed

from stripe_async.models import Event
from stripe_async.redis import RedisEventStore
from stripe_async.webhooks import (
    EventInProgressError,
    EventStore,
    EventStoreError,
    WebhookRouter,
    create_app,
)


async def test_claim_complete_release_with_a_lease(redis_server: RedisServer, prefix: str) -> None:
    store = RedisEventStore(redis_server.url, prefix=prefix, lease=0.3)
    assert isinstance(store, EventStore)
    assert await store.claim("evt_1", "a") == "claimed"
    assert await store.claim("evt_1", "b") == "held"
    await store.release("evt_1", "b")  # not b's claim: no effect
    assert await store.claim("evt_1", "b") == "held"
    await store.release("evt_1", "a")
    assert await store.claim("evt_1", "b") == "claimed"
    await asyncio.sleep(0.4)  # b dies silently; its lease runs out
    assert await store.claim("evt_1", "c") == "claimed"
    await store.release("evt_1", "b")  # too late to free c's claim
    assert await store.claim("evt_1", "d") == "held"
    await store.complete("evt_1", "c")
    assert await store.claim("evt_1", "d") == "done"
    assert await store.is_processed("evt_1") and not await store.is_processed("evt_2")
    await store.aclose()


async def test_done_ids_expire_after_the_ttl_and_keys_use_the_prefix(
    redis_server: RedisServer, prefix: str
) -> None:
    store = RedisEventStore(redis_server.url, prefix=prefix, ttl=0.3)
    assert await store.claim("evt_1", "a") == "claimed"
    await store.complete("evt_1", "a")
    assert redis_server.keys(f"{prefix}*") == [f"{prefix}event:evt_1"]
    assert redis_server.get(f"{prefix}event:evt_1") == "done"
    await asyncio.sleep(0.4)
    assert await store.claim("evt_1", "b") == "claimed"
    await store.aclose()


async def test_many_concurrent_claims_grant_exactly_one(
    redis_server: RedisServer, prefix: str
) -> None:
    # Exactly-once is under test, not latency: a loaded CI host may take over the
    # default second to open forty connections at once.
    workers = [RedisEventStore(redis_server.url, prefix=prefix, timeout=15) for _ in range(4)]
    results = await asyncio.gather(
        *(workers[n % 4].claim("evt_race", f"token{n}") for n in range(40))
    )
    assert results.count("claimed") == 1 and results.count("held") == 39
    for store in workers:
        await store.aclose()


async def test_two_routers_on_redis_run_each_event_once(
    redis_server: RedisServer, prefix: str
) -> None:
    client = aioredis.Redis.from_url(redis_server.url)
    await client.ping()
    effects: list[str] = []
    # Exactly-once is under test, not latency: sixty cold calls open their
    # connections at once, which can outlast the default second on a loaded host.
    stores = [RedisEventStore(client, prefix=prefix, timeout=15) for _ in "ab"]
    routers = [WebhookRouter(SECRET, store=store) for store in stores]

    async def handler(event: Event) -> None:
        await asyncio.sleep(0.01)
        effects.append(event.id)

    for router in routers:
        router.add_handler("*", handler)
    outcomes: list[str] = []

    async def deliver(router: WebhookRouter, event_id: str) -> None:
        body = event_body(event_id=event_id)
        while True:  # as Stripe does: retry until acknowledged
            try:
                result = await router.dispatch(body, signed(body))
            except EventInProgressError:
                outcomes.append("held")
                await asyncio.sleep(0.02)
                continue
            outcomes.append("duplicate" if result.duplicate else "ran")
            return

    ids = [f"evt_{n}" for n in range(20)]
    await asyncio.gather(*(deliver(routers[copy % 2], i) for i in ids for copy in range(3)))
    assert sorted(effects) == sorted(ids)
    assert outcomes.count("ran") == 20 and outcomes.count("duplicate") == 40
    await client.aclose()


async def test_a_redis_outage_is_503_and_nothing_is_recorded(
    own_redis: RedisServer, prefix: str
) -> None:
    store = RedisEventStore(own_redis.url, prefix=prefix, timeout=0.5)
    router = WebhookRouter(SECRET, store=store)
    ran: list[str] = []
    router.add_handler("*", lambda event: ran.append(event.id))
    app = create_app(router)
    body = event_body(event_id="evt_outage")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        own_redis.stop()
        started = time.monotonic()
        down = await c.post(
            "/webhooks/stripe", content=body, headers={"stripe-signature": signed(body)}
        )
        assert down.status_code == 503 and time.monotonic() - started < 5
        own_redis.start()  # same port, so the same URL
        up = await c.post(
            "/webhooks/stripe", content=body, headers={"stripe-signature": signed(body)}
        )
    assert up.status_code == 200 and ran == ["evt_outage"]
    await store.aclose()


async def test_a_frozen_redis_fails_within_the_timeout(own_redis: RedisServer, prefix: str) -> None:
    store = RedisEventStore(own_redis.url, prefix=prefix, timeout=0.3)
    assert await store.claim("evt_1", "a") == "claimed"  # connected before the freeze
    own_redis.pause()
    try:
        started = time.monotonic()
        with pytest.raises(EventStoreError, match="failed to complete event evt_1"):
            await store.complete("evt_1", "a")
        assert time.monotonic() - started < 3
    finally:
        own_redis.resume()
    # Works again once Redis answers. (The SET sent before the deadline may still land:
    # harmless, as the handlers had succeeded.)
    assert await store.claim("evt_2", "b") == "claimed"
    await store.aclose()


def test_one_store_serves_several_event_loops(redis_server: RedisServer, prefix: str) -> None:
    store = RedisEventStore(redis_server.url, prefix=prefix)

    async def claim(token: str) -> str:
        return await store.claim("evt_loops", token)

    assert asyncio.run(claim("a")) == "claimed"
    assert asyncio.run(claim("b")) == "held"


def test_repr_hides_the_password_and_settings_are_checked() -> None:
    store = RedisEventStore("redis://user:s3cret@cache:6380/1", lease=5)
    assert "s3cret" not in repr(store) and "cache:6380" in repr(store)
    assert "s3cret" not in repr(RedisEventStore("redis://:s3cret@cache/1"))
    with pytest.raises(ValueError, match="lease"):
        RedisEventStore("redis://localhost", lease=0)
    with pytest.raises(ValueError, match="redis://"):
        RedisEventStore("localhost:6379")
    with pytest.raises(TypeError, match=r"Redis URL or a redis\.asyncio\.Redis"):
        RedisEventStore(6379)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ttl"):
        RedisEventStore("redis://localhost", ttl="3d")  # type: ignore[arg-type]


def test_under_trio_the_store_refuses_clearly() -> None:
    trio = pytest.importorskip("trio")
    store = RedisEventStore("redis://127.0.0.1:1")

    async def claim() -> None:
        with pytest.raises(EventStoreError, match="asyncio only"):
            await store.claim("evt_1", "a")

    trio.run(claim)
