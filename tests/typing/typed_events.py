"""Checked by mypy --strict in test_typed_events.py: events and models type as users expect.

Each `# type: ignore[code]` marks a mistake mypy must flag (unused ignores are errors).
"""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

from stripe_async.models import (
    Customer,
    Event,
    Invoice,
    PaymentIntent,
    StripeObject,
    Subscription,
    SubscriptionItem,
    checkout,
)
from stripe_async.webhooks import WebhookRouter

router = WebhookRouter("whsec_test")


@router.on("checkout.session.completed")
async def fulfil(event: Event[checkout.Session]) -> None:
    session = event.data.object
    assert_type(session, checkout.Session)
    assert_type(session.id, str)
    assert_type(session.amount_total, int | None)
    _ = session.amount_totl  # type: ignore[attr-defined]


@router.on("customer.subscription.updated")
def on_subscription(event: Event[Subscription]) -> None:
    items = event.data.object.items.data  # always present: no None check needed
    assert_type(items, list[SubscriptionItem])


@router.on("invoice.paid")
async def on_invoice(event: Event[Invoice]) -> None:
    assert_type(event.data.object, Invoice)


# A handler for another object kind is refused for this event type.
@router.on("payment_intent.succeeded")  # type: ignore[type-var]
async def wrong_kind(event: Event[Invoice]) -> None: ...


# A handler taking any event fits every type, and so does one for the wildcard.
@router.on("payment_intent.succeeded")
async def any_event(event: Event) -> None:
    assert_type(event.data.object, StripeObject)


@router.on("*")
async def everything(event: Event[Any]) -> None: ...


def fields(pi: PaymentIntent, customer: Customer) -> None:
    assert_type(pi.amount, int)
    assert_type(pi.status, str)
    assert_type(pi.customer, str | Customer | None)
    _ = pi.ammount  # type: ignore[attr-defined]
    _ = customer.emial  # type: ignore[attr-defined]
    if isinstance(pi.customer, Customer):
        assert_type(pi.customer.email, str | None)
