"""Balance: funds in the Stripe account, available and pending, per currency."""

from __future__ import annotations

from typing import Literal

from ._base import StripeModel, StripeObject

__all__ = ["Balance", "BalanceAmount"]


class BalanceAmount(StripeModel):
    """An amount in one currency, split by source type (card, bank_account, fpx)."""

    amount: int | None = None
    currency: str | None = None
    source_types: dict[str, int] | None = None
    # Only on `instant_available`: what can be paid out to each destination.
    net_available: list[StripeModel] | None = None


class BalanceIssuing(StripeModel):
    """Funds reserved for Issuing."""

    available: list[BalanceAmount] | None = None


class BalancePrefunding(StripeModel):
    """Funds set aside for refunds and disputes."""

    available: list[BalanceAmount] | None = None
    pending: list[BalanceAmount] | None = None


class Balance(StripeObject):
    """The account's balance; amounts are in the currency's minor unit."""

    object: Literal["balance"] | str = "balance"
    available: list[BalanceAmount] | None = None
    connect_reserved: list[BalanceAmount] | None = None
    instant_available: list[BalanceAmount] | None = None
    issuing: BalanceIssuing | None = None
    livemode: bool | None = None
    pending: list[BalanceAmount] | None = None
    refund_and_dispute_prefunding: BalancePrefunding | None = None

    def available_amount(self, currency: str) -> int:
        """Available funds in `currency` (minor units); 0 when there are none."""
        currency = currency.lower()
        return sum(a.amount or 0 for a in self.available or () if a.currency == currency)

    def pending_amount(self, currency: str) -> int:
        """Pending funds in `currency` (minor units); 0 when there are none."""
        currency = currency.lower()
        return sum(a.amount or 0 for a in self.pending or () if a.currency == currency)
