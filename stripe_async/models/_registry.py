"""Which model parses which `object` kind; webhooks and the emulator look kinds up here."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ._base import StripeObject
from .balance import Balance
from .card import Card
from .charge import Charge
from .customer import Customer
from .discount import Coupon, Discount
from .event import Event
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

__all__ = ["OBJECT_CLASSES", "model_for"]

OBJECT_CLASSES: Mapping[str, type[StripeObject]] = MappingProxyType(
    {
        "balance": Balance,
        "card": Card,
        "charge": Charge,
        "coupon": Coupon,
        "customer": Customer,
        "discount": Discount,
        "event": Event,
        "invoice": Invoice,
        "invoice_payment": InvoicePayment,
        "invoiceitem": InvoiceItem,
        "line_item": InvoiceLineItem,
        "payment_intent": PaymentIntent,
        "payment_method": PaymentMethod,
        "plan": Plan,
        "price": Price,
        "product": Product,
        "refund": Refund,
        "subscription": Subscription,
        "subscription_item": SubscriptionItem,
        "webhook_endpoint": WebhookEndpoint,
    }
)


def model_for(kind: str | None) -> type[StripeObject]:
    """The model for an `object` kind; `StripeObject` for kinds not typed here."""
    if kind is None:
        return StripeObject
    return OBJECT_CLASSES.get(kind, StripeObject)
