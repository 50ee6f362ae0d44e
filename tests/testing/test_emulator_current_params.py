"""Current-API parameters on the emulator: simulated ones take effect, the rest are ignored."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async import InvalidRequestError, StripeClient
from stripe_async.testing import StripeEmulator


async def test_unsimulated_parameters_are_refused_and_leave_no_trace(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    # Accepting and dropping them would answer as if they applied: refused by name.
    for name, value in (
        ("hooks", {"inputs": {"tax": {"calculation": "taxcalc_123"}}}),
        ("amount_details", {"line_items": [{"product_name": "Tea", "quantity": 1}]}),
        ("payment_details", {"order_reference": "A-1"}),
    ):
        with pytest.raises(InvalidRequestError) as info:
            await stripe_client.payment_intents.create(amount=1000, currency="usd", **{name: value})
        assert info.value.code == "emulator_unsupported" and info.value.param == name
    assert stripe_emulator.events("payment_intent.created") == []
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    pi = await stripe_client.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    assert pi.status == "succeeded"


async def test_simulated_parameters_are_still_validated(stripe_client: StripeClient) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_methods.list(allow_redisplay="sometimes")
    assert info.value.param == "allow_redisplay"
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.customers.create(business_name="x" * 151)
    assert info.value.param == "business_name"


async def test_customer_business_and_individual_names(stripe_client: StripeClient) -> None:
    customer = await stripe_client.customers.create(business_name="Acme Ltd", validate=False)
    assert customer.business_name == "Acme Ltd" and customer.individual_name is None
    customer = await stripe_client.customers.update(customer.id, individual_name="Jenny Rosen")
    assert customer.individual_name == "Jenny Rosen"


async def test_confirm_records_excluded_payment_method_types(stripe_client: StripeClient) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=500,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    pi = await stripe_client.payment_intents.confirm(
        pi.id, payment_method="pm_card_visa", excluded_payment_method_types=["cashapp"]
    )
    assert pi.to_dict()["excluded_payment_method_types"] == ["cashapp"]


async def test_payment_methods_list_filters_on_allow_redisplay(
    stripe_client: StripeClient,
) -> None:
    customer = await stripe_client.customers.create()
    always = await stripe_client.payment_methods.create(
        type="card", card={"token": "tok_visa"}, allow_redisplay="always"
    )
    await stripe_client.payment_methods.attach(always.id, customer=customer.id)
    other = await stripe_client.payment_methods.create(type="card", card={"token": "tok_visa"})
    await stripe_client.payment_methods.attach(other.id, customer=customer.id)
    page = await stripe_client.payment_methods.list(customer=customer.id, allow_redisplay="always")
    assert [pm.id for pm in page.data] == [always.id]
    page = await stripe_client.customers.list_payment_methods(
        customer.id, allow_redisplay="unspecified"
    )
    assert [pm.id for pm in page.data] == [other.id]


async def test_products_list_filters_on_type(stripe_client: StripeClient) -> None:
    good = await stripe_client.products.create(name="Mug", type="good", tax_details={})
    await stripe_client.products.create(name="Support")
    page = await stripe_client.products.list(type="good")
    assert [p.id for p in page.data] == [good.id]


async def test_invoice_default_source_pays_the_invoice(
    stripe_client: StripeClient, raw: Any
) -> None:
    customer = await raw.ok("POST", "/v1/customers", {"source": "tok_visa"})
    card = customer["default_source"]
    # A second customer-level default that must lose to the invoice's own source.
    await raw.ok("POST", f"/v1/customers/{customer['id']}", {"source": "tok_mastercard"})
    await stripe_client.invoice_items.create(customer=customer["id"], amount=700, currency="usd")
    invoice = await stripe_client.invoices.create(
        customer=customer["id"],
        pending_invoice_items_behavior="include",
        default_source=card,
        effective_at=1_700_000_000,
        issuer={"type": "self"},
    )
    assert invoice.to_dict()["default_source"] == card
    assert invoice.to_dict()["effective_at"] == 1_700_000_000
    invoice = await stripe_client.invoices.update(
        invoice.id, automatically_finalizes_at=1_700_100_000
    )
    assert invoice.to_dict()["automatically_finalizes_at"] == 1_700_100_000
    invoice = await stripe_client.invoices.pay(invoice.id)
    assert invoice.status == "paid"
    paid_with = (await raw.ok("GET", "/v1/charges", {"customer": customer["id"]}))["data"][0]
    assert paid_with["source"]["id"] == card


async def test_invoice_default_source_must_belong_to_the_customer(
    stripe_client: StripeClient, raw: Any
) -> None:
    owner = await raw.ok("POST", "/v1/customers", {"source": "tok_visa"})
    other = await stripe_client.customers.create()
    with pytest.raises(InvalidRequestError):
        await stripe_client.invoices.create(
            customer=other.id, default_source=owner["default_source"]
        )


async def test_invoice_item_quantity_decimal(stripe_client: StripeClient) -> None:
    customer = await stripe_client.customers.create()
    item = await stripe_client.invoice_items.create(
        customer=customer.id, currency="usd", unit_amount_decimal="250", quantity_decimal="3"
    )
    assert item.amount == 750 and item.quantity == 3
    item = await stripe_client.invoice_items.update(item.id, quantity_decimal="2.0")
    assert item.amount == 500 and item.quantity == 2
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.invoice_items.update(item.id, quantity_decimal="1.5")
    assert info.value.param == "quantity_decimal"
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.invoice_items.update(item.id, quantity=2, quantity_decimal="2")
    assert info.value.code == "parameters_exclusive"


async def test_resume_on_payment_success_stays_paused_until_paid(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = await stripe_client.customers.create()
    price = await stripe_client.prices.create(
        currency="usd",
        unit_amount=900,
        recurring={"interval": "month"},
        product_data={"name": "Plan"},
    )
    sub = await stripe_client.subscriptions.create(
        customer=customer.id,
        items=[{"price": price.id}],
        trial_period_days=3,
        trial_settings={"end_behavior": {"missing_payment_method": "pause"}},
    )
    await stripe_emulator.advance_clock(4 * 86400)
    sub = await stripe_client.subscriptions.resume(
        sub.id, payment_behavior="resume_on_payment_success"
    )
    assert sub.status == "paused"
    assert not stripe_emulator.events("customer.subscription.resumed")
    assert isinstance(sub.latest_invoice, str)
    await stripe_client.invoices.pay(sub.latest_invoice, payment_method="pm_card_visa")
    assert (await stripe_client.subscriptions.retrieve(sub.id)).status == "active"


# --- apply_customer_balance -----------------------------------------------------------


async def _balance_intent(stripe_client: StripeClient, **extra: Any) -> Any:
    customer = await stripe_client.customers.create()
    return await stripe_client.payment_intents.create(
        amount=2000,
        currency="usd",
        customer=customer.id,
        allowed_payment_method_types=["customer_balance"],
        **extra,
    )


async def test_apply_customer_balance_applies_nothing_without_a_cash_balance(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await _balance_intent(stripe_client)
    before = stripe_emulator.events()
    applied = await stripe_client.payment_intents.apply_customer_balance(
        pi.id, amount=1500, currency="USD"
    )
    assert applied.to_dict() == pi.to_dict()
    assert applied.amount_received == 0 and applied.status == "requires_payment_method"
    assert stripe_emulator.events() == before


async def test_apply_customer_balance_checks_like_stripe(stripe_client: StripeClient) -> None:
    card_pi = await stripe_client.payment_intents.create(
        amount=2000,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.apply_customer_balance(card_pi.id)
    assert info.value.code == "payment_intent_unexpected_state"

    pi = await _balance_intent(stripe_client)
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.apply_customer_balance(pi.id, amount=2001)
    assert info.value.code == "amount_too_large" and info.value.param == "amount"
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.apply_customer_balance(pi.id, currency="eur")
    assert info.value.param == "currency"
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.apply_customer_balance(pi.id, amount=0)
    assert info.value.param == "amount"

    await stripe_client.payment_intents.cancel(pi.id)
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.apply_customer_balance(pi.id)
    assert info.value.code == "payment_intent_unexpected_state"

    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.apply_customer_balance("pi_missing")
    assert info.value.code == "resource_missing"
