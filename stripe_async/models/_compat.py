"""Names earlier releases exported that are not generated models (kept so no code breaks)."""

from __future__ import annotations

from typing import Literal, Union

from ._base import DeletedObject
from .bank_account import BankAccount
from .card import Card
from .customer import Customer
from .invoice import Invoice
from .source import Source

__all__ = [
    "CustomerRef",
    "DeletedCustomer",
    "InvoiceBase",
    "InvoicePreview",
    "InvoiceStatus",
    "PaymentIntentStatus",
    "PaymentSource",
    "SubscriptionStatus",
]


class DeletedCustomer(DeletedObject):
    """What Stripe returns for a deleted customer."""

    object: Literal["customer"] | str = "customer"


CustomerRef = Union[str, DeletedCustomer, Customer]
PaymentSource = Union[Card, BankAccount, Source]
# An invoice preview is an invoice that may lack an id; `Invoice` parses both.
InvoiceBase = Invoice
InvoicePreview = Invoice

InvoiceStatus = Literal["draft", "open", "paid", "uncollectible", "void"] | str
PaymentIntentStatus = (
    Literal[
        "canceled",
        "processing",
        "requires_action",
        "requires_capture",
        "requires_confirmation",
        "requires_payment_method",
        "succeeded",
    ]
    | str
)
SubscriptionStatus = (
    Literal[
        "active",
        "canceled",
        "incomplete",
        "incomplete_expired",
        "past_due",
        "paused",
        "trialing",
        "unpaid",
    ]
    | str
)
