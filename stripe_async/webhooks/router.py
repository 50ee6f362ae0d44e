"""WebhookRouter: verify a delivery, then run its handlers exactly once per event id."""

from __future__ import annotations

import functools
import inspect
import logging
import uuid
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, Union

from ..errors import InvalidArgumentError, SignatureVerificationError, StripeError
from ._deadline import (
    DEFAULT_HANDLER_TIMEOUT,
    ClaimLostError,
    HandlerTimeoutError,
    check_handler_timeout,
    run_guarded,
)
from ._notification_routes import NotificationRoutes
from ._selectors import check_event_type, matches
from ._typed_events import TypedOn
from .events import (
    VersionMismatchPolicy,
    check_api_version,
    construct_event,
    parse_event,
    validate_policy,
)
from .notifications import EventNotification, is_notification, parse_notification
from .signature import (
    DEFAULT_TOLERANCE,
    Payload,
    _check_tolerance,
    _secret_keys,
    verify_signature,
)
from .store import (
    EventStore,
    EventStoreError,
    InMemoryEventStore,
    LegacyEventStore,
    _LegacyStoreAdapter,
)

if TYPE_CHECKING:
    from ..models.event import Event

__all__ = [
    "DEFAULT_HANDLER_TIMEOUT",
    "ClaimLostError",
    "DispatchResult",
    "EventInProgressError",
    "Handler",
    "HandlerFailedError",
    "HandlerTimeoutError",
    "WebhookRouter",
]

logger = logging.getLogger("stripe_async.webhooks")

# Strings: the event model is imported (and built) on the first delivery, not with the router.
Handler = Callable[["Event"], Union[Awaitable[Any], Any]]
H = TypeVar("H", bound=Handler)


class HandlerFailedError(StripeError):
    """A concurrent delivery of the same event failed; this one did not run the handlers."""


class EventInProgressError(StripeError):
    """Another delivery (perhaps in another worker) holds the claim on this event.

    Its outcome is not known yet, so this delivery must not be acknowledged: the
    receiver answers 409 and Stripe retries it later.
    """


@dataclass(frozen=True)
class DispatchResult:
    """What `dispatch` did: the event, whether it was a duplicate, how many handlers ran.

    `event` is the snapshot `Event`, or the `EventNotification` of a thin delivery.
    """

    event: Event | EventNotification
    duplicate: bool
    handlers_run: int


@dataclass(frozen=True)
class _Route:
    patterns: tuple[str, ...]
    handler: Handler
    is_async: bool

    def matches(self, event_type: str) -> bool:
        return any(matches(pattern, event_type) for pattern in self.patterns)


class _Flight:
    """One in-progress handling of an event id, which duplicate deliveries wait on."""

    def __init__(self) -> None:
        import anyio  # with the first delivery: a verifier-only import stays light

        self.done = anyio.Event()
        self.failed = False
        self.error: BaseException | None = None


def _is_async(handler: Handler) -> bool:
    target: Any = handler
    while isinstance(target, functools.partial):
        target = target.func
    return inspect.iscoroutinefunction(target) or inspect.iscoroutinefunction(
        getattr(target, "__call__", None)  # noqa: B004 - async callable objects
    )


