"""Pydantic models of Stripe's resources."""

from ._base import DeletedObject, ListObject, SearchResult, StripeModel, StripeObject
from .balance import Balance
from .charge import Charge
from .customer import Customer
from .event import Event
from .invoice import Invoice
from .invoice_item import InvoiceItem
from .invoice_line_item import InvoiceLineItem
from .payment_intent import PaymentIntent
from .payment_method import PaymentMethod
from .price import Price
from .product import Product
from .refund import Refund
from .subscription import Subscription
from .subscription_item import SubscriptionItem
from .webhook_endpoint import WebhookEndpoint

__all__ = [
    "Balance",
    "Charge",
    "Customer",
    "DeletedObject",
    "Event",
    "Invoice",
    "InvoiceItem",
    "InvoiceLineItem",
    "ListObject",
    "PaymentIntent",
    "PaymentMethod",
    "Price",
    "Product",
    "Refund",
    "SearchResult",
    "StripeModel",
    "StripeObject",
    "Subscription",
    "SubscriptionItem",
    "WebhookEndpoint",
]
