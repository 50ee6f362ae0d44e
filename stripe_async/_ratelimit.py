"""Client-side throttling shaped after Stripe's published limits.

The extension point is `RateLimitPolicy`: `StripeClient(rate_limit=policy)` asks
it once for the `Limiter` of the client's key, and the request loop awaits
`limiter.acquire(method=..., path=...)` before every attempt it sends.

The built-in limiter keeps one process within the limit. Its pacing is a pure
function (`next_grant`, the generic cell rate algorithm without bursts) over a
state shared by every thread and event loop of the process, plus `anyio.sleep`,
so it works under asyncio and trio alike and never puts more than `rate`
requests into any one-second window, from the first request on.
"""

from __future__ import annotations

import hashlib
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Literal, Protocol, runtime_checkable

import anyio

from ._loops import current_loop
from .errors import InvalidArgumentError

__all__ = [
    "KEY_AWARE",
    "LIVE_RATE",
    "SEARCH_RATE",
    "TEST_RATE",
    "Limiter",
    "LocalRateLimit",
    "RateLimitPolicy",
    "RateLimitSetting",
    "RateLimiter",
    "RequestBudget",
    "default_rate",
    "limiter_for_setting",
    "next_grant",
    "request_budget",
]

# Stripe's documented defaults: live mode 100 read + 100 write requests per second,
# test mode 25 + 25, and the search endpoints 20 per second in both modes.
LIVE_RATE = 100.0
TEST_RATE = 25.0
SEARCH_RATE = 20.0

RequestBudget = Literal["read", "write", "search"]


def request_budget(method: str, path: str) -> RequestBudget:
    """The budget Stripe counts a request against: search, else read (GET) or write."""
    if path.split("?", 1)[0].rstrip("/").endswith("/search"):
        return "search"
    return "read" if method.upper() == "GET" else "write"


def default_rate(api_key: str) -> float:
    """Requests per second Stripe allows for this key's mode."""
    return LIVE_RATE if "_live_" in api_key else TEST_RATE


@runtime_checkable
class Limiter(Protocol):
    """Waits until one more request may be sent; awaited before every attempt."""

    async def acquire(self, *, method: str, path: str) -> None: ...


@runtime_checkable
class RateLimitPolicy(Protocol):
    """Makes the `Limiter` for an API key; called once per client."""

    def limiter_for(self, api_key: str) -> Limiter: ...


# The span that holds `rate` evenly spaced grants. A grant reaches the server a
# little after it is made (encoding, the pool, a new connection, a busy loop);
# spacing grants over 1.05 s instead of 1 s absorbs up to 50 ms of that delay
# without `rate` + 1 requests landing in one second, for 5% of throughput.
PACING_SPAN = 1.05


def next_grant(now: float, next_free: float, interval: float) -> tuple[float, float]:
    """One step of the pacing policy: (seconds to wait, the new `next_free`). Pure.

    `next_free` is the earliest time the next grant may happen. Grants are
    `interval` apart and never bunch up: time that passed unused is not saved up
    as a burst, which is what keeps every one-second window within the rate.
    """
    start = max(now, next_free)
    return start - now, start + interval


