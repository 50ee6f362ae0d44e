"""RedisRateLimit against a real redis-server: one budget per key across processes."""

from __future__ import annotations

import bisect
import logging
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from redis_support.server import RedisServer

from stripe_async import StripeClient
from stripe_async.redis import RedisRateLimit, RedisUnavailableError

TEST_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
LIVE_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
TESTS = Path(__file__).parent


async def test_budgets_are_split_like_stripe_and_keys_are_hashed(
    redis_server: RedisServer, prefix: str
) -> None:
    policy = RedisRateLimit(redis_server.url, prefix=prefix)
    assert policy.rates_for(TEST_KEY) == {"read": 25.0, "write": 25.0, "search": 20.0}
    assert policy.rates_for(LIVE_KEY) == {"read": 100.0, "write": 100.0, "search": 20.0}
    assert RedisRateLimit(redis_server.url, rate=10).rates_for(LIVE_KEY)["search"] == 10.0
    limiter = policy.limiter_for(TEST_KEY)
    await limiter.acquire(method="GET", path="/v1/customers")
    await limiter.acquire(method="POST", path="/v1/customers")
    await limiter.acquire(method="GET", path="/v1/customers/search")
    await policy.limiter_for(LIVE_KEY).acquire(method="DELETE", path="/v1/customers/cus_1")
    keys = [key for key in redis_server.keys(f"{prefix}*") if not key.endswith(":log")]
    budgets = sorted(key.rsplit(":", 1)[1].rstrip("}") for key in keys)
    assert budgets == ["read", "search", "write", "write"]
    assert not any("4eC39HqLyjWDarjtT1zdp7dc" in key for key in keys)
    await policy.aclose()


async def test_concurrent_callers_never_exceed_the_budget(
    redis_server: RedisServer, prefix: str
) -> None:
    # What is measured is Redis granting, not the fallback: a loaded machine must
    # not turn a slow reply into a (per-process, so doubled) fallback grant.
    policies = [RedisRateLimit(redis_server.url, prefix=prefix, timeout=15) for _ in range(2)]
    limiters = [policy.limiter_for(TEST_KEY) for policy in policies]
    # Connect and load the scripts first (on another budget), so that a slow machine
    # spends none of the window below on setup.
    for limiter in limiters:
        await limiter.acquire(method="GET", path="/v1/warmup")
    granted: list[float] = []

    async def caller(n: int) -> None:
        await limiters[n % 2].acquire(method="POST", path="/v1/charges")
        granted.append(time.monotonic())

    async with anyio.create_task_group() as tg:
        for n in range(80):
            tg.start_soon(caller, n)
        # Counted from the first grant: within 0.9 s of it (less than one 1.08 s
        # admission window) at most the rate is granted, however slow the machine.
        with anyio.fail_after(10):
            while not granted:
                await anyio.sleep(0.01)
        await anyio.sleep(0.9 - (time.monotonic() - granted[0]))
        first, within = granted[0], len(granted)
        tg.cancel_scope.cancel()  # the callers still waiting are cancelled, cleanly
    assert all(stamp - first < 0.95 for stamp in granted[:within])
    assert not any(policy._degraded for policy in policies)
    assert 1 < within <= 25
    for policy in policies:
        await policy.aclose()


async def test_a_waiting_acquire_is_cancellable(redis_server: RedisServer, prefix: str) -> None:
    policy = RedisRateLimit(redis_server.url, prefix=prefix, rate=1)
    limiter = policy.limiter_for(TEST_KEY)
    await limiter.acquire(method="GET", path="/v1/a")
    started = time.monotonic()
    with anyio.move_on_after(0.2) as scope:
        await limiter.acquire(method="GET", path="/v1/a")  # the next slot is ~1 s away
    assert scope.cancelled_caught and time.monotonic() - started < 0.9
    await policy.aclose()


