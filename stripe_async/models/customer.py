"""Customer."""

from __future__ import annotations

from typing import Literal

from ._base import StripeObject


class Customer(StripeObject):
    id: str
    object: Literal["customer"] | str = "customer"
    created: int | None = None
    email: str | None = None
    name: str | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
