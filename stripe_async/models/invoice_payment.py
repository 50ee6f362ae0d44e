"""InvoicePayment: one payment (a PaymentIntent or an out-of-band record) towards an invoice."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Literal

from ._base import StripeModel, StripeObject

if TYPE_CHECKING:
    from .payment_intent import PaymentIntent

__all__ = ["InvoicePayment", "InvoicePaymentDetails", "InvoicePaymentStatusTransitions"]


class InvoicePaymentDetails(StripeModel):
    """What paid: `payment_intent` (expandable) or a `payment_record`."""

    type: Literal["charge", "payment_intent", "payment_record"] | str | None = None
    charge: str | StripeObject | None = None
    payment_intent: str | PaymentIntent | None = None
    payment_record: str | StripeObject | None = None


class InvoicePaymentStatusTransitions(StripeModel):
    canceled_at: int | None = None
    paid_at: int | None = None

    @property
    def paid_at_datetime(self) -> _dt.datetime | None:
        """`paid_at` as an aware UTC datetime."""
        if self.paid_at is None:
            return None
        return _dt.datetime.fromtimestamp(self.paid_at, tz=_dt.timezone.utc)


class InvoicePayment(StripeObject):
    """A payment applied to an invoice (how the current API links invoices to payments)."""

    id: str
    object: Literal["invoice_payment"] | str = "invoice_payment"
    amount_paid: int | None = None
    amount_requested: int | None = None
    created: int | None = None
    currency: str | None = None
    invoice: str | StripeObject | None = None
    is_default: bool | None = None
    livemode: bool | None = None
    payment: InvoicePaymentDetails | None = None
    status: Literal["canceled", "open", "paid"] | str | None = None
    status_transitions: InvoicePaymentStatusTransitions | None = None

    @property
    def payment_intent_id(self) -> str | None:
        """The PaymentIntent's id, expanded or not."""
        if self.payment is None or self.payment.payment_intent is None:
            return None
        intent = self.payment.payment_intent
        return intent if isinstance(intent, str) else intent.id
