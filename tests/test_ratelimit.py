"""Throttling, observed on a virtual clock: no test waits in real time."""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Coroutine
from typing import Any

import httpx
import pytest

from stripe_async import StripeClient
from stripe_async._ratelimit import RateLimiter, default_rate


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


def run_virtual(coro: Coroutine[Any, Any, Any]) -> Any:
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def busiest_window(stamps: list[float], width: float = 1.0) -> int:
    stamps = sorted(stamps)
    return max(bisect.bisect_left(stamps, t + width) - i for i, t in enumerate(stamps))


@pytest.mark.parametrize("rate", [25.0, 100.0])
def test_never_more_than_the_rate_in_any_window(rate: float) -> None:
    limiter = RateLimiter(rate, rate, 20)

    async def main() -> list[float]:
        loop = asyncio.get_running_loop()
        stamps: list[float] = []

        async def call() -> None:
            await limiter.acquire(method="POST", path="/v1/payment_intents")
            stamps.append(loop.time())

        await asyncio.gather(*(call() for _ in range(int(rate * 5))))
        return stamps

    stamps = run_virtual(main())
    assert busiest_window(stamps) <= rate
    achieved = (len(stamps) - 1) / (max(stamps) - min(stamps))
    assert achieved == pytest.approx(rate, rel=0.05)


def test_reads_writes_and_search_have_separate_budgets() -> None:
    limiter = RateLimiter(10, 10, 2)

    async def main() -> dict[str, list[float]]:
        loop = asyncio.get_running_loop()
        stamps: dict[str, list[float]] = {"GET": [], "POST": [], "search": []}

        async def call(method: str, path: str, bucket: str) -> None:
            await limiter.acquire(method=method, path=path)
            stamps[bucket].append(loop.time())

        await asyncio.gather(
            *(call("GET", "/v1/customers", "GET") for _ in range(20)),
            *(call("POST", "/v1/customers", "POST") for _ in range(20)),
            *(call("GET", "/v1/customers/search", "search") for _ in range(6)),
        )
        return stamps

    stamps = run_virtual(main())
    assert busiest_window(stamps["GET"]) <= 10 and busiest_window(stamps["POST"]) <= 10
    assert busiest_window(stamps["search"]) <= 2
    # Reads and writes run side by side: 20 of each take ~2 s, not ~4 s.
    everything = stamps["GET"] + stamps["POST"]
    assert max(everything) - min(everything) < 2.5


def test_client_throttles_each_attempt() -> None:
    async def main() -> list[float]:
        loop = asyncio.get_running_loop()
        stamps: list[float] = []

        def handler(request: httpx.Request) -> httpx.Response:
            stamps.append(loop.time())
            return httpx.Response(200, json={"object": "balance"})

        async with StripeClient(
            "sk_test_abc", rate_limit=5, transport=httpx.MockTransport(handler)
        ) as client:
            await asyncio.gather(*(client.balance.retrieve() for _ in range(15)))
        return stamps

    stamps = run_virtual(main())
    assert len(stamps) == 15 and busiest_window(stamps) <= 5


def test_default_rates() -> None:
    assert default_rate("sk_live_x") == 100 and default_rate("rk_live_x") == 100
    assert default_rate("sk_test_x") == 25
    assert "25" in repr(RateLimiter.from_setting(25, "sk_test_x"))
    with pytest.raises(TypeError):
        RateLimiter.from_setting(True, "sk_test_x")
