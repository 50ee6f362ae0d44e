"""Billing: products and prices, invoice items, invoices, subscriptions (built on payments)."""

from __future__ import annotations

from ..._state import State
from . import clock, dunning, invoice_payments, invoices, renewal, schedules, subscriptions


def install(state: State) -> None:
    """Wire the reactions billing has to payments (invoices follow their PaymentIntents)."""
    invoices.install(state)
    invoice_payments.install(state)
    subscriptions.install(state)
    clock.install(state)


# Imported for their due steps, which register with the time engine.
__all__ = ["dunning", "renewal", "schedules"]
