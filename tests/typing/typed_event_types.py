"""Checked by mypy --strict in test_typed_event_types.py: event types as a user meets them.

Each `# type: ignore[code]` marks a mistake mypy must flag (unused ignores are errors).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Literal

from typing_extensions import assert_type

from stripe_async import StripeClient
from stripe_async.models import (
    BankAccount,
    Card,
    Customer,
    Event,
    EventType,
    Invoice,
    Subscription,
    checkout,
)
from stripe_async.webhooks import WebhookRouter, event_is

router = WebhookRouter("whsec_test")


# A wildcard is typed as the union of the kinds it matches: here only subscriptions.
@router.on("customer.subscription.*")
async def subscriptions(event: Event[Subscription]) -> None:
    assert_type(event.data.object, Subscription)


# "customer.*" also matches subscriptions, discounts, sources...: one kind is too narrow.
@router.on("customer.*")  # type: ignore[type-var]
async def customers_only(event: Event[Customer]) -> None: ...


# A type this release does not have is an error, however close to a real one.
@router.on("invoice.pay")  # type: ignore[call-overload, untyped-decorator]
async def misspelt(event: Event[Invoice]) -> None: ...


@router.on("invoices.*")  # type: ignore[call-overload, untyped-decorator]
async def misspelt_wildcard(event: Event[Invoice]) -> None: ...


# A newer type than this release registers on request, its handler taking any event.
@router.on("invoice.reticulated", allow_unknown=True)
async def newer(event: Event[Invoice]) -> None: ...


# Several types of one kind: the handler takes that kind.
@router.on("invoice.paid", "invoice.payment_failed", "invoice.finalized")
async def invoices(event: Event[Invoice]) -> None:
    assert_type(event.data.object, Invoice)


# A misspelt type among several is an error too.
@router.on("invoice.paid", "invoice.pay")  # type: ignore[call-overload, untyped-decorator]
async def one_misspelt(event: Event[Invoice]) -> None: ...


# Types of several kinds: the handler takes the union (either spelling).
@router.on("customer.subscription.deleted", "invoice.paid")
async def billing(event: Event[Subscription] | Event[Invoice]) -> None: ...


@router.on("customer.subscription.deleted", "invoice.paid")
async def billing_wide(event: Event[Subscription | Invoice]) -> None: ...


@router.on("invoice.paid", "customer.subscription.deleted")  # type: ignore[type-var]
async def billing_too_narrow(event: Event[Subscription]) -> None: ...


# Stacked decorators check the handler against each type.
@router.on("checkout.session.completed")
@router.on("invoice.paid")
async def stacked(event: Event[checkout.Session] | Event[Invoice]) -> None: ...


@router.on("checkout.session.completed")  # type: ignore[type-var]
@router.on("invoice.paid")
async def stacked_wrong(event: Event[Invoice]) -> None: ...


# An object of several models: a handler must take each.
@router.on("account.external_account.created")
def external(event: Event[BankAccount | Card]) -> None: ...


@router.on("account.external_account.created")  # type: ignore[type-var]
def external_card_only(event: Event[Card]) -> None: ...


# The decorator returns the handler itself, still callable with its own type.
kept: Callable[[Event[Invoice]], Coroutine[Any, Any, None]] = invoices
not_kept: Callable[[Event[Customer]], Coroutine[Any, Any, None]] = invoices  # type: ignore[assignment]


def narrow(event: Event) -> None:
    assert_type(event.type, EventType)
    if event.type == "invoice.paid":
        assert_type(event.type, Literal["invoice.paid"])
    if event.type == "invoice.pay":  # type: ignore[comparison-overlap]
        pass
    if event.type.startswith("invoice."):
        pass
    if not event.type_is_known:
        newer_type: str = event.type  # a newer type: compare it as a plain string
        assert newer_type


async def retrieved(stripe: StripeClient) -> None:
    event = await stripe.events.retrieve("evt_123")
    assert_type(event.type, EventType)
    # Fetched by id, the kind is known once the type is: event_is narrows to it.
    if event_is(event, "invoice.paid", "invoice.payment_failed"):
        assert_type(event.data.object, Invoice)
    elif event_is(event, "customer.subscription.*"):
        assert_type(event.data.object, Subscription)
    elif event_is(event, "account.external_account.created"):
        assert_type(event, Event[BankAccount] | Event[Card])
    if event_is(event, "invoice.paid", "customer.subscription.deleted"):
        assert_type(event, Event)  # types of two kinds: checked, not narrowed
    event_is(event, "invoice.pay")  # type: ignore[call-overload]
    event_is(event, "invoice.reticulated", allow_unknown=True)
    async for listed in stripe.events.list(type="invoice.paid"):
        assert_type(listed.type, EventType)


def any_handler(event: Event[Any]) -> None: ...


router.add_handler("invoice.paid", any_handler)
