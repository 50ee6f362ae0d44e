"""Four receiver processes on one Redis: each event's handlers run once, whatever happens.

Each worker is a real uvicorn process serving `create_app` with a RedisEventStore
(tests/redis_support/webhook_app.py); handlers count their effects in a second
Redis, so that stopping the store's Redis does not lose the count.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis
from redis_support.server import RedisServer, free_port, running_server

from stripe_async.webhooks import generate_test_header

pytestmark = pytest.mark.scaleout

TESTS = Path(__file__).parent
LEASE = 2.0
SLOWER = 2.5 * LEASE  # a live handler's first run, well within its 30 s deadline
SECRET = "whsec_test_scaleout"


class Workers:
    def __init__(self, store: RedisServer, effects: RedisServer) -> None:
        self.store, self.effects = store, effects
        self.ports = [free_port() for _ in range(4)]
        env = {
            **os.environ,
            "STORE_URL": store.url,
            "EFFECTS_URL": effects.url,
            "PREFIX": "workers:",
            "LEASE": str(LEASE),
            "SLOW_SECONDS": "60",
            "SLOWER_SECONDS": str(SLOWER),
            "WEBHOOK_SECRET": SECRET,
        }
        app = ["-m", "uvicorn", "redis_support.webhook_app:app", "--app-dir", str(TESTS)]
        quiet = ["--log-level", "critical", "--no-access-log"]
        self.processes = [
            subprocess.Popen(
                [sys.executable, *app, "--host", "127.0.0.1", "--port", str(port), *quiet],
                env=env,
            )
            for port in self.ports
        ]
        deadline = time.monotonic() + 60
        for port in self.ports:
            while True:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/health/integrations/stripe")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "a worker did not start"
                    time.sleep(0.1)

    def url(self, worker: int) -> str:
        return f"http://127.0.0.1:{self.ports[worker % 4]}/webhooks/stripe"

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def effects_redis() -> Iterator[RedisServer]:
    yield from running_server()


@pytest.fixture(scope="module")
def store_redis() -> Iterator[RedisServer]:
    yield from running_server()


@pytest.fixture(scope="module")
def workers(store_redis: RedisServer, effects_redis: RedisServer) -> Iterator[Workers]:
    pool = Workers(store_redis, effects_redis)
    yield pool
    pool.close()


def signed_event(event_id: str, event_type: str = "test.effect") -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": None,
            "created": 1_700_000_000,
            "data": {"object": {"id": f"obj_{event_id}", "object": "test_object"}},
            "livemode": False,
            "pending_webhooks": 1,
            "request": None,
            "type": event_type,
        }
    ).encode()
    return body, {"stripe-signature": generate_test_header(body, SECRET)}


async def deliver(
    http: httpx.AsyncClient, url: str, event_id: str, statuses: list[int], *, retry: bool = True
) -> int:
    """POST one delivery; like Stripe, retry (here: soon) until a 2xx when `retry`."""
    body, headers = signed_event(event_id)
    while True:
        status = (await http.post(url, content=body, headers=headers)).status_code
        statuses.append(status)
        if 200 <= status < 300 or not retry:
            return status
        await asyncio.sleep(0.05)


async def counts(effects: RedisServer, field: str = "effects") -> dict[str, int]:
    client = aioredis.Redis.from_url(effects.url, decode_responses=True)
    try:
        return {k: int(v) for k, v in (await client.hgetall(field)).items()}
    finally:
        await client.aclose()


async def test_each_of_1000_events_delivered_3_times_to_different_workers_runs_once(
    workers: Workers,
) -> None:
    ids = [f"evt_once_{n:04d}" for n in range(1000)]
    statuses: list[int] = []
    gate = asyncio.Semaphore(48)

    async def three_copies(http: httpx.AsyncClient, n: int, event_id: str) -> None:
        async def copy(k: int) -> None:
            async with gate:
                await deliver(http, workers.url(n + k), event_id, statuses)

        await asyncio.gather(copy(0), copy(1), copy(2))

    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await asyncio.gather(*(three_copies(http, n, i) for n, i in enumerate(ids)))
    effects = await counts(workers.effects)
    assert {i: effects.get(i) for i in ids} == dict.fromkeys(ids, 1)
    assert statuses.count(200) == 3000  # every copy acknowledged in the end
    assert set(statuses) <= {200, 409}


async def test_redis_stopped_mid_run_is_503_nothing_marked_then_all_handled_once(
    workers: Workers,
) -> None:
    before = [f"evt_before_{n}" for n in range(20)]
    during = [f"evt_during_{n}" for n in range(20)]
    async with httpx.AsyncClient(timeout=30) as http:
        statuses: list[int] = []
        await asyncio.gather(
            *(deliver(http, workers.url(n), i, statuses) for n, i in enumerate(before))
        )
        workers.store.stop()
        down: list[int] = []
        await asyncio.gather(
            *(deliver(http, workers.url(n), i, down, retry=False) for n, i in enumerate(during))
        )
        assert down == [503] * 20
        assert not set(during) & set(await counts(workers.effects, "started"))  # nothing ran
        workers.store.start()  # back on the same port
        await asyncio.gather(
            *(deliver(http, workers.url(n + 1), i, statuses) for n, i in enumerate(during))
        )
    effects = await counts(workers.effects)
    assert [effects.get(i) for i in before + during] == [1] * 40


async def test_a_live_worker_slower_than_its_lease_keeps_the_event_to_itself(
    workers: Workers,
) -> None:
    body, headers = signed_event("evt_slower", "test.slower_than_lease")
    async with httpx.AsyncClient(timeout=60) as http:
        first = asyncio.create_task(http.post(workers.url(2), content=body, headers=headers))
        deadline = time.monotonic() + 30
        while (await counts(workers.effects, "started")).get("evt_slower") != 1:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
        began = time.monotonic()
        # Redeliveries to two other workers, past the lease and until shortly before
        # the first run ends: the renewed claim refuses every one.
        during = []
        while time.monotonic() - began < SLOWER - 1.0:
            url = workers.url(1 if len(during) % 2 else 3)
            during.append((await http.post(url, content=body, headers=headers)).status_code)
            await asyncio.sleep(0.25)
        assert (await first).status_code == 200
        after = await http.post(workers.url(1), content=body, headers=headers)
    assert len(during) >= 8 and set(during) == {409}, during
    assert after.status_code == 200
    assert (await counts(workers.effects, "started"))["evt_slower"] == 1
    assert (await counts(workers.effects))["evt_slower"] == 1


async def test_a_worker_killed_mid_handler_loses_its_claim_and_the_event_runs_once(
    workers: Workers,
) -> None:
    body, headers = signed_event("evt_killed", "test.slow")
    async with httpx.AsyncClient(timeout=60) as http:
        first = asyncio.create_task(http.post(workers.url(0), content=body, headers=headers))
        deadline = time.monotonic() + 30
        while (await counts(workers.effects, "started")).get("evt_killed") != 1:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
        os.kill(workers.processes[0].pid, signal.SIGKILL)
        with pytest.raises(httpx.TransportError):
            await first
        # Redeliveries to another worker: refused (409) while the dead claim's lease
        # runs, then handled (the handler is slow on its first run only).
        replies = []
        while True:
            reply = await http.post(workers.url(1), content=body, headers=headers)
            replies.append(reply.status_code)
            if reply.status_code != 409:
                break
            await asyncio.sleep(0.2)
    assert replies[-1] == 200 and set(replies[:-1]) == {409}
    assert (await counts(workers.effects, "started"))["evt_killed"] == 2
    assert (await counts(workers.effects))["evt_killed"] == 1
