"""Pydantic models of Stripe's resources."""

from ._base import DeletedObject, ListObject, SearchResult, StripeModel, StripeObject
from .balance import Balance
from .customer import Customer
from .payment_intent import PaymentIntent

__all__ = [
    "Balance",
    "Customer",
    "DeletedObject",
    "ListObject",
    "PaymentIntent",
    "SearchResult",
    "StripeModel",
    "StripeObject",
]
