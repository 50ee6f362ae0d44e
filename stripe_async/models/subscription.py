"""Subscription (placeholder shape; fields are filled in by the models work)."""

from __future__ import annotations

from typing import Literal

from ._base import StripeObject


class Subscription(StripeObject):
    id: str
    object: Literal["subscription"] | str = "subscription"
