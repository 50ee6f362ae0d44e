"""Throttling, observed on virtual clocks (asyncio and trio): no test waits in real time."""

from __future__ import annotations

import asyncio
import bisect
import itertools
import threading
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

import anyio
import httpx
import pytest
import trio.testing
from hypothesis import given
from hypothesis import strategies as st
from loop_backends import on_both_loops

from stripe_async import StripeClient
from stripe_async._ratelimit import (
    KEY_AWARE,
    PACING_SPAN,
    Limiter,
    LocalRateLimit,
    RateLimiter,
    RateLimitPolicy,
    default_rate,
    limiter_for_setting,
    next_grant,
    request_budget,
)

T = TypeVar("T")


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock jumps to the next timer instead of sleeping."""

    def __init__(self) -> None:
        super().__init__()
        self._virtual_now = 1000.0

    def time(self) -> float:
        return self._virtual_now

    def _run_once(self) -> None:
        ready: Any = self._ready  # type: ignore[attr-defined]
        scheduled: Any = self._scheduled  # type: ignore[attr-defined]
        if not ready and scheduled:
            self._virtual_now = max(self._virtual_now, scheduled[0].when())
        super()._run_once()  # type: ignore[misc]


BACKENDS = pytest.mark.parametrize("backend", ["asyncio", "trio"])


def run_virtual(main: Callable[[], Awaitable[T]], backend: str) -> T:
    """Run `main` on asyncio or trio with a clock that jumps instead of sleeping.

    Each run gets its own loop (not the pytest plugin's shared runner), so the
    virtual clock is always the one in use.
    """
    options: dict[str, Any] = (
        {"loop_factory": VirtualTimeLoop}
        if backend == "asyncio"
        else {"clock": trio.testing.MockClock(autojump_threshold=0)}
    )
    return anyio.run(main, backend=backend, backend_options=options)


def busiest_window(stamps: list[float], width: float = 1.0) -> int:
    """The most stamps in any half-open window [t, t + width)."""
    stamps = sorted(stamps)
    return max(bisect.bisect_left(stamps, t + width) - i for i, t in enumerate(stamps))


def virtual_limiter(rate: float, search: float = 20.0) -> RateLimiter:
    return RateLimiter(rate, rate, search, clock=anyio.current_time)


def test_request_budget_is_how_stripe_counts() -> None:
    assert request_budget("GET", "/v1/customers") == "read"
    assert request_budget("get", "/v1/customers/cus_1") == "read"
    assert request_budget("POST", "/v1/customers") == "write"
    assert request_budget("DELETE", "/v1/customers/cus_1") == "write"
    assert request_budget("GET", "/v1/customers/search") == "search"
    assert request_budget("GET", "/v1/charges/search?query=x") == "search"
    assert request_budget("GET", "/v1/search_things") == "read"


def test_next_grant_spaces_grants_and_saves_no_burst() -> None:
    assert next_grant(10.0, float("-inf"), 0.5) == (0.0, 10.5)
    assert next_grant(10.2, 10.5, 0.5) == pytest.approx((0.3, 11.0))
    # Idle time is not banked: after a pause the next grant is immediate, the one
    # after is a whole interval later.
    assert next_grant(50.0, 11.0, 0.5) == (0.0, 50.5)


@given(
    rate=st.integers(min_value=1, max_value=200),
    arrivals=st.lists(st.floats(min_value=0, max_value=3), min_size=1, max_size=400),
    lateness=st.lists(st.floats(min_value=0, max_value=0.049), min_size=400, max_size=400),
)
def test_pacing_never_exceeds_the_rate_even_when_requests_land_late(
    rate: int, arrivals: list[float], lateness: list[float]
) -> None:
    """Callers arrive at any times; each grant may reach the server up to 49 ms late."""
    interval = PACING_SPAN / rate
    next_free = float("-inf")
    landed = []
    for index, now in enumerate(sorted(arrivals)):
        wait, next_free = next_grant(now, next_free, interval)
        landed.append(now + wait + lateness[index])
    assert busiest_window(landed) <= rate


@BACKENDS
@pytest.mark.parametrize("rate", [25.0, 100.0])
def test_start_up_burst_stays_within_the_rate(rate: float, backend: str) -> None:
    limiter = virtual_limiter(rate)
    stamps: list[float] = []

    async def call() -> None:
        await limiter.acquire(method="POST", path="/v1/payment_intents")
        stamps.append(anyio.current_time())

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(500):
                tg.start_soon(call)

    run_virtual(main, backend)
    assert busiest_window(stamps) <= rate
    # Under excess demand at least 90% of the rate is used, from the first second on.
    first = min(stamps)
    in_five_seconds = [t for t in stamps if t < first + 5]
    assert len(in_five_seconds) >= 0.9 * rate * 5


@BACKENDS
def test_reads_writes_and_search_have_separate_budgets(backend: str) -> None:
    limiter = virtual_limiter(10, search=2)
    stamps: dict[str, list[float]] = {"GET": [], "POST": [], "search": []}

    async def call(method: str, path: str, bucket: str) -> None:
        await limiter.acquire(method=method, path=path)
        stamps[bucket].append(anyio.current_time())

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(call, "GET", "/v1/customers", "GET")
                tg.start_soon(call, "POST", "/v1/customers", "POST")
            for _ in range(6):
                tg.start_soon(call, "GET", "/v1/customers/search", "search")

    run_virtual(main, backend)
    assert busiest_window(stamps["GET"]) <= 10 and busiest_window(stamps["POST"]) <= 10
    assert busiest_window(stamps["search"]) <= 2
    # Reads and writes run side by side: 20 of each take ~2 s, not ~4 s.
    everything = stamps["GET"] + stamps["POST"]
    assert max(everything) - min(everything) < 2.5


@BACKENDS
def test_a_cancelled_waiter_gives_its_slot_back(backend: str) -> None:
    limiter = virtual_limiter(1)

    async def main() -> float:
        await limiter.acquire(method="GET", path="/v1/balance")
        started = anyio.current_time()
        # Ten callers give up while queued: none of their slots may delay the next one.
        with anyio.move_on_after(0.5):
            async with anyio.create_task_group() as tg:
                for _ in range(10):
                    tg.start_soon(partial(limiter.acquire, method="GET", path="/v1/balance"))
        await limiter.acquire(method="GET", path="/v1/balance")
        return anyio.current_time() - started

    assert run_virtual(main, backend) == pytest.approx(PACING_SPAN, abs=0.01)


@BACKENDS
def test_client_throttles_each_attempt(backend: str) -> None:
    stamps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        stamps.append(anyio.current_time())
        return httpx.Response(200, json={"object": "balance"})

    policy = LocalRateLimit(5, clock=anyio.current_time)

    async def main() -> None:
        async with (
            StripeClient(
                "sk_test_abc", rate_limit=policy, transport=httpx.MockTransport(handler)
            ) as client,
            anyio.create_task_group() as tg,
        ):
            for _ in range(15):
                tg.start_soon(client.balance.retrieve)

    run_virtual(main, backend)
    assert len(stamps) == 15 and busiest_window(stamps) <= 5


def test_threads_with_their_own_loops_share_one_budget() -> None:
    """Two threads, each running its own event loop, draw from one schedule."""
    limiter = RateLimiter(400, 400, 20)
    budget = limiter._budgets["write"]
    slots: list[float] = []
    take = budget._take

    def recording_take(*, only_if_free: bool = False) -> tuple[float, float]:
        wait, next_free = take(only_if_free=only_if_free)
        if wait <= 0 or not only_if_free:
            slots.append(next_free - budget.interval)
        return wait, next_free

    budget._take = recording_take  # type: ignore[method-assign]

    async def burst() -> None:
        for _ in range(100):
            await limiter.acquire(method="POST", path="/v1/customers")

    threads = [
        threading.Thread(target=asyncio.run, args=(burst(),)),
        threading.Thread(target=anyio.run, args=(burst,), kwargs={"backend": "trio"}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(slots) == 200
    # Sorted: a thread may record its slot after the other thread took a later one.
    gaps = [b - a for a, b in itertools.pairwise(sorted(slots))]
    assert min(gaps) >= budget.interval * (1 - 1e-9)


def test_settings_resolve_to_limiters() -> None:
    assert default_rate("sk_live_x") == 100 and default_rate("rk_live_x") == 100
    assert default_rate("sk_test_x") == 25
    assert limiter_for_setting(None, "sk_test_x") is None
    numeric = limiter_for_setting(25, "sk_test_x")
    assert isinstance(numeric, RateLimiter) and "25" in repr(numeric)
    # The key-aware default keeps one budget per key for the whole process.
    assert limiter_for_setting(KEY_AWARE, "sk_test_x") is limiter_for_setting(
        KEY_AWARE, "sk_test_x"
    )
    assert limiter_for_setting(KEY_AWARE, "sk_test_x") is not limiter_for_setting(
        KEY_AWARE, "sk_test_y"
    )
    assert "sk_test_x" not in repr(LocalRateLimit()) and "key-aware" in repr(KEY_AWARE)
    with pytest.raises(TypeError):
        limiter_for_setting(True, "sk_test_x")
    with pytest.raises(TypeError):
        limiter_for_setting("fast", "sk_test_x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        LocalRateLimit("fast")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        LocalRateLimit(0)
    with pytest.raises(ValueError):
        RateLimiter(10, -1, 5)
    assert RateLimiter.from_setting(None, "sk_test_x") is None


@on_both_loops
async def test_any_policy_plugs_in() -> None:
    seen: list[tuple[str, str]] = []

    class CountingLimiter:
        async def acquire(self, *, method: str, path: str) -> None:
            seen.append((method, path))

    class Policy:
        keys: list[str] = []

        def limiter_for(self, api_key: str) -> Limiter:
            self.keys.append(api_key)
            return CountingLimiter()

    policy = Policy()
    assert isinstance(policy, RateLimitPolicy)
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"object": "balance"}))
    async with StripeClient("sk_test_abc", rate_limit=policy, transport=transport) as client:
        await client.balance.retrieve()
    assert policy.keys == ["sk_test_abc"] and seen == [("GET", "/v1/balance")]


@BACKENDS
def test_a_limiter_taking_over_starts_one_interval_later(backend: str) -> None:
    """hold_back: the grants of the limiter it replaces still count at Stripe."""
    limiter = virtual_limiter(10)
    stamps: list[float] = []

    async def main() -> None:
        started = anyio.current_time()
        limiter.hold_back("write")
        for _ in range(3):
            await limiter.acquire(method="POST", path="/v1/charges")
            stamps.append(anyio.current_time() - started)
        await limiter.acquire(method="GET", path="/v1/charges")  # reads are not held back
        stamps.append(anyio.current_time() - started)

    run_virtual(main, backend)
    interval = 1.05 / 10
    assert stamps[:3] == pytest.approx([interval, 2 * interval, 3 * interval])
    assert stamps[3] == pytest.approx(3 * interval)
