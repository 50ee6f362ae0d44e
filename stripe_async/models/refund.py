"""Refund (placeholder shape; fields are filled in by the models work)."""

from __future__ import annotations

from typing import Literal

from ._base import StripeObject


class Refund(StripeObject):
    id: str
    object: Literal["refund"] | str = "refund"
