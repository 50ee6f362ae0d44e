"""Hand-written conveniences mixed into generated models (properties users rely on).

Each mixin declares, for type checkers only, the fields it reads; the generated
model it is mixed into supplies them.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from ._base import timestamp

__all__ = [
    "BalanceHelpers",
    "InvoiceHelpers",
    "InvoicePaymentHelpers",
    "PaymentIntentHelpers",
    "PeriodHelpers",
    "StatusTransitionsHelpers",
    "SubscriptionHelpers",
    "SubscriptionItemHelpers",
]


def _id_of(ref: Any) -> str | None:
    if ref is None or isinstance(ref, str):
        return ref
    # A field older API versions sent is kept as plain JSON (the models type the current API).
    value = ref.get("id") if isinstance(ref, dict) else getattr(ref, "id", None)
    return value if isinstance(value, str) else None


class PaymentIntentHelpers:
    if TYPE_CHECKING:
        status: str

    @property
    def requires_action(self) -> bool:
        """True when the customer must act (3D Secure, redirect, voucher, ...)."""
        return self.status == "requires_action"


class StatusTransitionsHelpers:
    if TYPE_CHECKING:
        paid_at: int | None
        finalized_at: int | None

    @property
    def paid_at_datetime(self) -> _dt.datetime | None:
        """`paid_at` as an aware UTC datetime."""
        return timestamp(self.paid_at)

    @property
    def finalized_at_datetime(self) -> _dt.datetime | None:
        """`finalized_at` as an aware UTC datetime."""
        return timestamp(getattr(self, "finalized_at", None))


class InvoiceHelpers:
    if TYPE_CHECKING:
        parent: Any

    @property
    def subscription_id(self) -> str | None:
        """The billed subscription's id, from `parent` (current API) or `subscription` (older)."""
        details = getattr(self.parent, "subscription_details", None)
        ref = getattr(details, "subscription", None) if details is not None else None
        if ref is None:
            ref = getattr(self, "subscription", None)
        return _id_of(ref)


class InvoicePaymentHelpers:
    if TYPE_CHECKING:
        payment: Any

    @property
    def payment_intent_id(self) -> str | None:
        """The PaymentIntent's id, expanded or not."""
        return _id_of(getattr(self.payment, "payment_intent", None))


class _PeriodFromItems:
    def _period(self, name: str) -> _dt.datetime | None:
        value = getattr(self, name, None)
        items = getattr(self, "items", None)
        data = getattr(items, "data", None)
        if value is None and data:
            value = getattr(data[0], name, None)
        return timestamp(value) if isinstance(value, int) else None


class SubscriptionHelpers(_PeriodFromItems):
    if TYPE_CHECKING:
        trial_end: int | None

    @property
    def current_period_end_at(self) -> _dt.datetime | None:
        """End of the current period: the subscription's own (older API) or its first item's."""
        return self._period("current_period_end")

    @property
    def current_period_start_at(self) -> _dt.datetime | None:
        """Start of the current period: the subscription's own (older API) or its first item's."""
        return self._period("current_period_start")

    @property
    def trial_end_at(self) -> _dt.datetime | None:
        """`trial_end` as an aware UTC datetime."""
        return timestamp(self.trial_end)


class SubscriptionItemHelpers:
    if TYPE_CHECKING:
        current_period_end: int
        current_period_start: int

    @property
    def current_period_end_at(self) -> _dt.datetime | None:
        """`current_period_end` as an aware UTC datetime."""
        return timestamp(self.current_period_end)

    @property
    def current_period_start_at(self) -> _dt.datetime | None:
        """`current_period_start` as an aware UTC datetime."""
        return timestamp(self.current_period_start)


class PeriodHelpers:
    if TYPE_CHECKING:
        start: int
        end: int

    @property
    def start_at(self) -> _dt.datetime | None:
        """`start` as an aware UTC datetime."""
        return timestamp(self.start)

    @property
    def end_at(self) -> _dt.datetime | None:
        """`end` as an aware UTC datetime."""
        return timestamp(self.end)


class BalanceHelpers:
    if TYPE_CHECKING:
        available: list[Any]
        pending: list[Any]

    def available_amount(self, currency: str) -> int:
        """Available funds in `currency` (minor units); 0 when there are none."""
        return _sum_in(self.available, currency)

    def pending_amount(self, currency: str) -> int:
        """Pending funds in `currency` (minor units); 0 when there are none."""
        return _sum_in(self.pending, currency)


def _sum_in(amounts: list[Any] | None, currency: str) -> int:
    currency = currency.lower()
    return sum(a.amount or 0 for a in amounts or () if a.currency == currency)
