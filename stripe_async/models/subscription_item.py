"""SubscriptionItem: one price (and quantity) on a subscription."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Literal

from ._base import StripeModel, StripeObject, timestamp
from .plan import Plan
from .price import Price

if TYPE_CHECKING:
    from .discount import Discount

__all__ = ["SubscriptionItem"]


class ItemBillingThresholds(StripeModel):
    """Usage threshold that triggers an invoice."""

    usage_gte: int | None = None


class CurrentTrial(StripeModel):
    """The trial offer applied to this item."""

    end_date: int | None = None
    start_date: int | None = None
    trial_offer: str | None = None


class SubscriptionItem(StripeObject):
    """A price and quantity on a subscription, with its own billing period."""

    id: str
    object: Literal["subscription_item"] | str = "subscription_item"
    billed_until: int | None = None
    billing_thresholds: ItemBillingThresholds | None = None
    created: int | None = None
    current_period_end: int | None = None
    current_period_start: int | None = None
    current_trial: CurrentTrial | None = None
    discounts: list[str | Discount] | None = None
    metadata: dict[str, str] | None = None
    plan: Plan | None = None
    price: Price | None = None
    quantity: int | None = None
    subscription: str | None = None
    tax_rates: list[StripeObject] | None = None

    @property
    def current_period_end_at(self) -> _dt.datetime | None:
        """`current_period_end` as an aware UTC datetime."""
        return timestamp(self.current_period_end)

    @property
    def current_period_start_at(self) -> _dt.datetime | None:
        """`current_period_start` as an aware UTC datetime."""
        return timestamp(self.current_period_start)
