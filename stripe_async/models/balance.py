"""Balance."""

from __future__ import annotations

from typing import Literal

from ._base import StripeModel


class Balance(StripeModel):
    object: Literal["balance"] | str = "balance"
    livemode: bool | None = None
