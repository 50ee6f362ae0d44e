"""Event notifications (thin events): verify, parse into a typed class, fetch the rest.

An event destination with `event_payload="thin"` delivers a small body: what
happened (`type`), when, in which context, and a reference to the object it
happened to. The full event and the object itself are fetched through the
client on demand:

```python
notification = stripe.parse_event_notification(body, sig_header, "whsec_...")
if notification.type == "v1.billing.meter.error_report_triggered":
    meter = await notification.fetch_related_object()   # a typed Meter
    event = await notification.fetch_event()            # the v2 Event, with its data
```

Verification is the same HMAC scheme as `construct_event`. Every type Stripe's
API has gets its own generated class (`notification_types.py`); a type this
release does not know parses as `UnknownEventNotification`, never an error.
"""

from __future__ import annotations

import builtins
import importlib
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .events import InvalidPayloadError
from .signature import DEFAULT_TOLERANCE, Payload, verify_signature

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..client import StripeClient
    from ..models._base import StripeObject
    from ..models.v2.core.event import Event
    from .notification_types import AnyEventNotification

M = TypeVar("M", bound="BaseModel")

__all__ = [
    "EventNotification",
    "NotificationReason",
    "RelatedEventNotification",
    "RelatedObject",
    "UnknownEventNotification",
    "is_notification",
    "parse_event_notification",
    "parse_notification",
]

#: The `object` of a thin payload (a snapshot event's is `event`).
NOTIFICATION_OBJECT = "v2.core.event"


class RelatedObject:
    """The object an event is about: its id, its kind and the API path that returns it."""

    __slots__ = ("id", "type", "url")

    def __init__(self, body: Mapping[str, Any]) -> None:
        self.id: str = str(body.get("id", ""))
        self.type: str = str(body.get("type", ""))
        self.url: str = str(body.get("url", ""))

    def __repr__(self) -> str:
        return f"RelatedObject(id={self.id!r}, type={self.type!r}, url={self.url!r})"


class NotificationReason:
    """Why the event happened: `type` (e.g. `request`) and, for a request, its id and key."""

    __slots__ = ("idempotency_key", "request_id", "type")

    def __init__(self, body: Mapping[str, Any]) -> None:
        request = body.get("request")
        request = request if isinstance(request, Mapping) else {}
        self.type: str = str(body.get("type", ""))
        self.request_id: str | None = request.get("id")
        self.idempotency_key: str | None = request.get("idempotency_key")

    def __repr__(self) -> str:
        return f"NotificationReason(type={self.type!r}, request_id={self.request_id!r})"


class EventNotification:
    """A thin event. `fetch_event()` returns the full v2 event through the client.

    A notification parsed by `client.parse_event_notification(...)` is bound to
    that client; one parsed without a client takes one in each fetch call.
    `raw` keeps the delivered body as it came.
    """

    id: str
    type: str
    object: str
    created: str
    livemode: bool
    context: str | None
    """The account (or organization) the event happened in, sent as `Stripe-Context`."""
    reason: NotificationReason | None
    related_object: RelatedObject | None
    raw: dict[str, Any]

    def __init__(self, body: Mapping[str, Any], client: StripeClient | None = None) -> None:
        self.raw = dict(body)
        self.id = str(body["id"])
        self.type = str(body["type"])
        self.object = str(body.get("object") or NOTIFICATION_OBJECT)
        self.created = str(body.get("created", ""))
        self.livemode = bool(body.get("livemode"))
        context = body.get("context")
        self.context = context if isinstance(context, str) and context else None
        reason = body.get("reason")
        self.reason = NotificationReason(reason) if isinstance(reason, Mapping) else None
        related = body.get("related_object")
        self.related_object = RelatedObject(related) if isinstance(related, Mapping) else None
        self._client = client

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} id={self.id!r} type={self.type!r} "
            f"created={self.created!r} context={self.context!r}>"
        )

    def bind(self, client: StripeClient) -> EventNotification:
        """Fetch through `client` from now on (returns the notification itself)."""
        self._client = client
        return self

    def _bound(self, client: StripeClient | None) -> StripeClient:
        chosen = client if client is not None else self._client
        if chosen is None:
            from ..errors import InvalidArgumentError

            raise InvalidArgumentError(
                "this notification is bound to no client: parse it with "
                "client.parse_event_notification(...), or pass client=..."
            )
        return chosen

    def _options(self) -> dict[str, Any]:
        # Stripe-Request-Trigger tells Stripe the fetch answers this event (Stripe's
        # SDKs send it on these fetches).
        options: dict[str, Any] = {"headers": {"Stripe-Request-Trigger": f"event={self.id}"}}
        if self.context:
            options["stripe_context"] = self.context
        return options

    async def fetch_event(self, client: StripeClient | None = None) -> Event:
        """The full event (`GET /v2/core/events/{id}`), in the notification's context."""
        stripe = self._bound(client)
        return await stripe.v2.core.events.retrieve(self.id, **self._options())

    async def _fetch_related(
        self, model: builtins.type[M], client: StripeClient | None = None
    ) -> M:
        related = self.related_object
        if related is None or not related.url.startswith(("/v1/", "/v2/")):
            # A full URL here would send the API key to whatever host it names.
            raise InvalidPayloadError(
                f"notification {self.id} has no related object path to fetch "
                f"(got {related.url if related else None!r})"
            )
        stripe = self._bound(client)
        requester = stripe._requester
        return await requester.request_model("GET", related.url, self._options(), model)