class _Budget:
    """One paced budget shared by every thread and event loop of the process.

    Within a loop, callers queue on a fair lock and only the head holds a
    reservation; so a cancelled caller gives its slot back and nobody waits behind
    slots that will never be used.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[Any]],
    ) -> None:
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not rate > 0:
            raise InvalidArgumentError(
                "rate_limit must be a positive number of requests per second"
            )
        self.rate = float(rate)
        self.interval = PACING_SPAN / self.rate
        self._clock = clock
        self._sleep = sleep
        self._next_free = float("-inf")
        self._state_lock = threading.Lock()
        self._queues: weakref.WeakKeyDictionary[object, anyio.Lock] = weakref.WeakKeyDictionary()

    def _queue(self) -> anyio.Lock:
        loop = current_loop()
        with self._state_lock:
            queue = self._queues.get(loop)
            if queue is None:
                queue = self._queues[loop] = anyio.Lock()
            return queue

    def _take(self, *, only_if_free: bool = False) -> tuple[float, float]:
        """Take the next slot: (seconds until it, the new `next_free`).

        With `only_if_free`, a slot that is not free now is not taken (wait > 0).
        """
        with self._state_lock:
            wait, next_free = next_grant(self._clock(), self._next_free, self.interval)
            if not (only_if_free and wait > 0):
                self._next_free = next_free
            return wait, next_free

    def hold_back(self) -> None:
        """Grant nothing for one interval from now, as if the budget had been in use."""
        with self._state_lock:
            self._next_free = max(self._next_free, self._clock() + self.interval)

    def _give_back(self, reserved_until: float) -> None:
        with self._state_lock:
            # Only the latest reservation can be returned without leaving a gap
            # that another loop's grant already sits behind.
            if self._next_free == reserved_until:
                self._next_free -= self.interval

    async def acquire(self) -> None:
        queue = self._queue()
        # Nobody of this loop is queued and a slot is free: no need to queue.
        if not queue.locked() and self._take(only_if_free=True)[0] <= 0:
            return
        async with queue:
            wait, reserved_until = self._take()
            if wait <= 0:
                return
            try:
                await self._sleep(wait)
            except BaseException:
                self._give_back(reserved_until)
                raise


class RateLimiter:
    """Separate read, write and search budgets for one key; a `Limiter`."""

    def __init__(
        self,
        reads_per_second: float,
        writes_per_second: float,
        search_per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = anyio.sleep,
    ) -> None:
        self._budgets: dict[RequestBudget, _Budget] = {
            "read": _Budget(reads_per_second, clock=clock, sleep=sleep),
            "write": _Budget(writes_per_second, clock=clock, sleep=sleep),
            "search": _Budget(search_per_second, clock=clock, sleep=sleep),
        }

    @property
    def reads_per_second(self) -> float:
        return self._budgets["read"].rate

    @property
    def writes_per_second(self) -> float:
        return self._budgets["write"].rate

    @property
    def search_per_second(self) -> float:
        return self._budgets["search"].rate

    @classmethod
    def from_setting(cls, setting: RateLimitSetting, api_key: str) -> Limiter | None:
        """The limiter for a client's `rate_limit` argument (None disables)."""
        return limiter_for_setting(setting, api_key)

    def hold_back(self, budget: RequestBudget) -> None:
        """Start `budget` one interval from now, as if it had been in use.

        For a limiter taking over from another (a fallback while a shared limiter
        is unavailable): the other's recent grants still count at Stripe.
        """
        self._budgets[budget].hold_back()

    async def acquire(self, *, method: str, path: str) -> None:
        """Wait for a slot in the right budget before an attempt is sent."""
        await self._budgets[request_budget(method, path)].acquire()

    def __repr__(self) -> str:
        return (
            f"RateLimiter(reads={self.reads_per_second:g}/s, "
            f"writes={self.writes_per_second:g}/s, search={self.search_per_second:g}/s)"
        )


class LocalRateLimit:
    """The per-process `RateLimitPolicy`: one `RateLimiter` per API key.

    `rate=None` follows the key's mode (live 100/s, test 25/s); search is capped
    at Stripe's 20/s. Clients built with the same policy and key share one budget,
    whichever thread or event loop they run on.
    """

    def __init__(
        self,
        rate: float | None = None,
        *,
        search_rate: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = anyio.sleep,
    ) -> None:
        for value in (rate, search_rate):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, (int, float))
            ):
                raise TypeError("rate_limit must be a number of requests per second, or None")
            if value is not None and not value > 0:
                raise InvalidArgumentError(
                    "rate_limit must be a positive number of requests per second"
                )
        self.rate = rate
        self.search_rate = search_rate
        self._clock = clock
        self._sleep = sleep
        self._limiters: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()

    def limiter_for(self, api_key: str) -> RateLimiter:
        # Keyed by a digest so the policy never holds a copy of the key itself.
        digest = hashlib.sha256(api_key.encode()).hexdigest()
        with self._lock:
            limiter = self._limiters.get(digest)
            if limiter is None:
                rate = default_rate(api_key) if self.rate is None else float(self.rate)
                search = min(rate, SEARCH_RATE) if self.search_rate is None else self.search_rate
                limiter = RateLimiter(rate, rate, search, clock=self._clock, sleep=self._sleep)
                self._limiters[digest] = limiter
            return limiter

    def __repr__(self) -> str:
        rate = "key-aware" if self.rate is None else f"{self.rate:g}/s"
        return f"LocalRateLimit(rate={rate})"


class _KeyAware:
    def __repr__(self) -> str:
        return "<key-aware default>"


#: `StripeClient`'s default `rate_limit`: Stripe's limits for the key's mode,
#: one budget per key for the whole process.
KEY_AWARE = _KeyAware()
_PROCESS_POLICY = LocalRateLimit()

RateLimitSetting = float | int | None | _KeyAware | RateLimitPolicy


def limiter_for_setting(setting: RateLimitSetting, api_key: str) -> Limiter | None:
    """Resolve `StripeClient(rate_limit=...)`: a number, None, KEY_AWARE or a policy."""
    if setting is None:
        return None
    if isinstance(setting, _KeyAware):
        return _PROCESS_POLICY.limiter_for(api_key)
    if isinstance(setting, (int, float)) and not isinstance(setting, bool):
        return LocalRateLimit(setting).limiter_for(api_key)
    if isinstance(setting, RateLimitPolicy):
        return setting.limiter_for(api_key)
    raise TypeError(
        "rate_limit must be a number of requests per second, None, or a RateLimitPolicy"
    )
