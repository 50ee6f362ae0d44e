"""Where the router records which events are being handled and which are done.

The protocol is a claim with a lease: a delivery `claim`s the event id, the
claimant runs the handlers, then `complete`s the id (done for `ttl`) or
`release`s it so that Stripe's retry runs it again. A claimant that dies loses
the claim when its lease expires; a live one `renew`s it (when the store can)
for as long as its handlers run. Implemented atomically on shared storage (see
`stripe_async.redis.RedisEventStore`), this runs each event's handlers once
across every worker.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Literal, Protocol, runtime_checkable

from ..errors import InvalidArgumentError, StripeError

__all__ = [
    "DEFAULT_LEASE",
    "DEFAULT_MAX_SIZE",
    "DEFAULT_TTL",
    "ClaimResult",
    "EventStore",
    "EventStoreError",
    "InMemoryEventStore",
    "LegacyEventStore",
    "RenewableEventStore",
]

# Stripe retries a failed delivery for up to three days in live mode.
DEFAULT_TTL = 3 * 24 * 60 * 60.0
DEFAULT_MAX_SIZE = 10_000
# Longer than any handler should run: Stripe gives up on a delivery after seconds.
DEFAULT_LEASE = 60.0

ClaimResult = Literal["claimed", "done", "held"]
"""`claimed`: run the handlers. `done`: already handled. `held`: another delivery
is handling it right now (answer so that Stripe retries later)."""


class EventStoreError(StripeError):
    """The event store could not be reached or failed; nothing was recorded.

    The receiver answers 503 so that Stripe retries the delivery later.
    """


@runtime_checkable
class EventStore(Protocol):
    """Claim-with-lease bookkeeping of event ids, shared by every worker that uses it.

    `claim` must be atomic: of any number of concurrent calls for one id, at most
    one returns `"claimed"` until that claim is completed, released or its lease
    expires. `token` identifies the claimant so that a late `release` from a
    claimant whose lease already expired cannot free someone else's claim.

    A store may also offer `renew` (see `RenewableEventStore`): the router then keeps
    a slow handler's claim alive. Without it the router stops the handlers before
    the store's `lease` (when it has one) would lapse.
    """

    async def claim(self, event_id: str, token: str) -> ClaimResult: ...

    async def complete(self, event_id: str, token: str) -> None: ...

    async def release(self, event_id: str, token: str) -> None: ...


@runtime_checkable
class RenewableEventStore(EventStore, Protocol):
    """An `EventStore` that can extend a claim's lease while its handlers run.

    `renew` extends the lease of `event_id` to `lease` seconds from now, only if
    `token` still holds the claim, and returns whether it did (False: the claim
    lapsed and may be someone else's). While handlers may outrun the lease, the
    router calls it every `lease / 3` seconds and cancels them when it returns False.
    """

    lease: float

    async def renew(self, event_id: str, token: str) -> bool: ...


@runtime_checkable
class LegacyEventStore(Protocol):
    """The check-then-mark protocol of earlier releases. Deprecated.

    It cannot be exactly-once across processes (two workers can both see "not
    processed" before either marks it); implement `EventStore` instead. The router
    still accepts it, with a DeprecationWarning.
    """

    async def is_processed(self, event_id: str) -> bool: ...

    async def mark_processed(self, event_id: str) -> None: ...


class InMemoryEventStore:
    """A bounded, per-process `EventStore`: done ids expire after `ttl` seconds and the
    oldest are dropped beyond `max_size`, so memory stays flat under any traffic.

    It serves one process only; with several workers use a shared store such as
    `stripe_async.redis.RedisEventStore`.
    """

    def __init__(
        self,
        *,
        ttl: float = DEFAULT_TTL,
        max_size: int = DEFAULT_MAX_SIZE,
        lease: float = DEFAULT_LEASE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not ttl > 0:
            raise InvalidArgumentError("ttl must be a positive number of seconds")
        if not lease > 0:
            raise InvalidArgumentError("lease must be a positive number of seconds")
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
            raise InvalidArgumentError("max_size must be a positive int")
        self.ttl = float(ttl)
        self.lease = float(lease)
        self.max_size = max_size
        self._clock = clock
        # id -> expiry; insertion order is expiry order because ttl is fixed.
        self._expiry: OrderedDict[str, float] = OrderedDict()
        # id -> (token, lease expiry); as many entries as deliveries in progress.
        self._claims: dict[str, tuple[str, float]] = {}

    def __len__(self) -> int:
        self._evict(self._clock())
        return len(self._expiry)

    def _evict(self, now: float) -> None:
        while self._expiry:
            oldest, expires = next(iter(self._expiry.items()))
            if expires > now:
                break
            del self._expiry[oldest]

    async def claim(self, event_id: str, token: str) -> ClaimResult:
        now = self._clock()
        self._evict(now)
        if event_id in self._expiry:
            return "done"
        held = self._claims.get(event_id)
        if held is not None and held[1] > now:
            return "held"
        self._claims[event_id] = (token, now + self.lease)
        return "claimed"

    async def complete(self, event_id: str, token: str) -> None:
        self._claims.pop(event_id, None)
        self._mark(event_id)

    async def release(self, event_id: str, token: str) -> None:
        held = self._claims.get(event_id)
        if held is not None and held[0] == token:
            del self._claims[event_id]

    async def renew(self, event_id: str, token: str) -> bool:
        """Extend `token`'s claim on `event_id` by a full lease; False if it lapsed."""
        now = self._clock()
        held = self._claims.get(event_id)
        if held is None or held[0] != token or held[1] <= now:
            return False
        self._claims[event_id] = (token, now + self.lease)
        return True

    async def is_processed(self, event_id: str) -> bool:
        """Whether `event_id` is recorded as done."""
        self._evict(self._clock())
        return event_id in self._expiry

    async def mark_processed(self, event_id: str) -> None:
        """Record `event_id` as done (as `complete` does, without a claim)."""
        self._mark(event_id)

    def _mark(self, event_id: str) -> None:
        now = self._clock()
        self._evict(now)
        self._expiry.pop(event_id, None)
        self._expiry[event_id] = now + self.ttl
        while len(self._expiry) > self.max_size:
            self._expiry.popitem(last=False)

    def __repr__(self) -> str:
        return (
            f"InMemoryEventStore(ttl={self.ttl!r}, max_size={self.max_size!r}, "
            f"lease={self.lease!r})"
        )


class _LegacyStoreAdapter:
    """Runs a check-then-mark store through the claim protocol (per process only)."""

    def __init__(self, store: LegacyEventStore) -> None:
        self.store = store

    async def claim(self, event_id: str, token: str) -> ClaimResult:
        return "done" if await self.store.is_processed(event_id) else "claimed"

    async def complete(self, event_id: str, token: str) -> None:
        await self.store.mark_processed(event_id)

    async def release(self, event_id: str, token: str) -> None:
        return None

    def __repr__(self) -> str:
        return f"_LegacyStoreAdapter({self.store!r})"
