"""WebhookRouter: verify a delivery, then run its handlers exactly once per event id."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, Union

import anyio
import anyio.to_thread

from ..errors import InvalidArgumentError, SignatureVerificationError, StripeError
from ..models import Event
from .events import VersionMismatchPolicy, construct_event, validate_policy
from .signature import DEFAULT_TOLERANCE, Payload, _check_tolerance, _secret_keys
from .store import EventStore, InMemoryEventStore

__all__ = ["DispatchResult", "Handler", "HandlerFailedError", "WebhookRouter"]

logger = logging.getLogger("stripe_async.webhooks")

Handler = Callable[[Event], Union[Awaitable[Any], Any]]
H = TypeVar("H", bound=Handler)


class HandlerFailedError(StripeError):
    """A concurrent delivery of the same event failed; this one did not run the handlers."""


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
    `"invoice.*"` every invoice event); sync handlers run in a worker thread. An
    event id is recorded in `store` only after all of them succeeded, so a failure
    lets Stripe's redelivery run them again: make handlers idempotent.
    Concurrent deliveries of one id run the handlers once.
    """

    def __init__(
        self,
        secret: str | Sequence[str],
        *,
        tolerance: float | None = DEFAULT_TOLERANCE,
        store: EventStore | None = None,
        on_version_mismatch: VersionMismatchPolicy = "warn",
    ) -> None:
        try:
            _secret_keys(secret)  # fail at startup, not on the first delivery
        except SignatureVerificationError as exc:
            raise InvalidArgumentError(exc.message) from None
        _check_tolerance(tolerance)
        self._secret = secret
        self.tolerance = tolerance
        self.store: EventStore = InMemoryEventStore() if store is None else store
        self.on_version_mismatch = validate_policy(on_version_mismatch)
        self._routes: list[_Route] = []
        self._in_flight: dict[str, _Flight] = {}

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
        """Run the handlers of an already-verified event, once per event id."""
        flight = self._in_flight.get(event.id)
        if flight is not None:
            await flight.done.wait()
            if flight.failed:
                raise HandlerFailedError(
                    f"Handling event {event.id} failed in a concurrent delivery; Stripe will "
                    "retry it"
                )
            return DispatchResult(event, duplicate=True, handlers_run=0)
        # Registered before the first await so a concurrent duplicate sees it.
        flight = self._in_flight[event.id] = _Flight()
        try:
            if await self.store.is_processed(event.id):
                logger.debug("stripe event %s already handled; skipping", event.id)
                return DispatchResult(event, duplicate=True, handlers_run=0)
            count = await self._run_handlers(event)
            await self.store.mark_processed(event.id)
            return DispatchResult(event, duplicate=False, handlers_run=count)
        except BaseException:
            flight.failed = True
            raise
        finally:
            del self._in_flight[event.id]
            flight.done.set()

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
