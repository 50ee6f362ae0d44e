"""PaymentMethod (placeholder shape; fields are filled in by the models work)."""

from __future__ import annotations

from typing import Literal

from ._base import StripeObject


class PaymentMethod(StripeObject):
    id: str
    object: Literal["payment_method"] | str = "payment_method"
