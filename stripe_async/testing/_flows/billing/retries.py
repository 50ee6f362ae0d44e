"""When Stripe next tries to collect a failed invoice payment (the retry schedule)."""

from __future__ import annotations

from typing import Any

from ..._settings import DAY
from ..._state import State


def retried(invoice: dict[str, Any]) -> bool:
    """Invoices the retry schedule applies to: collected automatically, auto-advancing,
    and not a subscription's first invoice (that one leaves the subscription
    `incomplete`, for the customer to pay on session)."""
    return bool(
        invoice["auto_advance"]
        and invoice["collection_method"] == "charge_automatically"
        and invoice["billing_reason"] != "subscription_create"
    )


def retry_at(state: State, invoice: dict[str, Any]) -> int | None:
    """The next attempt after `attempt_count` failed ones, or None once the schedule
    (`BillingSettings.payment_retry_days`, days after the previous attempt) is spent."""
    if not retried(invoice):
        return None
    days = list(state.settings.payment_retry_days)
    made = int(invoice["attempt_count"])
    if made < 1 or made > len(days):
        return None
    return state.now() + int(days[made - 1]) * DAY
