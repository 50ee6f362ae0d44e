"""Invoices reach their PaymentIntent as in the current API: confirmation_secret, payments."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async import StripeClient
from stripe_async.errors import InvalidRequestError
from stripe_async.models import Invoice
from stripe_async.testing import StripeEmulator

FIRST_PI = "latest_invoice.payments.data.payment.payment_intent"
INCLUDABLE = ("confirmation_secret", "payments")


async def _subscribe(
    client: StripeClient, pm: str | None, *expand: str, **params: Any
) -> tuple[str, Invoice]:
    """A subscription for a new customer (paying with `pm`) and its expanded first invoice."""
    extra: dict[str, Any] = {}
    if pm:
        extra = {"payment_method": pm, "invoice_settings": {"default_payment_method": pm}}
    customer = await client.customers.create(email="sub@example.com", **extra)
    price = await client.prices.create(
        currency="usd",
        unit_amount=1500,
        recurring={"interval": "month"},
        product_data={"name": "Pro"},
    )
    sub = await client.subscriptions.create(
        customer=customer.id, items=[{"price": price.id}], expand=list(expand), **params
    )
    assert isinstance(sub.latest_invoice, Invoice)
    return sub.id, sub.latest_invoice


def _payments(invoice: Invoice) -> list[dict[str, Any]]:
    """The invoice's included payments (the SDK has no InvoicePayment model yet)."""
    assert invoice.payments is not None
    return [payment.model_dump() for payment in invoice.payments.data]


def _payment_intent(invoice: Invoice) -> dict[str, Any]:
    """The expanded PaymentIntent of the invoice's only (default) payment."""
    [payment] = _payments(invoice)
    assert payment["object"] == "invoice_payment" and payment["is_default"] is True
    intent: dict[str, Any] = payment["payment"]["payment_intent"]
    return intent


async def _open_invoice(raw: Any, amount: int = 900) -> dict[str, Any]:
    customer = await raw.ok(
        "POST",
        "/v1/customers",
        {
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
        },
    )
    invoice = await raw.ok("POST", "/v1/invoices", {"customer": customer["id"]})
    await raw.ok(
        "POST",
        "/v1/invoiceitems",
        {"customer": customer["id"], "invoice": invoice["id"], "amount": amount, "currency": "usd"},
    )
    return await raw.ok("POST", f"/v1/invoices/{invoice['id']}/finalize")  # type: ignore[no-any-return]


