"""Small sub-objects several resources share (addresses, shipping, periods, ...)."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from ._base import StripeModel, StripeObject, timestamp

__all__ = [
    "Address",
    "AutomaticTax",
    "BillingDetails",
    "CustomField",
    "Issuer",
    "Liability",
    "Period",
    "Shipping",
    "Tier",
    "TransferData",
]

Interval = Literal["day", "week", "month", "year"] | str
TaxBehavior = Literal["exclusive", "inclusive", "unspecified"] | str
CollectionMethod = Literal["charge_automatically", "send_invoice"] | str


class Address(StripeModel):
    """A postal address; every part may be null."""

    city: str | None = None
    country: str | None = None
    line1: str | None = None
    line2: str | None = None
    postal_code: str | None = None
    state: str | None = None


class Shipping(StripeModel):
    """Where goods go: recipient, address and tracking."""

    address: Address | None = None
    carrier: str | None = None
    name: str | None = None
    phone: str | None = None
    tracking_number: str | None = None


class BillingDetails(StripeModel):
    """Billing contact attached to a payment method or charge."""

    address: Address | None = None
    email: str | None = None
    name: str | None = None
    phone: str | None = None
    tax_id: str | None = None


class Period(StripeModel):
    """A time span in unix seconds (`start` inclusive, `end` exclusive)."""

    start: int | None = None
    end: int | None = None

    @property
    def start_at(self) -> _dt.datetime | None:
        """`start` as an aware UTC datetime."""
        return timestamp(self.start)

    @property
    def end_at(self) -> _dt.datetime | None:
        """`end` as an aware UTC datetime."""
        return timestamp(self.end)


class CustomField(StripeModel):
    """A name/value pair printed on invoices."""

    name: str | None = None
    value: str | None = None


class Liability(StripeModel):
    """Which account is liable for tax (or issues the invoice)."""

    account: str | StripeObject | None = None
    type: Literal["account", "self"] | str | None = None


Issuer = Liability


class AutomaticTax(StripeModel):
    """Automatic tax settings and state of a subscription or invoice."""

    enabled: bool | None = None
    liability: Liability | None = None
    disabled_reason: str | None = None
    provider: str | None = None
    status: Literal["complete", "failed", "requires_location_inputs"] | str | None = None


class TransferData(StripeModel):
    """Where (part of) the funds go in a Connect destination charge."""

    amount: int | None = None
    amount_percent: float | None = None
    description: str | None = None
    destination: str | StripeObject | None = None
    metadata: dict[str, str] | None = None


class Tier(StripeModel):
    """One tier of a tiered price or plan."""

    flat_amount: int | None = None
    flat_amount_decimal: str | None = None
    unit_amount: int | None = None
    unit_amount_decimal: str | None = None
    up_to: int | None = None


class TransformQuantity(StripeModel):
    """Divide the quantity (or usage) before billing, rounding up or down."""

    divide_by: int | None = None
    round: Literal["down", "up"] | str | None = None
