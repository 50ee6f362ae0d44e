"""Price: how much and how often to charge for a product."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import StripeModel, StripeObject
from ._common import Interval, TaxBehavior, Tier, TransformQuantity

if TYPE_CHECKING:
    from .product import Product

__all__ = ["CustomUnitAmount", "Price", "Recurring"]


class Recurring(StripeModel):
    """Billing frequency and usage type of a recurring price."""

    interval: Interval | None = None
    interval_count: int | None = None
    meter: str | None = None
    trial_period_days: int | None = None
    usage_type: Literal["licensed", "metered"] | str | None = None
    # Older API versions; kept typed because localstripe and old events still send it.
    aggregate_usage: str | None = None


class CustomUnitAmount(StripeModel):
    """Bounds for a pay-what-you-want price."""

    maximum: int | None = None
    minimum: int | None = None
    preset: int | None = None


class CurrencyOption(StripeModel):
    """The price in one more currency."""

    custom_unit_amount: CustomUnitAmount | None = None
    tax_behavior: TaxBehavior | None = None
    tiers: list[Tier] | None = None
    unit_amount: int | None = None
    unit_amount_decimal: str | None = None


class Price(StripeObject):
    """A unit amount (or tiers), a currency and, for subscriptions, an interval."""

    id: str
    object: Literal["price"] | str = "price"
    active: bool | None = None
    billing_scheme: Literal["per_unit", "tiered"] | str | None = None
    created: int | None = None
    currency: str | None = None
    currency_options: dict[str, CurrencyOption] | None = None
    custom_unit_amount: CustomUnitAmount | None = None
    livemode: bool | None = None
    lookup_key: str | None = None
    metadata: dict[str, str] | None = None
    nickname: str | None = None
    product: str | Product | None = None
    recurring: Recurring | None = None
    tax_behavior: TaxBehavior | None = None
    tiers: list[Tier] | None = None
    tiers_mode: Literal["graduated", "volume"] | str | None = None
    transform_quantity: TransformQuantity | None = None
    type: Literal["one_time", "recurring"] | str | None = None
    unit_amount: int | None = None
    unit_amount_decimal: str | None = None
