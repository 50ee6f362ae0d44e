"""PaymentIntent."""

from __future__ import annotations

from typing import Literal

from ._base import StripeObject


class PaymentIntent(StripeObject):
    id: str
    object: Literal["payment_intent"] | str = "payment_intent"
    amount: int | None = None
    currency: str | None = None
    status: str | None = None
    client_secret: str | None = None
    customer: str | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
