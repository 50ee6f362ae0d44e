"""Refund: money returned to the customer for a charge or PaymentIntent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import StripeModel, StripeObject
from .customer import CustomerRef
from .payment_intent import PresentmentDetails

if TYPE_CHECKING:
    from .charge import Charge
    from .payment_intent import PaymentIntent
    from .payment_method import PaymentMethod

__all__ = ["Refund", "RefundDestinationDetails"]


class RefundDestinationCard(StripeModel):
    """How the refund reached the card, with the network reference once known."""

    reference: str | None = None
    reference_status: str | None = None
    reference_type: str | None = None
    type: Literal["pending", "refund", "reversal"] | str | None = None


class RefundDestinationDetails(StripeModel):
    """Where the refund went; `type` names the key holding the details."""

    type: str | None = None
    card: RefundDestinationCard | None = None


class RefundEmailSent(StripeModel):
    """The email sent to collect refund details."""

    email_sent_at: int | None = None
    email_sent_to: str | None = None


class RefundDisplayDetails(StripeModel):
    """Instructions to show while the refund waits on the customer."""

    email_sent: RefundEmailSent | None = None
    expires_at: int | None = None


class RefundNextAction(StripeModel):
    """What must happen before the refund can complete."""

    type: str | None = None
    display_details: RefundDisplayDetails | None = None


class Refund(StripeObject):
    """A refund of (part of) a charge."""

    id: str
    object: Literal["refund"] | str = "refund"
    amount: int | None = None
    balance_transaction: str | StripeObject | None = None
    charge: str | Charge | None = None
    created: int | None = None
    currency: str | None = None
    customer: CustomerRef | None = None
    customer_account: str | None = None
    description: str | None = None
    destination_details: RefundDestinationDetails | None = None
    failure_balance_transaction: str | StripeObject | None = None
    failure_reason: str | None = None
    instructions_email: str | None = None
    metadata: dict[str, str] | None = None
    next_action: RefundNextAction | None = None
    payment_intent: str | PaymentIntent | None = None
    payment_method: str | PaymentMethod | None = None
    pending_reason: Literal["charge_pending", "insufficient_funds", "processing"] | str | None = (
        None
    )
    presentment_details: PresentmentDetails | None = None
    reason: (
        Literal["duplicate", "expired_uncaptured_charge", "fraudulent", "requested_by_customer"]
        | str
        | None
    ) = None
    receipt_number: str | None = None
    source_transfer_reversal: str | StripeObject | None = None
    status: (
        Literal["canceled", "failed", "pending", "requires_action", "succeeded"] | str | None
    ) = None
    transfer_reversal: str | StripeObject | None = None
