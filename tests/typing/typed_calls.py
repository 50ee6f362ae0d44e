"""Checked by mypy (see test_typed_params.py), never run.

The first half must type-check cleanly; every line of the second half must
produce exactly the error its `# type: ignore[code]` names. mypy runs with
--warn-unused-ignores, so if a wrong parameter stopped being flagged the
ignore would become unused and the check would fail.
"""

# mypy: enable-error-code="deprecated"
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from stripe_async import AsyncPager, StripeClient
from stripe_async.models import (
    Charge,
    Customer,
    DeletedObject,
    InvoiceLineItem,
    InvoicePreview,
    ListObject,
    PaymentIntent,
    PaymentMethod,
    SearchResult,
    Subscription,
    TaxId,
    billing_portal,
    checkout,
)


async def accepted(stripe: StripeClient) -> None:
    """Calls a typed user writes every day: all must pass."""
    pi: PaymentIntent = await stripe.payment_intents.create(
        amount=1000,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        metadata={"order": "42"},
        payment_method_options={"card": {"capture_method": "manual"}},
        idempotency_key="order-42",
        expand=["latest_charge"],
    )
    pi = await stripe.create_payment_intent(1000, "USD", customer="cus_1")
    pi = await stripe.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    customer: Customer = await stripe.customers.update(
        "cus_1", metadata="", address="", tax_exempt="brand_new_enum_value", timeout=5.0
    )
    deleted: DeletedObject = await stripe.customers.delete(customer.id)
    sub: Subscription = await stripe.subscriptions.create(
        customer="cus_1",
        items=[{"price": "price_1", "quantity": 2}],
        trial_end=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
        discounts=[{"coupon": "SPRING"}],
    )
    sub = await stripe.subscriptions.update(sub.id, trial_end="now", pause_collection="")
    await stripe.prices.create(
        currency="usd",
        product="prod_1",
        recurring={"interval": "month"},
        unit_amount_decimal=Decimal("0.5"),
    )
    preview: InvoicePreview = await stripe.invoices.create_preview(
        subscription="sub_1", subscription_details={"items": [{"id": "si_1", "price": "p"}]}
    )
    customers: AsyncPager[Customer] = stripe.customers.list(limit=10, created={"gte": 1})
    methods: AsyncPager[PaymentMethod] = stripe.customers.list_payment_methods("cus_1")
    lines: AsyncPager[InvoiceLineItem] = stripe.invoices.list_lines("in_1")
    found = stripe.charges.search(query="amount>999", limit=5)
    # Awaiting a pager gives the page type of its endpoint, no narrowing needed.
    first_page: ListObject[Customer] = await stripe.customers.list(limit=3)
    first_hits: SearchResult[Charge] = await stripe.charges.search(query="amount>999")
    items = stripe.subscription_items.list(subscription="sub_1")
    # A parameter newer than the generated types: pass it as a dict[str, Any].
    extra: dict[str, Any] = {"brand_new_param": True}
    await stripe.customers.create(email="a@example.com", **extra)
    del pi, deleted, preview, customers, methods, lines, found, items, first_page, first_hits
    # Generated services: namespaces, sub-resources and actions.
    session: checkout.Session = await stripe.checkout.sessions.create(
        mode="payment",
        line_items=[{"price": "price_1", "quantity": 1}],
        success_url="https://example.com/ok",
        idempotency_key="checkout-42",
    )
    session = await stripe.checkout.sessions.expire(session.id)
    portal: billing_portal.Session = await stripe.billing_portal.sessions.create(
        customer="cus_1", return_url="https://example.com/account"
    )
    tax_id: TaxId = await stripe.customers.tax_ids.create("cus_1", type="eu_vat", value="DE1")
    clock = await stripe.test_helpers.test_clocks.create(
        frozen_time=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    )
    raw = await stripe.request("post", "/v1/some/new_endpoint", params={"a": 1})
    typed: Customer = await stripe.request("get", "/v1/customers/cus_1", model=Customer)
    del session, portal, tax_id, clock, raw, typed


async def rejected(stripe: StripeClient) -> None:
    """Mistakes the types must catch."""
    await stripe.payment_intents.create(amount="1000", currency="usd")  # type: ignore[arg-type]
    await stripe.payment_intents.create(currency="usd")  # type: ignore[call-arg]
    await stripe.customers.create(emial="typo@example.com")  # type: ignore[call-arg]
    await stripe.customers.update("cus_1", metadata=5)  # type: ignore[arg-type]
    await stripe.customers.retrieve("cus_1", expand="tax")  # type: ignore[arg-type]
    await stripe.customers.retrieve("cus_1", timeout="5")  # type: ignore[arg-type]
    await stripe.customers.retrieve()  # type: ignore[call-arg]
    await stripe.payment_intents.create(
        amount=1,
        currency="usd",
        automatic_payment_methods={"enabled": "yes"},  # type: ignore[typeddict-item]
    )
    await stripe.payment_intents.create(
        amount=1,
        currency="usd",
        automatic_payment_methods={"enabled": True, "alow_redirects": "never"},  # type: ignore[typeddict-unknown-key]
    )
    await stripe.subscriptions.create(
        customer="cus_1",
        items=[{"price": 1}],  # type: ignore[typeddict-item]
    )
    await stripe.prices.create(
        currency="usd",
        recurring={"interval_count": 3},  # type: ignore[typeddict-item]
    )
    await stripe.refunds.create(amount=1.5)  # type: ignore[arg-type]
    await stripe.invoices.pay("in_1", off_session="yes")  # type: ignore[arg-type]
    stripe.subscription_items.list()  # type: ignore[call-arg]
    stripe.customers.search(limit=5)  # type: ignore[call-arg]
    wrong: Customer = await stripe.payment_intents.retrieve("pi_1")  # type: ignore[assignment]
    del wrong
    await stripe.checkout.sessions.create(
        mode="payment",
        line_items=[{"price": "price_1", "quantity": "1"}],  # type: ignore[typeddict-item]
    )
    await stripe.checkout.sessions.create(mode=3)  # type: ignore[arg-type]
    await stripe.checkout.sessions.expire(5)  # type: ignore[arg-type]
    await stripe.billing_portal.sessions.create(customer=5)  # type: ignore[arg-type]
    await stripe.customers.tax_ids.create("cus_1", value="DE1")  # type: ignore[call-arg]
    await stripe.test_helpers.test_clocks.create(frozen_time="soon")  # type: ignore[arg-type]
    await stripe.coupons.create(percent_of=25)  # type: ignore[call-arg]
    await stripe.request("post", "/v1/x", params=5)  # type: ignore[call-overload]
    # Stripe marks the exchange-rate endpoints deprecated: checkers that report
    # deprecations (mypy's `deprecated` code, pyright) flag the call.
    await stripe.exchange_rates.retrieve("usd")  # type: ignore[deprecated]
