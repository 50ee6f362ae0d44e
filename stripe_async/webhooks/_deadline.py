"""Run a delivery's handlers under a deadline while keeping its claim alive.

A hung handler must not hold its event for ever (its redelivery would wait on it),
and a handler slower than its claim's lease must not overlap a redelivery that
took the lapsed claim over. So the handlers run under `handler_timeout`. When
that deadline lies beyond 90% of the lease, a heartbeat renews the lease every
lease/3 while they run, and when renewal shows the claim lost (or cannot confirm
it before the lease would lapse) the handlers are cancelled; a store that cannot
renew bounds the handlers by 90% of its lease instead. A deadline within the
lease needs neither.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from ..errors import InvalidArgumentError, StripeError

if TYPE_CHECKING:
    import anyio  # imported with the first delivery: a verifier-only import stays light

__all__ = [
    "DEFAULT_HANDLER_TIMEOUT",
    "ClaimLostError",
    "HandlerTimeoutError",
    "run_guarded",
]

logger = logging.getLogger("stripe_async.webhooks")

# Half the default lease (60 s): a deadline the lease outlasts even without renewal.
DEFAULT_HANDLER_TIMEOUT = 30.0
# Renewals per lease: two may fail (a slow store) before the claim could lapse.
_HEARTBEATS_PER_LEASE = 3
# Without renewal, stop the handlers this far into the lease, so that they are
# over (and the claim released) before it lapses to a redelivery.
_UNRENEWED_SHARE = 0.9


class HandlerTimeoutError(StripeError):
    """The handlers did not finish within the router's `handler_timeout` (or the lease
    of a store that cannot renew it); they were cancelled and the claim released.

    The receiver answers 500, and Stripe's redelivery runs the handlers afresh.
    """


class ClaimLostError(StripeError):
    """The event's claim could not be renewed while its handlers ran: its lease
    lapsed, or the store could not confirm it in time. The handlers were cancelled
    so that they cannot run concurrently with a redelivery that took the claim over.

    The receiver answers 500 and Stripe retries the delivery.
    """


def check_handler_timeout(value: object) -> float | None:
    """`value` as seconds, or None (no deadline of the router's own)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("handler_timeout must be a number of seconds or None")
    if not value > 0 or not math.isfinite(value):
        raise InvalidArgumentError("handler_timeout must be a positive number of seconds")
    return float(value)


def _lease_of(store: object) -> float | None:
    lease = getattr(store, "lease", None)
    if isinstance(lease, bool) or not isinstance(lease, (int, float)) or not lease > 0:
        return None
    return float(lease)


class _Heartbeat:
    """Renews one claim every lease/3 until cancelled; cancels `handlers` if it is lost."""

    def __init__(
        self,
        renew: Callable[[str, str], Awaitable[bool]],
        event_id: str,
        token: str,
        lease: float,
        handlers: anyio.CancelScope,
    ) -> None:
        self.renew, self.event_id, self.token = renew, event_id, token
        self.lease, self.handlers = lease, handlers
        self.lost: str | None = None

    async def run(self, confirmed: float) -> None:
        import anyio

        interval = self.lease / _HEARTBEATS_PER_LEASE
        next_at = confirmed + interval
        while True:
            await anyio.sleep_until(next_at)
            asked = anyio.current_time()
            next_at = asked + interval
            try:
                # Bounded by one interval, so that a stalled store leaves time for another try.
                with anyio.fail_after(interval):
                    held = await self.renew(self.event_id, self.token)
            except Exception as exc:
                if next_at < confirmed + self.lease:
                    logger.warning(
                        "could not renew the claim on stripe event %s (%s); retrying",
                        self.event_id,
                        type(exc).__name__,
                    )
                    continue
                # The next try could come after the lease lapsed: stop while it still holds.
                self._lose(f"the store could not renew it in time ({type(exc).__name__})")
                return
            if not held:
                self._lose("its lease lapsed and another delivery may hold it")
                return
            confirmed = asked  # the store extended the lease from no earlier than this

    def _lose(self, reason: str) -> None:
        self.lost = reason
        self.handlers.cancel()


async def _run_in(
    scope: anyio.CancelScope, run: Callable[[], Awaitable[int]]
) -> tuple[int, Exception | None]:
    with scope:
        try:
            return await run(), None
        except Exception as exc:
            # Raised by the caller, outside any task group: never wrapped in an ExceptionGroup.
            return 0, exc
    return 0, None  # cancelled by `scope`


async def run_guarded(
    run: Callable[[], Awaitable[int]],
    *,
    store: object,
    event_id: str,
    token: str,
    handler_timeout: float | None,
    claimed_at: float,
) -> int:
    """Run `run()` (the handlers) under its deadline, renewing the claim meanwhile.

    `claimed_at` is `anyio.current_time()` from just before the claim was made.
    Raises HandlerTimeoutError at the deadline and ClaimLostError when the claim
    cannot be kept; a handler's own exception and a caller's cancellation pass
    through unchanged.
    """
    import anyio

    started = anyio.current_time()
    deadline = math.inf if handler_timeout is None else started + handler_timeout
    lease = _lease_of(store)
    renew: Callable[[str, str], Awaitable[bool]] | None = getattr(store, "renew", None)
    if not callable(renew):
        renew = None
    # Past this the claim could lapse under handlers still running.
    unrenewed = math.inf if lease is None else claimed_at + lease * _UNRENEWED_SHARE
    by_lease = False
    if deadline > unrenewed and renew is None:
        deadline, by_lease = unrenewed, True
    handlers = anyio.CancelScope(deadline=deadline)
    heartbeat: _Heartbeat | None = None
    if deadline <= unrenewed:
        # The deadline alone keeps the handlers within the lease: no heartbeat (a task
        # group costs more than the rest of a delivery).
        count, error = await _run_in(handlers, run)
    else:
        assert lease is not None and renew is not None
        heartbeat = _Heartbeat(renew, event_id, token, lease, handlers)
        async with anyio.create_task_group() as group:
            group.start_soon(heartbeat.run, claimed_at)
            count, error = await _run_in(handlers, run)
            group.cancel_scope.cancel()
    if heartbeat is not None and heartbeat.lost is not None:
        raise ClaimLostError(
            f"Stopped the handlers of event {event_id}: could not keep its claim, as "
            f"{heartbeat.lost}; Stripe will retry it"
        ) from error
    # A handler may turn its cancellation into an error of its own: still the deadline.
    if handlers.cancelled_caught or (error is not None and handlers.cancel_called):
        limit = (
            f"90% of the store's {lease}s lease (it cannot renew it)"
            if by_lease
            else f"handler_timeout={handler_timeout}s"
        )
        raise HandlerTimeoutError(
            f"The handlers of event {event_id} did not finish within {limit}; they were "
            "cancelled and Stripe will retry it"
        ) from error
    if error is not None:
        raise error
    return count