class RelatedEventNotification(EventNotification):
    """A notification about one object: `fetch_related_object()` returns it as it is now."""

    related_object: RelatedObject
    #: (module under `stripe_async.models`, class) of the related object's model.
    related_model: ClassVar[tuple[str, str]]

    async def fetch_related_object(self, client: StripeClient | None = None) -> Any:
        """Fetch the object this event is about (each generated class types the reply)."""
        module, name = self.related_model
        model = getattr(importlib.import_module(f"..models.{module}", __package__), name)
        return await self._fetch_related(model, client)


class UnknownEventNotification(EventNotification):
    """A notification type this release has no class for; fields and fetches still work."""

    async def fetch_related_object(self, client: StripeClient | None = None) -> StripeObject | None:
        """The related object as a generic `StripeObject` (None when there is none)."""
        if self.related_object is None:
            return None
        from ..models._base import StripeObject

        return await self._fetch_related(StripeObject, client)


def is_notification(body: Mapping[str, Any]) -> bool:
    """True for a thin payload, False for a snapshot event (whose `object` is `event`)."""
    return body.get("object") == NOTIFICATION_OBJECT


def parse_notification(
    payload: Payload | Mapping[str, Any], client: StripeClient | None = None
) -> AnyEventNotification:
    """Parse an already-verified thin payload into its notification class."""
    if isinstance(payload, Mapping):
        body: Any = payload
    else:
        try:
            body = json.loads(bytes(payload) if not isinstance(payload, str) else payload)
        except (ValueError, RecursionError):
            raise InvalidPayloadError(
                "The notification body has a valid signature but is not valid JSON. "
                "Pass the raw request body, not a decoded or re-encoded one."
            ) from None
    if not isinstance(body, Mapping):
        raise InvalidPayloadError("The notification body is JSON but not an object")
    kind = body.get("object")
    if kind == "event":
        raise InvalidPayloadError(
            "This is a snapshot event, not an event notification: use construct_event()"
        )
    if kind is not None and kind != NOTIFICATION_OBJECT:
        raise InvalidPayloadError(f"Expected a {NOTIFICATION_OBJECT!r} body, got {kind!r}")
    if not isinstance(body.get("id"), str) or not isinstance(body.get("type"), str):
        raise InvalidPayloadError("An event notification needs a string `id` and `type`")
    from .notification_types import NOTIFICATION_CLASSES

    cls: type[EventNotification] = NOTIFICATION_CLASSES.get(body["type"], UnknownEventNotification)
    return cls(body, client)  # type: ignore[return-value]


def parse_event_notification(
    payload: Payload,
    sig_header: str | bytes,
    secret: str | Sequence[str],
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    client: StripeClient | None = None,
) -> AnyEventNotification:
    """Verify `sig_header` against the raw `payload`, then parse the thin event.

    Raises SignatureVerificationError when the signature does not verify and
    InvalidPayloadError when the verified body is not an event notification
    (a snapshot event included: that one is for `construct_event`).
    """
    verify_signature(payload, sig_header, secret, tolerance=tolerance)
    return parse_notification(payload, client)
