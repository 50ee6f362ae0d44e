"""InvoiceLineItem (placeholder shape; fields are filled in by the models work)."""

from __future__ import annotations

from typing import Literal

from ._base import StripeObject


class InvoiceLineItem(StripeObject):
    id: str
    object: Literal["line_item"] | str = "line_item"
