"""Account settings Stripe keeps in the Dashboard, as emulator options (with their defaults)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

HOUR = 3600
DAY = 86400

FinalFailure = Literal["canceled", "unpaid", "past_due"]

#: Delays between webhook delivery attempts (seconds after the previous attempt):
#: exponential from one hour, the last retry 63 hours after the first attempt, within
#: the three days Stripe keeps retrying in live mode.
LIVE_WEBHOOK_RETRIES: tuple[int, ...] = tuple(HOUR * 2**n for n in range(6))


@dataclass
class BillingSettings:
    """What the Dashboard's Billing settings would say (see docs/testing.md)."""

    #: Days between payment attempts of a failed subscription invoice, each counted from
    #: the previous attempt (the Dashboard's custom retry schedule); 3 retries by default.
    payment_retry_days: Sequence[int] = (3, 5, 7)
    #: What happens to the subscription when the last retry fails.
    after_final_failure: FinalFailure = "canceled"
    #: `invoice.upcoming` is sent this many days before a renewal ("Upcoming renewal
    #: events" in the Dashboard).
    upcoming_renewal_days: int = 3
    #: Seconds between webhook delivery attempts; an empty sequence never retries.
    webhook_retry_delays: Sequence[int] = LIVE_WEBHOOK_RETRIES

    def __post_init__(self) -> None:
        if any(int(d) < 1 for d in self.payment_retry_days):
            raise ValueError("payment_retry_days must be whole days of at least 1")
        if self.after_final_failure not in ("canceled", "unpaid", "past_due"):
            raise ValueError('after_final_failure must be "canceled", "unpaid" or "past_due"')
        if self.upcoming_renewal_days < 0:
            raise ValueError("upcoming_renewal_days must not be negative")
        if any(int(d) < 1 for d in self.webhook_retry_delays):
            raise ValueError("webhook_retry_delays must be seconds of at least 1")
