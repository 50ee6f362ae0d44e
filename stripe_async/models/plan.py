"""Plan: the older form of a recurring Price (still used by localstripe and old code)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import StripeObject
from ._common import Interval, Tier, TransformQuantity

if TYPE_CHECKING:
    from .product import Product

__all__ = ["Plan"]


class Plan(StripeObject):
    """A recurring price: an amount per `interval` for a product."""

    id: str
    object: Literal["plan"] | str = "plan"
    active: bool | None = None
    aggregate_usage: str | None = None
    amount: int | None = None
    amount_decimal: str | None = None
    billing_scheme: Literal["per_unit", "tiered"] | str | None = None
    created: int | None = None
    currency: str | None = None
    interval: Interval | None = None
    interval_count: int | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
    meter: str | None = None
    nickname: str | None = None
    product: str | Product | None = None
    tiers: list[Tier] | None = None
    tiers_mode: Literal["graduated", "volume"] | str | None = None
    transform_usage: TransformQuantity | None = None
    trial_period_days: int | None = None
    usage_type: Literal["licensed", "metered"] | str | None = None
