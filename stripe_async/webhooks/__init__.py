"""Webhook verification and handling.

Importing this package never imports httpx or the client; the router, the ASGI
app and the typed events load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..errors import SignatureVerificationError
from .signature import DEFAULT_TOLERANCE, compute_signature, generate_test_header, verify_signature

if TYPE_CHECKING:
    from ..models._event_types import EventType, EventTypePattern
    from ._typed_events import event_is
    from .asgi import HealthCheckClient, WebhookApp, create_app
    from .events import (
        APIVersionMismatchError,
        APIVersionMismatchWarning,
        InvalidPayloadError,
        StripeAsyncWarning,
        construct_event,
    )
    from .notifications import (
        EventNotification,
        UnknownEventNotification,
        parse_event_notification,
        parse_notification,
    )
    from .router import (
        DEFAULT_HANDLER_TIMEOUT,
        ClaimLostError,
        DispatchResult,
        EventInProgressError,
        HandlerFailedError,
        HandlerTimeoutError,
        WebhookRouter,
    )
    from .store import (
        ClaimResult,
        EventStore,
        EventStoreError,
        InMemoryEventStore,
        LegacyEventStore,
        RenewableEventStore,
    )

_LAZY = {
    "EventType": "..models._event_types",
    "EventTypePattern": "..models._event_types",
    "event_is": "._typed_events",
    "construct_event": ".events",
    "APIVersionMismatchError": ".events",
    "APIVersionMismatchWarning": ".events",
    "InvalidPayloadError": ".events",
    "StripeAsyncWarning": ".events",
    "WebhookRouter": ".router",
    "EventNotification": ".notifications",
    "UnknownEventNotification": ".notifications",
    "parse_event_notification": ".notifications",
    "parse_notification": ".notifications",
    "DispatchResult": ".router",
    "HandlerFailedError": ".router",
    "EventInProgressError": ".router",
    "HandlerTimeoutError": ".router",
    "ClaimLostError": ".router",
    "DEFAULT_HANDLER_TIMEOUT": ".router",
    "ClaimResult": ".store",
    "EventStore": ".store",
    "EventStoreError": ".store",
    "InMemoryEventStore": ".store",
    "LegacyEventStore": ".store",
    "RenewableEventStore": ".store",
    "create_app": ".asgi",
    "WebhookApp": ".asgi",
    "HealthCheckClient": ".asgi",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "DEFAULT_HANDLER_TIMEOUT",
    "DEFAULT_TOLERANCE",
    "APIVersionMismatchError",
    "APIVersionMismatchWarning",
    "ClaimLostError",
    "ClaimResult",
    "DispatchResult",
    "EventInProgressError",
    "EventNotification",
    "EventStore",
    "EventStoreError",
    "EventType",
    "EventTypePattern",
    "HandlerFailedError",
    "HandlerTimeoutError",
    "HealthCheckClient",
    "InMemoryEventStore",
    "InvalidPayloadError",
    "LegacyEventStore",
    "RenewableEventStore",
    "SignatureVerificationError",
    "StripeAsyncWarning",
    "UnknownEventNotification",
    "WebhookApp",
    "WebhookRouter",
    "compute_signature",
    "construct_event",
    "create_app",
    "event_is",
    "generate_test_header",
    "parse_event_notification",
    "parse_notification",
    "verify_signature",
]