async def test_default_incomplete_subscription_exposes_the_confirmation_secret(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    sub_id, invoice = await _subscribe(
        stripe_client,
        None,
        "latest_invoice.confirmation_secret",
        FIRST_PI,
        payment_behavior="default_incomplete",
    )
    assert invoice.status == "open"
    intent = _payment_intent(invoice)
    assert intent["status"] == "requires_payment_method" and intent["amount"] == 1500
    assert invoice.confirmation_secret is not None
    assert invoice.confirmation_secret.type == "payment_intent"
    assert invoice.confirmation_secret.client_secret == intent["client_secret"]
    retrieved = await stripe_client.payment_intents.retrieve(intent["id"])
    assert retrieved.client_secret == invoice.confirmation_secret.client_secret
    # What the browser does with that secret; the subscription follows.
    await stripe_client.payment_intents.confirm(intent["id"], payment_method="pm_card_visa")
    assert (await stripe_client.subscriptions.retrieve(sub_id)).status == "active"
    paid = await stripe_client.invoices.retrieve(invoice.id or "", expand=["payments"])
    assert paid.status == "paid"
    [payment] = _payments(paid)
    assert payment["status"] == "paid" and payment["amount_paid"] == 1500
    assert payment["status_transitions"]["paid_at"] is not None
    [event] = stripe_emulator.events("invoice_payment.paid")
    assert event["data"]["object"]["id"] == payment["id"]


async def test_declined_first_payment_is_reachable_through_payments(
    stripe_client: StripeClient,
) -> None:
    _, invoice = await _subscribe(stripe_client, "pm_card_chargeCustomerFail", FIRST_PI)
    assert invoice.status == "open" and invoice.attempt_count == 1
    intent = _payment_intent(invoice)
    assert intent["status"] == "requires_payment_method"
    assert intent["last_payment_error"]["decline_code"] == "generic_decline"
    assert _payments(invoice)[0]["status"] == "open"


async def test_3ds_first_payment_is_reachable_through_payments(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    sub_id, invoice = await _subscribe(
        stripe_client,
        "pm_card_authenticationRequired",
        FIRST_PI,
        "latest_invoice.confirmation_secret",
        payment_behavior="allow_incomplete",
    )
    intent = _payment_intent(invoice)
    assert intent["status"] == "requires_action"
    assert intent["next_action"]["type"] == "use_stripe_sdk"
    assert invoice.confirmation_secret is not None
    assert invoice.confirmation_secret.client_secret == intent["client_secret"]
    await stripe_emulator.complete_3ds(intent["id"])
    assert (await stripe_client.subscriptions.retrieve(sub_id)).status == "active"


async def test_invoices_carry_the_fixture_fields_and_include_on_request(raw: Any) -> None:
    invoice = await _open_invoice(raw)
    for name in ("payment_intent", *INCLUDABLE):
        assert name not in invoice
    expanded = await raw.ok(
        "GET",
        f"/v1/invoices/{invoice['id']}",
        {"expand[]": ["confirmation_secret", "payments.data.payment.payment_intent"]},
    )
    payments = expanded["payments"]
    assert (payments["object"], payments["url"], payments["has_more"]) == (
        "list",
        "/v1/invoice_payments",
        False,
    )
    assert payments["total_count"] == 1
    [payment] = payments["data"]
    assert payment["id"].startswith("inpay_") and payment["invoice"] == invoice["id"]
    assert (payment["amount_requested"], payment["amount_paid"], payment["status"]) == (
        900,
        None,
        "open",
    )
    intent = payment["payment"]["payment_intent"]
    assert intent["object"] == "payment_intent" and intent["amount"] == 900
    assert expanded["confirmation_secret"] == {
        "client_secret": intent["client_secret"],
        "type": "payment_intent",
    }
    # Only the fields asked for are included.
    only_secret = await raw.ok(
        "GET", f"/v1/invoices/{invoice['id']}", {"expand[]": "confirmation_secret"}
    )
    assert "payments" not in only_secret and only_secret["confirmation_secret"]
    # Events carry the object as stored: no includable fields.
    finalized = await raw.ok("GET", "/v1/events", {"type": "invoice.finalized"})
    assert not set(finalized["data"][0]["data"]["object"]) & {"payment_intent", *INCLUDABLE}


async def test_a_draft_has_no_payment_to_include(raw: Any) -> None:
    customer = await raw.ok("POST", "/v1/customers", {})
    draft = await raw.ok("POST", "/v1/invoices", {"customer": customer["id"]})
    expanded = await raw.ok("GET", f"/v1/invoices/{draft['id']}", {"expand[]": list(INCLUDABLE)})
    assert expanded["confirmation_secret"] is None
    assert expanded["payments"]["data"] == [] and expanded["payments"]["total_count"] == 0


async def test_the_removed_payment_intent_field_cannot_be_expanded(
    raw: Any, stripe_client: StripeClient
) -> None:
    invoice = await _open_invoice(raw)
    response = await raw.get(f"/v1/invoices/{invoice['id']}", {"expand[]": "payment_intent"})
    assert response.status_code == 400
    assert "param" not in response.json()["error"]  # Stripe names no param here
    with pytest.raises(InvalidRequestError, match="cannot be expanded"):
        await _subscribe(stripe_client, "pm_card_visa", "latest_invoice.payment_intent")


async def test_includable_fields_expand_in_lists_and_respect_the_depth_limit(raw: Any) -> None:
    first = await _open_invoice(raw, 900)
    second = await _open_invoice(raw, 1200)
    listed = await raw.ok(
        "GET",
        "/v1/invoices",
        {"expand[]": ["data.confirmation_secret", "data.payments.data.payment.payment_intent"]},
    )
    by_id = {inv["id"]: inv for inv in listed["data"]}
    for invoice, amount in ((first, 900), (second, 1200)):
        got = by_id[invoice["id"]]
        intent = got["payments"]["data"][0]["payment"]["payment_intent"]
        assert intent["amount"] == amount
        assert got["confirmation_secret"]["client_secret"] == intent["client_secret"]
    # `data` steps into a list; four expanded properties are the most Stripe allows.
    too_deep = await raw.get(
        f"/v1/invoices/{first['id']}",
        {"expand[]": "payments.data.payment.payment_intent.customer.default_source"},
    )
    assert too_deep.status_code == 400
    assert "more than 4 levels" in too_deep.json()["error"]["message"]


async def test_invoice_payments_list_and_retrieve(raw: Any) -> None:
    first = await _open_invoice(raw, 900)
    second = await _open_invoice(raw, 1200)
    await raw.ok("POST", f"/v1/invoices/{first['id']}/pay")
    everything = await raw.ok("GET", "/v1/invoice_payments")
    assert [p["invoice"] for p in everything["data"]] == [second["id"], first["id"]]
    [paid] = (await raw.ok("GET", "/v1/invoice_payments", {"status": "paid"}))["data"]
    assert paid["invoice"] == first["id"] and paid["amount_paid"] == 900
    by_intent = await raw.ok(
        "GET",
        "/v1/invoice_payments",
        {
            "payment[type]": "payment_intent",
            "payment[payment_intent]": paid["payment"]["payment_intent"],
        },
    )
    assert [p["id"] for p in by_intent["data"]] == [paid["id"]]
    page = await raw.ok("GET", "/v1/invoice_payments", {"limit": 1})
    assert len(page["data"]) == 1 and page["has_more"] is True
    assert await raw.ok("GET", f"/v1/invoice_payments/{paid['id']}") == paid
    expanded = await raw.ok(
        "GET",
        f"/v1/invoice_payments/{paid['id']}",
        {"expand[]": ["invoice", "payment.payment_intent"]},
    )
    assert expanded["invoice"]["status"] == "paid"
    assert expanded["payment"]["payment_intent"]["status"] == "succeeded"
    missing = await raw.get("/v1/invoice_payments/inpay_missing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "resource_missing"


async def test_paying_out_of_band_cancels_the_default_payment(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    invoice = await _open_invoice(raw)
    await raw.ok("POST", f"/v1/invoices/{invoice['id']}/pay", {"paid_out_of_band": "true"})
    [payment] = (await raw.ok("GET", "/v1/invoice_payments", {"invoice": invoice["id"]}))["data"]
    assert payment["status"] == "canceled" and payment["amount_paid"] is None
    intent = stripe_emulator.get(payment["payment"]["payment_intent"])
    assert intent is not None and intent["status"] == "canceled"
    assert not stripe_emulator.events("invoice_payment.paid")


async def test_typed_client_reaches_a_subscriptions_first_payment_intent() -> None:
    from stripe_async import StripeClient
    from stripe_async.models import Invoice, PaymentIntent

    async with StripeClient.for_emulator() as stripe:
        customer = await stripe.customers.create(email="typed@example.com")
        price = await stripe.prices.create(
            currency="usd",
            unit_amount=900,
            recurring={"interval": "month"},
            product_data={"name": "Typed"},
        )
        subscription = await stripe.subscriptions.create(
            customer=customer.id,
            items=[{"price": price.id}],
            payment_behavior="default_incomplete",
            expand=["latest_invoice.payments.data.payment.payment_intent"],
        )
        invoice = subscription.latest_invoice
        assert isinstance(invoice, Invoice) and invoice.payments is not None
        intent = invoice.payments.data[0].payment
        assert intent is not None and isinstance(intent.payment_intent, PaymentIntent)
        listed = await stripe.invoice_payments.list(invoice=invoice.id)
        assert [p.payment_intent_id for p in listed.data] == [intent.payment_intent.id]
        fetched = await stripe.invoice_payments.retrieve(listed.data[0].id)
        assert fetched.status == "open"
