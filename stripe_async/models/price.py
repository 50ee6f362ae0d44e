"""Price (placeholder shape; fields are filled in by the models work)."""

from __future__ import annotations

from typing import Literal

from ._base import StripeObject


class Price(StripeObject):
    id: str
    object: Literal["price"] | str = "price"
