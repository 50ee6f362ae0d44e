"""StripeErrorObject: the `error` Stripe reports (also `last_payment_error` and friends)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import StripeModel
from .card import PaymentSource

if TYPE_CHECKING:
    from .payment_intent import PaymentIntent
    from .payment_method import PaymentMethod

__all__ = ["LastPaymentError", "StripeErrorObject"]


class StripeErrorObject(StripeModel):
    """An API error: what failed (`type`, `code`, `decline_code`) and the objects involved."""

    type: (
        Literal["api_error", "card_error", "idempotency_error", "invalid_request_error"]
        | str
        | None
    ) = None
    advice_code: str | None = None
    charge: str | None = None
    code: str | None = None
    decline_code: str | None = None
    doc_url: str | None = None
    message: str | None = None
    network_advice_code: str | None = None
    network_decline_code: str | None = None
    param: str | None = None
    payment_intent: PaymentIntent | None = None
    payment_method: PaymentMethod | None = None
    payment_method_type: str | None = None
    request_log_url: str | None = None
    setup_intent: StripeModel | None = None
    source: PaymentSource | None = None


LastPaymentError = StripeErrorObject
