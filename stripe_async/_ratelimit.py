"""Client-side throttling with aiolimiter, shaped after Stripe's published limits.

The limiter lives in one process: several processes (workers, pods) sharing one
key each get the full budget, so size `rate_limit` per process accordingly.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass

from aiolimiter import AsyncLimiter

from .errors import InvalidArgumentError

# Stripe's documented defaults: live mode 100 read + 100 write requests per second,
# test mode 25 + 25, and the search endpoints 20 per second in both modes.
LIVE_RATE = 100.0
TEST_RATE = 25.0
SEARCH_RATE = 20.0


class _Unset:
    def __repr__(self) -> str:
        return "<key-aware default>"


KEY_AWARE = _Unset()
RateLimitSetting = float | int | None | _Unset


def default_rate(api_key: str) -> float:
    """Requests per second Stripe allows for this key's mode."""
    return LIVE_RATE if "_live_" in api_key else TEST_RATE


# Headroom for the time between a grant and the request reaching the wire (encoding,
# the pool, a busy loop): granting at most `rate` per 1.01 s keeps up to 10 ms of
# that jitter from putting rate + 1 requests into one second, for 1% of throughput.
_WINDOW = 1.01
# Bucket residue below this (a millionth of a request) is float rounding, not debt.
_LEVEL_EPSILON = 1e-6


class _Bucket(AsyncLimiter):
    """aiolimiter's leaky bucket, minus a float-rounding spin.

    After exactly one period, rounding can leave ~1e-13 above a whole level; the
    waker then reschedules itself at the same instant and spins until the clock
    ticks past it. Snapping such residue to the whole level avoids that.
    """

    def _leak(self) -> None:
        super()._leak()
        whole = round(self._level)
        if 0 < self._level - whole < _LEVEL_EPSILON:
            self._level = float(whole)


class _Pacer:
    """Evenly spaced grants that never put `rate` + 1 calls into any 1-second window.

    The pacing is aiolimiter's bucket with room for 2: with room for only 1 every
    late wake-up of the event loop (~0.7 ms) is lost for good and 100/s becomes
    ~97/s, while a bucket of `rate` would allow a burst of `rate` plus the refill,
    nearly twice the limit. A sliding log of the last `rate` grants then enforces
    the one-second window exactly.
    """

    def __init__(self, rate: float) -> None:
        self._bucket = _Bucket(2, 2 * _WINDOW / rate)
        self._recent: deque[float] = deque(maxlen=max(1, int(rate)))

    async def acquire(self) -> None:
        await self._bucket.acquire()
        loop = asyncio.get_running_loop()
        recent = self._recent
        while len(recent) == recent.maxlen:
            wait = recent[0] + _WINDOW - loop.time()
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        recent.append(loop.time())


def _pacer(rate: float) -> _Pacer:
    return _Pacer(rate)


@dataclass(frozen=True)
class RequestKind:
    """Which budget a request draws from."""

    search: bool
    write: bool


class RateLimiter:
    """Separate read, write and search budgets, each paced by aiolimiter."""

    def __init__(self, reads_per_second: float, writes_per_second: float, search_per_second: float):
        for value in (reads_per_second, writes_per_second, search_per_second):
            if value <= 0:
                raise InvalidArgumentError(
                    "rate_limit must be a positive number of requests per second"
                )
        self.reads_per_second = reads_per_second
        self.writes_per_second = writes_per_second
        self.search_per_second = search_per_second
        self._read = _pacer(reads_per_second)
        self._write = _pacer(writes_per_second)
        self._search = _pacer(search_per_second)

    @classmethod
    def from_setting(cls, setting: RateLimitSetting, api_key: str) -> RateLimiter | None:
        """Build the limiter for a client's `rate_limit` argument (None disables)."""
        if setting is None:
            return None
        if isinstance(setting, _Unset):
            rate = default_rate(api_key)
            return cls(rate, rate, SEARCH_RATE)
        if isinstance(setting, bool) or not isinstance(setting, (int, float)):
            raise TypeError("rate_limit must be a number of requests per second, or None")
        rate = float(setting)
        return cls(rate, rate, min(rate, SEARCH_RATE))

    async def acquire(self, *, method: str, path: str) -> None:
        """Wait for a slot in the right budget before an attempt is sent."""
        if path.endswith("/search"):
            await self._search.acquire()
        elif method == "GET":
            await self._read.acquire()
        else:
            await self._write.acquire()

    def __repr__(self) -> str:
        return (
            f"RateLimiter(reads={self.reads_per_second}/s, writes={self.writes_per_second}/s, "
            f"search={self.search_per_second}/s)"
        )
