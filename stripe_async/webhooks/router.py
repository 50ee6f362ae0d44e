"""WebhookRouter: verify a delivery, then run its handlers exactly once per event id."""

from __future__ import annotations

import functools
import inspect
import logging
import uuid
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, Union

import anyio
import anyio.to_thread

from ..errors import InvalidArgumentError, SignatureVerificationError, StripeError
from ..models import Event
from .events import VersionMismatchPolicy, construct_event, validate_policy
from .signature import DEFAULT_TOLERANCE, Payload, _check_tolerance, _secret_keys
from .store import (
    EventStore,
    EventStoreError,
    InMemoryEventStore,
    LegacyEventStore,
    _LegacyStoreAdapter,
)

__all__ = [
    "DispatchResult",
    "EventInProgressError",
    "Handler",
    "HandlerFailedError",
    "WebhookRouter",
]

logger = logging.getLogger("stripe_async.webhooks")

Handler = Callable[[Event], Union[Awaitable[Any], Any]]
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
    """What `dispatch` did: the event, whether it was a duplicate, how many handlers ran."""

    event: Event
    duplicate: bool
    handlers_run: int


@dataclass(frozen=True)
class _Route:
    pattern: str
    handler: Handler
    is_async: bool

    def matches(self, event_type: str) -> bool:
        if self.pattern == "*":
            return True
        if self.pattern.endswith(".*"):
            return event_type.startswith(self.pattern[:-1])
        return self.pattern == event_type


class _Flight:
    """One in-progress handling of an event id, which duplicate deliveries wait on."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.failed = False
        self.error: BaseException | None = None


def _check_event_type(event_type: object) -> None:
    if not isinstance(event_type, str) or not event_type.strip():
        raise InvalidArgumentError(
            "event_type must be a non-empty string such as 'charge.succeeded'"
        )


def _is_async(handler: Handler) -> bool:
    target: Any = handler
    while isinstance(target, functools.partial):
        target = target.func
    return inspect.iscoroutinefunction(target) or inspect.iscoroutinefunction(
        getattr(target, "__call__", None)  # noqa: B004 - async callable objects
    )


class WebhookRouter:
    """Routes verified Stripe events to handlers, each event id handled once.

    ```python
    router = WebhookRouter("whsec_...")

    @router.on("payment_intent.succeeded")
    async def fulfil(event: Event) -> None: ...

    result = await router.dispatch(raw_body, request.headers["stripe-signature"])
    ```

    Handlers for a type run in registration order (`"*"` matches every type,
    `"invoice.*"` every invoice event); sync handlers run in a worker thread. A
    delivery first claims the event id in `store`; the id is recorded as done only
    after every handler succeeded, and a failure releases the claim so that
    Stripe's redelivery runs them again: make handlers idempotent. Concurrent
    deliveries of one id in this process wait for the first; with a shared store
    (`stripe_async.redis.RedisEventStore`) a delivery to another worker while the
    claim is held raises `EventInProgressError` so that Stripe retries it later.
    """

    def __init__(
        self,
        secret: str | Sequence[str],
        *,
        tolerance: float | None = DEFAULT_TOLERANCE,
        store: EventStore | LegacyEventStore | None = None,
        on_version_mismatch: VersionMismatchPolicy = "warn",
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
        self._routes: list[_Route] = []
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
        types = sorted({route.pattern for route in self._routes})
        return f"WebhookRouter(handlers={len(self._routes)}, types={types!r})"

    def on(self, event_type: str) -> Callable[[H], H]:
        """Decorator registering a handler (sync or async) for `event_type`."""
        _check_event_type(event_type)

        def register(handler: H) -> H:
            self.add_handler(event_type, handler)
            return handler

        return register

    def add_handler(self, event_type: str, handler: Handler) -> None:
        """Register `handler` for `event_type` (`"*"` for every event)."""
        _check_event_type(event_type)
        if not callable(handler):
            raise TypeError("handler must be callable")
        self._routes.append(_Route(event_type, handler, _is_async(handler)))

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

    async def dispatch(self, payload: Payload, header: str | bytes) -> DispatchResult:
        """Verify, parse and handle one delivery.

        Raises SignatureVerificationError / InvalidPayloadError before any handler
        runs; re-raises a handler's exception (the event stays unprocessed).
        """
        return await self.handle(self.construct_event(payload, header))

    async def handle(self, event: Event) -> DispatchResult:
        """Run the handlers of an already-verified event, once per event id.

        Raises EventInProgressError while another delivery holds the event's claim,
        and EventStoreError when the store fails (nothing is recorded as done).
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

    async def _claim_and_run(self, event: Event) -> DispatchResult:
        token = uuid.uuid4().hex
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
        try:
            count = await self._run_handlers(event)
        except BaseException:
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

    async def _run_handlers(self, event: Event) -> int:
        count = 0
        for route in self._routes:
            if not route.matches(event.type):
                continue
            if route.is_async:
                await route.handler(event)
            else:
                result = await anyio.to_thread.run_sync(route.handler, event)
                if inspect.isawaitable(result):
                    await result
            count += 1
        return count


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
