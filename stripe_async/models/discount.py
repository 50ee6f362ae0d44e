"""Discount and Coupon."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import StripeModel, StripeObject

if TYPE_CHECKING:
    from .customer import Customer

__all__ = ["Coupon", "Discount", "DiscountSource"]


class CouponAppliesTo(StripeModel):
    """Products a coupon is limited to."""

    products: list[str] | None = None


class Coupon(StripeObject):
    """A reusable discount: an amount or a percentage off, for a duration."""

    id: str
    object: Literal["coupon"] | str = "coupon"
    amount_off: int | None = None
    applies_to: CouponAppliesTo | None = None
    created: int | None = None
    currency: str | None = None
    currency_options: dict[str, StripeModel] | None = None
    duration: Literal["forever", "once", "repeating"] | str | None = None
    duration_in_months: int | None = None
    livemode: bool | None = None
    max_redemptions: int | None = None
    metadata: dict[str, str] | None = None
    name: str | None = None
    percent_off: float | None = None
    redeem_by: int | None = None
    times_redeemed: int | None = None
    valid: bool | None = None


class DiscountSource(StripeModel):
    """Where a discount comes from (today always a coupon)."""

    coupon: str | Coupon | None = None
    type: Literal["coupon"] | str | None = None


class Discount(StripeObject):
    """A coupon or promotion code applied to a customer, subscription or invoice."""

    object: Literal["discount"] | str = "discount"
    checkout_session: str | None = None
    customer: str | Customer | None = None
    customer_account: str | None = None
    end: int | None = None
    invoice: str | None = None
    invoice_item: str | None = None
    promotion_code: str | StripeObject | None = None
    source: DiscountSource | None = None
    start: int | None = None
    subscription: str | None = None
    subscription_item: str | None = None
    # Older API versions put the coupon directly on the discount.
    coupon: Coupon | None = None
