"""Where the router remembers which events it has fully handled."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..errors import InvalidArgumentError

__all__ = ["DEFAULT_MAX_SIZE", "DEFAULT_TTL", "EventStore", "InMemoryEventStore"]

# Stripe retries a failed delivery for up to three days in live mode.
DEFAULT_TTL = 3 * 24 * 60 * 60.0
DEFAULT_MAX_SIZE = 10_000


@runtime_checkable
class EventStore(Protocol):
    """Records handled event ids. Implement it on Redis or a database to share it.

    The router asks `is_processed` before running handlers and calls
    `mark_processed` only after every handler succeeded.
    """

    async def is_processed(self, event_id: str) -> bool: ...

    async def mark_processed(self, event_id: str) -> None: ...


class InMemoryEventStore:
    """A bounded, per-process `EventStore`: ids expire after `ttl` seconds and the
    oldest are dropped beyond `max_size`, so memory stays flat under any traffic."""

    def __init__(
        self,
        *,
        ttl: float = DEFAULT_TTL,
        max_size: int = DEFAULT_MAX_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not ttl > 0:
            raise InvalidArgumentError("ttl must be a positive number of seconds")
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
            raise InvalidArgumentError("max_size must be a positive int")
        self.ttl = float(ttl)
        self.max_size = max_size
        self._clock = clock
        # id -> expiry; insertion order is expiry order because ttl is fixed.
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        self._evict(self._clock())
        return len(self._expiry)

    def _evict(self, now: float) -> None:
        while self._expiry:
            oldest, expires = next(iter(self._expiry.items()))
            if expires > now:
                break
            del self._expiry[oldest]

    async def is_processed(self, event_id: str) -> bool:
        now = self._clock()
        self._evict(now)
        return event_id in self._expiry

    async def mark_processed(self, event_id: str) -> None:
        now = self._clock()
        self._evict(now)
        self._expiry.pop(event_id, None)
        self._expiry[event_id] = now + self.ttl
        while len(self._expiry) > self.max_size:
            self._expiry.popitem(last=False)

    def __repr__(self) -> str:
        return f"InMemoryEventStore(ttl={self.ttl!r}, max_size={self.max_size!r})"
