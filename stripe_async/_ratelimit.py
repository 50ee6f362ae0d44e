"""Client-side throttling with aiolimiter, shaped after Stripe's published limits.

The limiter lives in one process: several processes (workers, pods) sharing one
key each get the full budget, so size `rate_limit` per process accordingly.
"""

from __future__ import annotations

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


# Below this residue (a millionth of a request) the bucket counts as empty; the
# period is stretched by ten times that so the snap can never let a call through
# early enough to put rate + 1 calls in one second.
_LEVEL_EPSILON = 1e-6
_PERIOD_MARGIN = 1 + 1e-5


class _Pacer(AsyncLimiter):
    """A bucket of capacity 1 released every 1/rate seconds: evenly spaced calls.

    No 1-second window ever holds more than `rate` calls (a bucket of `rate` would
    allow a burst of `rate` plus the refill, nearly twice the limit).
    """

    def __init__(self, rate: float) -> None:
        super().__init__(1, _PERIOD_MARGIN / rate)

    def _leak(self) -> None:
        super()._leak()
        # Float rounding can leave ~1e-13 in the bucket after exactly one period;
        # without this snap the waker reschedules itself at the same instant and
        # spins until the clock ticks past it.
        if self._level < _LEVEL_EPSILON:
            self._level = 0.0


def _pacer(rate: float) -> AsyncLimiter:
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
