"""Event: something happened in the account; `data.object` is the typed object it is about.

`Event` is generic over its object: `Event[checkout.Session]` is what a handler
registered with `router.on("checkout.session.completed")` receives. At run time
the object is parsed by its `object` kind, whichever way the event was declared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal

from pydantic import PlainValidator, SerializeAsAny
from typing_extensions import TypeVar

from ._base import StripeModel, StripeObject
from ._event_types import EVENT_OBJECT_KIND, EVENT_OBJECT_KINDS, EventType
from ._registry import parse_object

__all__ = [
    "EVENT_OBJECT_KIND",
    "EVENT_OBJECT_KINDS",
    "Event",
    "EventData",
    "EventObject",
    "EventRequest",
    "EventType",
]

EventObject = StripeObject
"""What `data.object` is when nothing narrows it: the model of its kind, at least a StripeObject."""

ObjectT = TypeVar("ObjectT", bound=StripeModel, covariant=True, default=StripeObject)


class EventData(StripeModel, Generic[ObjectT]):
    """The object the event is about, and for `*.updated` the fields that changed."""

    object: SerializeAsAny[
        Annotated[ObjectT, PlainValidator(parse_object, json_schema_input_type=dict[str, Any])]
    ]
    previous_attributes: dict[str, Any] | None = None


class EventRequest(StripeModel):
    """The API request that caused the event (`id` is None for automatic actions)."""

    id: str | None = None
    idempotency_key: str | None = None


class Event(StripeObject, Generic[ObjectT]):
    """A webhook or `/v1/events` event; `type` is e.g. `payment_intent.succeeded`."""

    id: str
    object: Literal["event"] | str = "event"
    account: str | None = None
    api_version: str | None = None
    context: str | None = None
    created: int | None = None
    data: EventData[ObjectT]
    livemode: bool | None = None
    pending_webhooks: int | None = None
    # A bare request id before API 2017-05-25.
    request: EventRequest | str | None = None
    if TYPE_CHECKING:
        type: EventType
    else:
        type: str  # a type newer than this release parses as its string

    @property
    def type_is_known(self) -> bool:
        """Whether `type` is one of this release's types (else it is newer, kept as sent)."""
        return self.type in EVENT_OBJECT_KIND