class WebhookRouter(TypedOn, NotificationRoutes):
    """Routes verified Stripe events to handlers, each event id handled once.

    ```python
    router = WebhookRouter("whsec_...")

    @router.on("payment_intent.succeeded")
    async def fulfil(event: Event) -> None: ...

    result = await router.dispatch(raw_body, request.headers["stripe-signature"])
    ```

    Event notifications (thin events, from an event destination) go to handlers
    registered with `@router.on_notification("v1.billing.meter.error_report_triggered")`,
    typed per notification class; both kinds share one URL, the store and its
    exactly-once guarantee.

    Handlers for a type run in registration order (`"*"` matches every type,
    `"invoice.*"` every invoice event, `on("a", "b")` either); a type this release
    does not have is refused unless `allow_unknown=True` (the typed signatures of
    `on` are generated, in `_typed_events.py`). Sync handlers run in a worker thread. A
    delivery first claims the event id in `store`; the id is recorded as done only
    after every handler succeeded, and a failure releases the claim so that
    Stripe's redelivery runs them again: make handlers idempotent. Concurrent
    deliveries of one id in this process wait for the first; with a shared store
    (`stripe_async.redis.RedisEventStore`) a delivery to another worker while the
    claim is held raises `EventInProgressError` so that Stripe retries it later.

    The handlers of one delivery share a deadline, `handler_timeout` seconds (30 by
    default, half the default lease; None for none): past it they are cancelled,
    the claim is released and `HandlerTimeoutError` is raised (500 from the
    receiver), so the redelivery runs them afresh. When the deadline lies beyond
    90% of the claim's lease, the lease is renewed every lease/3 while they run if
    the store can (`renew`); a store that cannot bounds them by 90% of its lease.
    """

    def __init__(
        self,
        secret: str | Sequence[str],
        *,
        tolerance: float | None = DEFAULT_TOLERANCE,
        store: EventStore | LegacyEventStore | None = None,
        on_version_mismatch: VersionMismatchPolicy = "warn",
        handler_timeout: float | None = DEFAULT_HANDLER_TIMEOUT,
    ) -> None:
        try:
            _secret_keys(secret)  # fail at startup, not on the first delivery
        except SignatureVerificationError as exc:
            raise InvalidArgumentError(exc.message) from None
        _check_tolerance(tolerance)
        self._secret = secret
        self.tolerance = tolerance
        self._claims: EventStore
        self.store = InMemoryEventStore() if store is None else store
        self.on_version_mismatch = validate_policy(on_version_mismatch)
        self.handler_timeout = check_handler_timeout(handler_timeout)
        self._routes: list[_Route] = []
        self._notification_routes: list[_Route] = []
        self._in_flight: dict[str, _Flight] = {}

    @property
    def store(self) -> EventStore | LegacyEventStore:
        """Where event ids are claimed and recorded as done.

        Assignable, so that tests sharing a module-level router can give each test a
        fresh `InMemoryEventStore()`.
        """
        return self._store

    @store.setter
    def store(self, store: EventStore | LegacyEventStore) -> None:
        self._claims = _claim_protocol(store)
        self._store = store

    def __repr__(self) -> str:
        types = sorted({pattern for route in self._routes for pattern in route.patterns})
        return f"WebhookRouter(handlers={len(self._routes)}, types={types!r})"

    def _decorator(
        self, event_types: tuple[str, ...], *, allow_unknown: bool
    ) -> Callable[[Any], Any]:
        for event_type in event_types:
            check_event_type(event_type, allow_unknown=allow_unknown)

        def register(handler: H) -> H:
            # One route for all the types: an event matching two of them runs it once.
            self._add_route(event_types, handler)
            return handler

        return register

    def add_handler(
        self, event_type: str, handler: Handler, *, allow_unknown: bool = False
    ) -> None:
        """Register `handler` for `event_type` (`"*"` for every event, `"invoice.*"` a prefix).

        Untyped (the decorator `on` is the typed way), but checked as `on` is: a type
        this release does not know raises InvalidArgumentError unless `allow_unknown`.
        """
        check_event_type(event_type, allow_unknown=allow_unknown)
        self._add_route((event_type,), handler)

    def _add_route(self, patterns: tuple[str, ...], handler: Handler) -> None:
        if not callable(handler):
            raise TypeError("handler must be callable")
        self._routes.append(_Route(patterns, handler, _is_async(handler)))

    def _add_notification_route(self, pattern: str, handler: Any) -> None:
        # Notification types (`v1.billing.meter.error_report_triggered`) are not
        # snapshot event types: any non-empty name, as new ones arrive with Stripe.
        if not isinstance(pattern, str) or not pattern.strip():
            raise InvalidArgumentError(
                "a notification type must be a non-empty string such as "
                "'v1.billing.meter.error_report_triggered'"
            )
        if not callable(handler):
            raise TypeError("handler must be callable")
        self._notification_routes.append(_Route((pattern,), handler, _is_async(handler)))

    def handlers_for(self, event_type: str) -> list[Handler]:
        """The handlers an event of `event_type` runs, in order."""
        return [route.handler for route in self._routes if route.matches(event_type)]

    def construct_event(self, payload: Payload, header: str | bytes) -> Event:
        """Verify and parse one delivery with this router's secret and settings."""
        return construct_event(
            payload,
            header,
            self._secret,
            tolerance=self.tolerance,
            on_version_mismatch=self.on_version_mismatch,
        )

    def construct_any(self, payload: Payload, header: str | bytes) -> Event | EventNotification:
        """Verify one delivery, then parse it as a snapshot event or an event notification."""
        verify_signature(payload, header, self._secret, tolerance=self.tolerance)
        raw = bytes(payload) if isinstance(payload, (bytearray, memoryview)) else payload
        body = _peek(raw)
        if body is not None and is_notification(body):
            return parse_notification(body)
        event = parse_event(raw)
        check_api_version(event, self.on_version_mismatch)
        return event

    async def dispatch(self, payload: Payload, header: str | bytes) -> DispatchResult:
        """Verify, parse and handle one delivery (a snapshot event or a notification).

        Raises SignatureVerificationError / InvalidPayloadError before any handler
        runs; re-raises a handler's exception (the event stays unprocessed).
        """
        return await self.handle(self.construct_any(payload, header))

    async def handle(self, event: Event | EventNotification) -> DispatchResult:
        """Run the handlers of an already-verified event, once per event id.

        Raises EventInProgressError while another delivery holds the event's claim,
        EventStoreError when the store fails (nothing is recorded as done),
        HandlerTimeoutError past `handler_timeout` and ClaimLostError when the
        claim could not be renewed (the handlers were cancelled in both cases).
        """
        flight = self._in_flight.get(event.id)
        if flight is not None:
            await flight.done.wait()
            if isinstance(flight.error, (EventStoreError, EventInProgressError)):
                raise type(flight.error)(flight.error.message)
            if flight.failed:
                raise HandlerFailedError(
                    f"Handling event {event.id} failed in a concurrent delivery; Stripe will "
                    "retry it"
                )
            return DispatchResult(event, duplicate=True, handlers_run=0)
        # Registered before the first await so a concurrent duplicate sees it.
        flight = self._in_flight[event.id] = _Flight()
        try:
            return await self._claim_and_run(event)
        except BaseException as exc:
            flight.failed = True
            flight.error = exc
            raise
        finally:
            del self._in_flight[event.id]
            flight.done.set()

    async def _claim_and_run(self, event: Event | EventNotification) -> DispatchResult:
        import anyio

        token = uuid.uuid4().hex
        claimed_at = anyio.current_time()
        try:
            state = await self._claims.claim(event.id, token)
        except EventStoreError:
            raise
        except Exception as exc:
            raise _store_error("claim", event.id, exc) from exc
        if state == "done":
            logger.debug("stripe event %s already handled; skipping", event.id)
            return DispatchResult(event, duplicate=True, handlers_run=0)
        if state != "claimed":
            raise EventInProgressError(
                f"Event {event.id} is being handled by another delivery; Stripe will retry it"
            )
        threads = _Threads()
        try:
            count = await run_guarded(
                lambda: self._run_handlers(event, threads),
                store=self._claims,
                event_id=event.id,
                token=token,
                handler_timeout=self.handler_timeout,
                claimed_at=claimed_at,
            )
        except BaseException:
            if threads.running:
                # A sync handler's thread cannot be stopped and runs on: keep the claim
                # (it lapses with its lease) so that no redelivery overlaps it meanwhile.
                logger.warning(
                    "a sync handler of stripe event %s still runs in its thread; the "
                    "event's claim is left to expire with its lease",
                    event.id,
                )
                raise
            # Even when cancelled: an unreleased claim would block retries until the lease ends.
            with anyio.CancelScope(shield=True):
                try:
                    await self._claims.release(event.id, token)
                except Exception as exc:
                    logger.warning(
                        "could not release the claim on stripe event %s (%s); it frees "
                        "itself when the lease expires",
                        event.id,
                        type(exc).__name__,
                    )
            raise
        try:
            await self._claims.complete(event.id, token)
        except EventStoreError:
            raise
        except Exception as exc:
            raise _store_error("complete", event.id, exc) from exc
        return DispatchResult(event, duplicate=False, handlers_run=count)

    async def _run_handlers(self, event: Event | EventNotification, threads: _Threads) -> int:
        count = 0
        thin = isinstance(event, EventNotification)
        for route in self._notification_routes if thin else self._routes:
            if not route.matches(event.type):
                continue
            if route.is_async:
                await route.handler(event)  # type: ignore[arg-type]
            else:
                import anyio.to_thread

                # Abandoned on cancellation (a deadline, a caller): a thread cannot be
                # interrupted, and waiting for it would let the deadline slip.
                threads.running = True
                try:
                    result = await anyio.to_thread.run_sync(
                        route.handler,  # type: ignore[arg-type]  # routes match their kind
                        event,
                        abandon_on_cancel=True,
                    )
                except Exception:
                    threads.running = False  # it returned (by raising): nothing runs on
                    raise
                threads.running = False
                if inspect.isawaitable(result):
                    await result
            count += 1
        return count


def _peek(payload: bytes | str) -> dict[str, Any] | None:
    """The body as a JSON object, or None (then `parse_event` says what is wrong)."""
    import json

    try:
        body = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


class _Threads:
    """Whether a delivery's sync handler is running in a worker thread right now."""

    def __init__(self) -> None:
        self.running = False


def _store_error(operation: str, event_id: str, exc: Exception) -> EventStoreError:
    return EventStoreError(
        f"The event store failed to {operation} event {event_id} ({type(exc).__name__}); "
        "it is not recorded as done and Stripe will retry it"
    )


def _claim_protocol(store: object) -> EventStore:
    if isinstance(store, EventStore):
        return store
    if isinstance(store, LegacyEventStore):
        warnings.warn(
            f"{type(store).__name__} implements the deprecated is_processed/mark_processed "
            "store protocol, which cannot be exactly-once across workers; implement "
            "claim/complete/release (see stripe_async.webhooks.EventStore)",
            DeprecationWarning,
            stacklevel=4,
        )
        return _LegacyStoreAdapter(store)
    raise TypeError(
        "store must implement claim/complete/release (stripe_async.webhooks.EventStore)"
    )
