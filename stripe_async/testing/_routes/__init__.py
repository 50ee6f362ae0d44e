"""The emulated API: one module per resource family, each exporting ROUTES.

A hand-modelled resource is one `Modelled` declaration in its family's module (its
standard operations come with it); actions are routes of their own.
"""

from __future__ import annotations

from .._flows import billing as flows
from .._flows.checkout import sessions as checkout_flow
from .._flows.connect import accounts as connect_flow
from .._router import Route
from .._state import State
from . import (
    billing_meters,
    billing_portal,
    catalog,
    charges,
    checkout,
    connect,
    coupons,
    credit_notes,
    customers,
    disputes,
    events,
    invoice_items,
    invoice_payments,
    invoices,
    objects,
    payment_intents,
    payment_methods,
    refunds,
    setup_intents,
    subscription_schedules,
    subscriptions,
    tax_rates,
    test_clocks,
    time_helpers,
)

ROUTES: list[Route] = [
    *customers.ROUTES,
    *payment_methods.ROUTES,
    *payment_intents.ROUTES,
    *setup_intents.ROUTES,
    *charges.ROUTES,
    *refunds.ROUTES,
    *disputes.ROUTES,
    *catalog.ROUTES,
    *coupons.ROUTES,
    *subscriptions.ROUTES,
    *subscription_schedules.ROUTES,
    *invoices.ROUTES,
    *invoice_items.ROUTES,
    *invoice_payments.ROUTES,
    *credit_notes.ROUTES,
    *tax_rates.ROUTES,
    *checkout.ROUTES,
    *billing_portal.ROUTES,
    *billing_meters.ROUTES,
    *connect.ROUTES,
    *events.ROUTES,
    *objects.ROUTES,
    *test_clocks.ROUTES,
    *time_helpers.ROUTES,
]


def install(state: State) -> None:
    """Wire the cross-resource reactions (invoices follow payments, and so on)."""
    flows.install(state)
    connect_flow.install(state)
    checkout_flow.install(state)


__all__ = ["ROUTES", "install"]