async def test_redis_down_falls_back_with_one_warning_then_recovers(
    own_redis: RedisServer, prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    policy = RedisRateLimit(own_redis.url, prefix=prefix, retry_after=0.2, timeout=0.5)
    limiter = policy.limiter_for(TEST_KEY)
    await limiter.acquire(method="GET", path="/v1/a")
    own_redis.stop()
    caplog.set_level(logging.WARNING, "stripe_async.redis")
    started = time.monotonic()
    for _ in range(5):
        await limiter.acquire(method="GET", path="/v1/a")  # served by the local fallback
    assert time.monotonic() - started < 3
    warnings = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(warnings) == 1 and own_redis.url.split("//")[1] in warnings[0].getMessage()
    own_redis.start()
    await anyio.sleep(0.3)
    await limiter.acquire(method="GET", path="/v1/a")
    assert any("is back" in r.getMessage() for r in caplog.records)
    assert own_redis.keys(f"{prefix}*")  # the budget lives in Redis again
    await policy.aclose()


async def test_fail_closed_raises_a_stripe_error_quickly(own_redis: RedisServer) -> None:
    policy = RedisRateLimit(own_redis.url, on_redis_error="fail", timeout=0.3)
    own_redis.pause()  # a frozen Redis: the worst case, nothing answers
    try:
        started = time.monotonic()
        with pytest.raises(RedisUnavailableError, match="fail closed"):
            await policy.limiter_for(TEST_KEY).acquire(method="GET", path="/v1/a")
        assert time.monotonic() - started < 2
    finally:
        own_redis.resume()


def test_under_trio_it_falls_back_to_the_local_limiter(
    caplog: pytest.LogCaptureFixture,
) -> None:
    trio = pytest.importorskip("trio")
    policy = RedisRateLimit("redis://127.0.0.1:1")

    async def acquire() -> None:
        for _ in range(2):
            await policy.limiter_for(TEST_KEY).acquire(method="GET", path="/v1/a")

    trio.run(acquire)
    assert [r.getMessage() for r in caplog.records if "asyncio" in r.getMessage()] == [
        "RedisRateLimit needs asyncio (redis-py); under this event loop each process uses "
        "its own limiter"
    ]


def test_settings_are_checked_and_repr_hides_the_password() -> None:
    policy = RedisRateLimit("redis://:pw-123@cache:6379/0", workers=4)
    assert "pw-123" not in repr(policy) and "key-aware" in repr(policy)
    with pytest.raises(ValueError, match="on_redis_error"):
        RedisRateLimit("redis://cache", on_redis_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="workers"):
        RedisRateLimit("redis://cache", workers=0)
    with pytest.raises(ValueError, match="rate"):
        RedisRateLimit("redis://cache", rate=0)


def max_in_window(times: list[float], window: float) -> int:
    """The most events in any half-open window [t, t + window)."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + window) - i for i, t in enumerate(times)), default=0)


# Linux's SO_TIMESTAMPNS: the kernel stamps each received packet, so the arrival
# times below do not depend on when this process gets to read them.
SO_TIMESTAMPNS = 35


class Arrivals:
    """A local HTTP server standing in for Stripe: it records when each request arrives.

    Arrival times are the kernel's receive timestamps (CLOCK_REALTIME), so a busy
    machine delaying this process does not bunch them up.
    """

    BODY = b'{"object": "list", "data": [], "has_more": false, "url": "/v1/customers"}'
    REPLY = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (
        len(BODY),
        BODY,
    )

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(256)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        pending, stamp = b"", 0.0
        with conn:
            while True:
                try:
                    data, ancillary, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(16))
                except OSError:
                    return
                if not data:
                    return
                for level, kind, value in ancillary:
                    if (level, kind) == (socket.SOL_SOCKET, SO_TIMESTAMPNS) and not pending:
                        seconds, nanoseconds = struct.unpack("qq", value[:16])
                        stamp = seconds + nanoseconds / 1e9
                pending += data
                while b"\r\n\r\n" in pending:
                    head, pending = pending.split(b"\r\n\r\n", 1)
                    path = head.split(b" ", 2)[1].decode()
                    if not path.startswith("/warmup"):
                        with self.lock:
                            self.times.setdefault(path.split("/")[1], []).append(stamp)
                    try:
                        conn.sendall(self.REPLY)
                    except OSError:
                        return

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def arrivals() -> Iterator[Arrivals]:
    server = Arrivals()
    yield server
    server.close()


def hammer(
    redis_url: str,
    prefix: str,
    base_url: str,
    keys: list[str],
    seconds: float,
    *,
    on_start: Callable[[], object] | None = None,
) -> str:
    """Four processes sharing `keys` call `base_url` as fast as each key's budget allows;
    returns what they logged (a fallback to the per-process limiter would show there)."""
    script = str(TESTS / "redis_support" / "rate_worker.py")
    argv = [sys.executable, script, redis_url, prefix, base_url, "8", *keys]
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    workers = [subprocess.Popen(argv, text=True, **pipes) for _ in range(4)]  # type: ignore[call-overload]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        for worker in workers:  # all start together
            assert worker.stdin is not None
            worker.stdin.write(f"{seconds}\n")
            worker.stdin.flush()
        if on_start is not None:
            on_start()
        logs = [worker.communicate(timeout=seconds + 30)[1] for worker in workers]
        assert [worker.returncode for worker in workers] == [0] * 4, logs
        return "".join(logs)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


@pytest.mark.scaleout
def test_four_processes_share_one_budget_per_key_measured_at_the_server(
    redis_server: RedisServer, prefix: str, arrivals: Arrivals
) -> None:
    # A test-mode key (25/s) and a live-mode key (100/s) hammered at the same time.
    logs = hammer(redis_server.url, prefix, arrivals.url, [TEST_KEY, LIVE_KEY], 5.0)
    for position, rate in (("0", 25), ("1", 100)):
        times = sorted(arrivals.times[position])
        assert max_in_window(times, 1.0) <= rate, logs
        # Throughput while the processes ran (from the first arrival to the last).
        achieved = (len(times) - 1) / (times[-1] - times[0])
        assert achieved >= 0.9 * rate, (rate, achieved)


def empty_list(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})


async def test_stripe_client_takes_the_policy_and_a_frozen_redis_never_hangs_a_call(
    own_redis: RedisServer, prefix: str
) -> None:
    policy = RedisRateLimit(own_redis.url, prefix=prefix, timeout=0.3)
    transport = httpx.MockTransport(empty_list)
    async with StripeClient(TEST_KEY, rate_limit=policy, transport=transport, timeout=5) as stripe:
        await stripe.customers.list()
        assert own_redis.keys(f"{prefix}rate:*:read}}")
        own_redis.pause()
        try:
            started = time.monotonic()
            for _ in range(3):
                await stripe.customers.list()  # via the per-process fallback
            assert time.monotonic() - started < 3
        finally:
            own_redis.resume()
    await policy.aclose()


def test_stripe_client_under_trio_falls_back_to_the_local_limiter() -> None:
    trio = pytest.importorskip("trio")
    policy = RedisRateLimit("redis://127.0.0.1:1")

    async def main() -> None:
        transport = httpx.MockTransport(empty_list)
        async with StripeClient(TEST_KEY, rate_limit=policy, transport=transport) as stripe:
            page = await stripe.customers.list()
        assert page.data == []

    trio.run(main)


@pytest.mark.scaleout
def test_no_window_above_the_rate_across_an_outage_and_the_switch_back(
    own_redis: RedisServer, prefix: str, arrivals: Arrivals
) -> None:
    # Four processes (workers=4) on one test-mode key; Redis is down from 2 s to 5 s
    # of their 10 s run.
    def outage() -> None:
        time.sleep(2.0)
        own_redis.stop()
        time.sleep(3.0)
        own_redis.start()

    timeline = threading.Thread(target=outage)
    logs = hammer(own_redis.url, prefix, arrivals.url, [TEST_KEY], 10.0, on_start=timeline.start)
    timeline.join()
    assert "unavailable" in logs and "is back" in logs, logs  # it did fall back and return
    times = sorted(arrivals.times["0"])
    assert max_in_window(times, 1.0) <= 25, logs
    # The budget was still used before, during and after the outage.
    first = times[0]
    for start, end in ((0.5, 2.0), (3.0, 5.0), (8.0, 9.5)):
        served = [t for t in times if first + start <= t < first + end]
        assert len(served) >= 0.6 * 25 * (end - start), (start, end, len(served))
