"""Event: something happened in the account; `data.object` is the typed resource."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union, get_args

from pydantic import Discriminator, Tag

from ._base import StripeModel, StripeObject
from .balance import Balance
from .card import Card
from .charge import Charge
from .customer import Customer
from .discount import Coupon, Discount
from .invoice import Invoice
from .invoice_item import InvoiceItem
from .invoice_line_item import InvoiceLineItem
from .invoice_payment import InvoicePayment
from .payment_intent import PaymentIntent
from .payment_method import PaymentMethod
from .plan import Plan
from .price import Price
from .product import Product
from .refund import Refund
from .subscription import Subscription
from .subscription_item import SubscriptionItem
from .webhook_endpoint import WebhookEndpoint

__all__ = ["Event", "EventData", "EventObject", "EventRequest"]

_OTHER = "__other__"


def _object_kind(value: Any) -> str:
    # Once per event, so a Python-level choice is affordable here (not on hot paths).
    kind = value.get("object") if isinstance(value, dict) else getattr(value, "object", None)
    return kind if kind in EVENT_OBJECT_KINDS else _OTHER


# Keep in step with OBJECT_CLASSES in _registry.py (a test checks they agree).
# The discriminator reads the kinds from these tags, so each kind is listed once.
EventObject = Annotated[
    Union[
        Annotated[Balance, Tag("balance")],
        Annotated[Card, Tag("card")],
        Annotated[Charge, Tag("charge")],
        Annotated[Coupon, Tag("coupon")],
        Annotated[Customer, Tag("customer")],
        Annotated[Discount, Tag("discount")],
        Annotated[Invoice, Tag("invoice")],
        Annotated[InvoiceItem, Tag("invoiceitem")],
        Annotated[InvoicePayment, Tag("invoice_payment")],
        Annotated[InvoiceLineItem, Tag("line_item")],
        Annotated[PaymentIntent, Tag("payment_intent")],
        Annotated[PaymentMethod, Tag("payment_method")],
        Annotated[Plan, Tag("plan")],
        Annotated[Price, Tag("price")],
        Annotated[Product, Tag("product")],
        Annotated[Refund, Tag("refund")],
        Annotated[Subscription, Tag("subscription")],
        Annotated[SubscriptionItem, Tag("subscription_item")],
        Annotated[WebhookEndpoint, Tag("webhook_endpoint")],
        Annotated[StripeObject, Tag(_OTHER)],
    ],
    Discriminator(_object_kind),
]

EVENT_OBJECT_KINDS = frozenset(
    tag.tag
    for member in get_args(get_args(EventObject)[0])
    for tag in get_args(member)[1:]
    if isinstance(tag, Tag) and tag.tag != _OTHER
)


class EventData(StripeModel):
    """The object the event is about, and for `*.updated` the fields that changed."""

    object: EventObject
    previous_attributes: dict[str, Any] | None = None


class EventRequest(StripeModel):
    """The API request that caused the event (`id` is None for automatic actions)."""

    id: str | None = None
    idempotency_key: str | None = None


class Event(StripeObject):
    """A webhook or `/v1/events` event; `type` is e.g. `payment_intent.succeeded`."""

    id: str
    object: Literal["event"] | str = "event"
    account: str | None = None
    api_version: str | None = None
    context: str | None = None
    created: int | None = None
    data: EventData
    livemode: bool | None = None
    pending_webhooks: int | None = None
    # A bare request id before API 2017-05-25.
    request: EventRequest | str | None = None
    type: str
