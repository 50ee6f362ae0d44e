"""Products, prices, plans, subscriptions, invoices and invoice items (raw HTTP)."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async.testing import StripeEmulator

MONTH = 31 * 86400
#: How current Stripe docs reach a subscription's first PaymentIntent.
FIRST_PI = "latest_invoice.payments.data.payment.payment_intent"


def _first_intent(invoice: dict[str, Any]) -> dict[str, Any]:
    """The expanded PaymentIntent of the invoice's default payment."""
    [payment] = invoice["payments"]["data"]
    assert payment["is_default"] and payment["payment"]["type"] == "payment_intent"
    return payment["payment"]["payment_intent"]  # type: ignore[no-any-return]


async def _price(raw: Any, amount: int = 2000, interval: str | None = "month") -> dict[str, Any]:
    data: dict[str, Any] = {"currency": "usd", "unit_amount": amount, "product_data[name]": "Pro"}
    if interval:
        data["recurring[interval]"] = interval
    return await raw.ok("POST", "/v1/prices", data)  # type: ignore[no-any-return]


async def _customer(raw: Any, pm: str | None = "pm_card_visa") -> dict[str, Any]:
    data = {"email": "sub@example.com"}
    if pm:
        data.update({"payment_method": pm, "invoice_settings[default_payment_method]": pm})
    return await raw.ok("POST", "/v1/customers", data)  # type: ignore[no-any-return]


# --- catalog ------------------------------------------------------------------------


async def test_products_and_prices(raw: Any, stripe_emulator: StripeEmulator) -> None:
    product = await raw.ok(
        "POST",
        "/v1/products",
        {
            "name": "T-shirt",
            "default_price_data[currency]": "usd",
            "default_price_data[unit_amount]": 2500,
        },
    )
    assert product["default_price"].startswith("price_")
    price = await raw.ok("GET", f"/v1/prices/{product['default_price']}")
    assert (price["type"], price["unit_amount"], price["product"]) == (
        "one_time",
        2500,
        product["id"],
    )
    monthly = await raw.ok(
        "POST",
        "/v1/prices",
        {
            "product": product["id"],
            "currency": "USD",
            "unit_amount": 900,
            "recurring[interval]": "month",
            "lookup_key": "tee_monthly",
        },
    )
    assert monthly["recurring"]["interval"] == "month" and monthly["currency"] == "usd"
    found = await raw.ok("GET", "/v1/prices", {"lookup_keys[]": "tee_monthly"})
    assert [p["id"] for p in found["data"]] == [monthly["id"]]
    listed = await raw.ok("GET", "/v1/prices", {"product": product["id"], "type": "recurring"})
    assert [p["id"] for p in listed["data"]] == [monthly["id"]]
    updated = await raw.ok("POST", f"/v1/products/{product['id']}", {"description": "Soft"})
    assert updated["description"] == "Soft"
    response = await raw.delete(f"/v1/products/{product['id']}")
    assert response.status_code == 400  # it has prices
    search = await raw.ok("GET", "/v1/products/search", {"query": "name:'T-shirt'"})
    assert [p["id"] for p in search["data"]] == [product["id"]]
    search = await raw.ok("GET", "/v1/prices/search", {"query": "lookup_key:'tee_monthly'"})
    assert [p["id"] for p in search["data"]] == [monthly["id"]]
    types = [e["type"] for e in stripe_emulator.events()]
    assert {"product.created", "price.created", "product.updated"} <= set(types)


async def test_price_validation(raw: Any) -> None:
    response = await raw.post("/v1/prices", {"currency": "usd", "unit_amount": 100})
    assert response.json()["error"]["param"] == "product"
    response = await raw.post("/v1/prices", {"currency": "usd", "product_data[name]": "x"})
    assert response.json()["error"]["param"] == "unit_amount"
    response = await raw.post(
        "/v1/prices", {"currency": "usd", "unit_amount": 1, "product": "prod_missing"}
    )
    assert response.status_code == 404 and response.json()["error"]["param"] == "product"


async def test_lookup_key_transfer(raw: Any) -> None:
    first = await raw.ok(
        "POST",
        "/v1/prices",
        {"currency": "usd", "unit_amount": 1, "product_data[name]": "a", "lookup_key": "k"},
    )
    response = await raw.post(
        "/v1/prices",
        {"currency": "usd", "unit_amount": 2, "product_data[name]": "b", "lookup_key": "k"},
    )
    assert response.status_code == 400
    second = await raw.ok(
        "POST",
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 2,
            "product_data[name]": "b",
            "lookup_key": "k",
            "transfer_lookup_key": "true",
        },
    )
    assert second["lookup_key"] == "k"
    assert (await raw.ok("GET", f"/v1/prices/{first['id']}"))["lookup_key"] is None


async def test_plans_are_recurring_prices(raw: Any) -> None:
    plan = await raw.ok(
        "POST",
        "/v1/plans",
        {
            "id": "gold",
            "amount": 5000,
            "currency": "usd",
            "interval": "year",
            "product[name]": "Gold",
        },
    )
    assert plan["object"] == "plan" and plan["id"] == "gold" and plan["interval"] == "year"
    price = await raw.ok("GET", "/v1/prices/gold")
    assert price["recurring"]["interval"] == "year" and price["unit_amount"] == 5000
    duplicate = await raw.post(
        "/v1/plans",
        {"id": "gold", "amount": 1, "currency": "usd", "interval": "month", "product[name]": "x"},
    )
    assert duplicate.json()["error"]["code"] == "resource_already_exists"
    listed = await raw.ok("GET", "/v1/plans")
    assert [p["id"] for p in listed["data"]] == ["gold"]
    deleted = await raw.ok("DELETE", "/v1/plans/gold")
    assert deleted == {"id": "gold", "object": "plan", "deleted": True}


# --- subscriptions --------------------------------------------------------------------


async def test_subscription_pays_its_first_invoice(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    price = await _price(raw)
    customer = await _customer(raw)
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": price["id"],
            "items[0][quantity]": 2,
            "expand[]": FIRST_PI,
        },
    )
    assert sub["status"] == "active"
    invoice = sub["latest_invoice"]
    assert invoice["status"] == "paid" and invoice["amount_paid"] == 4000
    assert invoice["billing_reason"] == "subscription_create"
    assert _first_intent(invoice)["status"] == "succeeded"
    assert invoice["payments"]["data"][0]["status"] == "paid"
    assert invoice["payments"]["data"][0]["amount_paid"] == 4000
    assert invoice["lines"]["data"][0]["quantity"] == 2
    item = sub["items"]["data"][0]
    assert item["price"]["id"] == price["id"] and item["plan"]["id"] == price["id"]
    assert item["current_period_end"] > item["current_period_start"]
    types = [e["type"] for e in stripe_emulator.events()]
    for expected in (
        "customer.subscription.created",
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
        "customer.subscription.updated",
    ):
        assert expected in types
    assert types.index("customer.subscription.created") < types.index("invoice.paid")
    updated = stripe_emulator.events("customer.subscription.updated")[-1]
    assert updated["data"]["previous_attributes"]["status"] == "incomplete"


async def test_subscription_decline_leaves_it_incomplete(raw: Any) -> None:
    price = await _price(raw)
    customer = await _customer(raw, "pm_card_chargeCustomerFail")
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": price["id"],
            "expand[]": FIRST_PI,
        },
    )
    assert sub["status"] == "incomplete"
    invoice = sub["latest_invoice"]
    assert invoice["status"] == "open" and invoice["attempt_count"] == 1
    assert invoice["payments"]["data"][0]["status"] == "open"
    pi = _first_intent(invoice)
    assert pi["status"] == "requires_payment_method"
    assert pi["last_payment_error"]["decline_code"] == "generic_decline"
    # Paying the invoice with a good card activates the subscription.
    paid = await raw.ok(
        "POST", f"/v1/invoices/{invoice['id']}/pay", {"payment_method": "pm_card_visa"}
    )
    assert paid["status"] == "paid"
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "active"


async def test_subscription_default_payment_method_and_3ds(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    price = await _price(raw)
    customer = await _customer(raw, None)
    pm = await raw.ok(
        "POST",
        "/v1/payment_methods/pm_card_authenticationRequired/attach",
        {"customer": customer["id"]},
    )
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": price["id"],
            "default_payment_method": pm["id"],
            "expand[]": FIRST_PI,
        },
    )
    assert sub["status"] == "incomplete"
    pi = _first_intent(sub["latest_invoice"])
    assert pi["status"] == "requires_action"
    await stripe_emulator.complete_3ds(pi["id"])
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "active"
    assert (await raw.ok("GET", f"/v1/invoices/{sub['latest_invoice']['id']}"))["status"] == "paid"


async def test_subscription_without_a_payment_method(raw: Any) -> None:
    price = await _price(raw)
    customer = await _customer(raw, None)
    response = await raw.post(
        "/v1/subscriptions", {"customer": customer["id"], "items[0][price]": price["id"]}
    )
    assert response.status_code == 400
    assert "no attached payment source" in response.json()["error"]["message"]
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": price["id"],
            "payment_behavior": "default_incomplete",
            "expand[]": ["latest_invoice.confirmation_secret", FIRST_PI],
        },
    )
    assert sub["status"] == "incomplete"
    secret = sub["latest_invoice"]["confirmation_secret"]
    assert secret == {
        "client_secret": _first_intent(sub["latest_invoice"])["client_secret"],
        "type": "payment_intent",
    }


async def test_error_if_incomplete_is_a_card_error(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    price = await _price(raw)
    customer = await _customer(raw, "pm_card_chargeCustomerFail")
    response = await raw.post(
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": price["id"],
            "payment_behavior": "error_if_incomplete",
        },
    )
    assert response.status_code == 402
    assert response.json()["error"]["type"] == "card_error"
    assert stripe_emulator.events("customer.subscription.created") == []


async def test_subscription_validation(raw: Any) -> None:
    one_time = await _price(raw, interval=None)
    customer = await _customer(raw)
    response = await raw.post("/v1/subscriptions", {"customer": customer["id"]})
    assert response.json()["error"]["param"] == "items"
    response = await raw.post(
        "/v1/subscriptions", {"customer": customer["id"], "items[0][price]": one_time["id"]}
    )
    assert response.status_code == 400 and "one-time price" in response.json()["error"]["message"]


async def test_cancel_update_resume_and_search(raw: Any, stripe_emulator: StripeEmulator) -> None:
    price = await _price(raw)
    other = await _price(raw, 3000)
    customer = await _customer(raw)
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {"customer": customer["id"], "items[0][price]": price["id"], "metadata[team]": "alpha"},
    )
    item_id = sub["items"]["data"][0]["id"]
    updated = await raw.ok(
        "POST",
        f"/v1/subscriptions/{sub['id']}",
        {
            "items[0][id]": item_id,
            "items[0][price]": other["id"],
            "cancel_at_period_end": "true",
            # The emulator does not prorate: it refuses a price change that would.
            "proration_behavior": "none",
        },
    )
    assert updated["items"]["data"][0]["price"]["id"] == other["id"]
    assert updated["cancel_at_period_end"] is True
    response = await raw.post(f"/v1/subscriptions/{sub['id']}/resume")
    assert response.status_code == 400 and "paused" in response.json()["error"]["message"]
    found = await raw.ok(
        "GET", "/v1/subscriptions/search", {"query": "status:'active' AND metadata['team']:'alpha'"}
    )
    assert [s["id"] for s in found["data"]] == [sub["id"]]
    canceled = await raw.ok("DELETE", f"/v1/subscriptions/{sub['id']}")
    assert canceled["status"] == "canceled" and canceled["canceled_at"] is not None
    assert stripe_emulator.events("customer.subscription.deleted")
    assert (await raw.ok("GET", "/v1/subscriptions"))["data"] == []
    every = await raw.ok("GET", "/v1/subscriptions", {"status": "all"})
    assert [s["id"] for s in every["data"]] == [sub["id"]]


async def test_subscription_items(raw: Any) -> None:
    price = await _price(raw)
    addon = await _price(raw, 500)
    customer = await _customer(raw)
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": customer["id"], "items[0][price]": price["id"]}
    )
    item = await raw.ok(
        "POST",
        "/v1/subscription_items",
        {
            "subscription": sub["id"],
            "price": addon["id"],
            "quantity": 3,
            "proration_behavior": "none",
        },
    )
    assert item["quantity"] == 3
    listed = await raw.ok("GET", "/v1/subscription_items", {"subscription": sub["id"]})
    assert len(listed["data"]) == 2
    item = await raw.ok(
        "POST",
        f"/v1/subscription_items/{item['id']}",
        {"quantity": 1, "proration_behavior": "none"},
    )
    assert item["quantity"] == 1
    await raw.ok("DELETE", f"/v1/subscription_items/{item['id']}?proration_behavior=none")
    last = (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["items"]["data"][0]
    response = await raw.delete(f"/v1/subscription_items/{last['id']}")
    assert response.status_code == 400


async def test_trial_then_renewals_as_time_passes(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    price = await _price(raw)
    customer = await _customer(raw)
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {"customer": customer["id"], "items[0][price]": price["id"], "trial_period_days": 7},
    )
    assert sub["status"] == "trialing"
    first = await raw.ok("GET", f"/v1/invoices/{sub['latest_invoice']}")
    assert first["amount_due"] == 0 and first["status"] == "paid"
    await stripe_emulator.advance_clock(8 * 86400)
    sub = await raw.ok("GET", f"/v1/subscriptions/{sub['id']}")
    assert sub["status"] == "active" and sub["trial_end"] is not None
    invoices = await raw.ok("GET", "/v1/invoices", {"subscription": sub["id"]})
    assert [i["amount_paid"] for i in invoices["data"]] == [2000, 0]
    await stripe_emulator.advance_clock(MONTH)
    invoices = await raw.ok("GET", "/v1/invoices", {"subscription": sub["id"]})
    assert len(invoices["data"]) == 3
    assert invoices["data"][0]["billing_reason"] == "subscription_cycle"


async def test_renewal_decline_makes_it_past_due(raw: Any, stripe_emulator: StripeEmulator) -> None:
    price = await _price(raw)
    customer = await _customer(raw)
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": customer["id"], "items[0][price]": price["id"]}
    )
    bad = await raw.ok(
        "POST",
        "/v1/payment_methods/pm_card_chargeCustomerFail/attach",
        {"customer": customer["id"]},
    )
    await raw.ok(
        "POST",
        f"/v1/customers/{customer['id']}",
        {"invoice_settings[default_payment_method]": bad["id"]},
    )
    await stripe_emulator.advance_clock(MONTH)
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "past_due"
    assert stripe_emulator.events("invoice.payment_failed")


async def test_cancel_at_period_end_happens_at_the_period_end(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    price = await _price(raw)
    customer = await _customer(raw)
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": price["id"],
            "cancel_at_period_end": "true",
        },
    )
    await stripe_emulator.advance_clock(86400)
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "active"
    await stripe_emulator.advance_clock(MONTH)
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "canceled"


async def test_paused_after_trial_then_resumed(raw: Any, stripe_emulator: StripeEmulator) -> None:
    price = await _price(raw)
    customer = await _customer(raw, None)
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": price["id"],
            "trial_period_days": 3,
            "trial_settings[end_behavior][missing_payment_method]": "pause",
        },
    )
    await stripe_emulator.advance_clock(4 * 86400)
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "paused"
    pm = await raw.ok(
        "POST", "/v1/payment_methods/pm_card_visa/attach", {"customer": customer["id"]}
    )
    await raw.ok(
        "POST",
        f"/v1/customers/{customer['id']}",
        {"invoice_settings[default_payment_method]": pm["id"]},
    )
    resumed = await raw.ok("POST", f"/v1/subscriptions/{sub['id']}/resume")
    assert resumed["status"] == "active"
    assert stripe_emulator.events("customer.subscription.resumed")


# --- invoices -------------------------------------------------------------------------


async def test_invoice_lifecycle(raw: Any, stripe_emulator: StripeEmulator) -> None:
    customer = await _customer(raw)
    invoice = await raw.ok(
        "POST", "/v1/invoices", {"customer": customer["id"], "description": "Consulting"}
    )
    assert invoice["status"] == "draft" and invoice["total"] == 0
    item = await raw.ok(
        "POST",
        "/v1/invoiceitems",
        {
            "customer": customer["id"],
            "invoice": invoice["id"],
            "amount": 5000,
            "currency": "usd",
            "description": "Work",
        },
    )
    assert item["invoice"] == invoice["id"]
    price = await _price(raw, 1500, interval=None)
    await raw.ok(
        "POST",
        "/v1/invoiceitems",
        {
            "customer": customer["id"],
            "invoice": invoice["id"],
            "pricing[price]": price["id"],
            "quantity": 2,
        },
    )
    invoice = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    assert invoice["total"] == 8000 and len(invoice["lines"]["data"]) == 2
    lines = await raw.ok("GET", f"/v1/invoices/{invoice['id']}/lines", {"limit": 1})
    assert len(lines["data"]) == 1 and lines["has_more"]
    invoice = await raw.ok("POST", f"/v1/invoices/{invoice['id']}/finalize")
    assert invoice["status"] == "open" and invoice["number"].endswith("-0001")
    assert invoice["amount_due"] == 8000 and invoice["hosted_invoice_url"]
    edit = await raw.post(f"/v1/invoices/{invoice['id']}", {"collection_method": "send_invoice"})
    assert edit.json()["error"]["code"] == "invoice_not_editable"
    invoice = await raw.ok("POST", f"/v1/invoices/{invoice['id']}/send")
    invoice = await raw.ok("POST", f"/v1/invoices/{invoice['id']}/pay")
    assert invoice["status"] == "paid" and invoice["amount_paid"] == 8000
    assert invoice["amount_remaining"] == 0 and invoice["status_transitions"]["paid_at"]
    again = await raw.post(f"/v1/invoices/{invoice['id']}/pay")
    assert again.status_code == 400
    types = [e["type"] for e in stripe_emulator.events()]
    for expected in (
        "invoice.created",
        "invoice.finalized",
        "invoice.sent",
        "invoice.paid",
        "invoice.payment_succeeded",
    ):
        assert expected in types
    search = await raw.ok("GET", "/v1/invoices/search", {"query": "total>7000"})
    assert [i["id"] for i in search["data"]] == [invoice["id"]]


async def test_invoice_pay_decline_is_402(raw: Any, stripe_emulator: StripeEmulator) -> None:
    customer = await _customer(raw, "pm_card_chargeCustomerFail")
    await raw.ok(
        "POST", "/v1/invoiceitems", {"customer": customer["id"], "amount": 1200, "currency": "usd"}
    )
    invoice = await raw.ok(
        "POST",
        "/v1/invoices",
        {"customer": customer["id"], "pending_invoice_items_behavior": "include"},
    )
    response = await raw.post(f"/v1/invoices/{invoice['id']}/pay")
    assert response.status_code == 402
    after = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    assert after["status"] == "open" and after["attempt_count"] == 1
    assert stripe_emulator.events("invoice.payment_failed")


async def test_void_uncollectible_delete(raw: Any, stripe_emulator: StripeEmulator) -> None:
    customer = await _customer(raw)

    async def open_invoice() -> dict[str, Any]:
        invoice = await raw.ok("POST", "/v1/invoices", {"customer": customer["id"]})
        await raw.ok(
            "POST",
            "/v1/invoiceitems",
            {"customer": customer["id"], "invoice": invoice["id"], "amount": 900},
        )
        return await raw.ok("POST", f"/v1/invoices/{invoice['id']}/finalize")  # type: ignore[no-any-return]

    voided = await raw.ok("POST", f"/v1/invoices/{(await open_invoice())['id']}/void")
    assert voided["status"] == "void" and voided["status_transitions"]["voided_at"]
    [payment] = (await raw.ok("GET", "/v1/invoice_payments", {"invoice": voided["id"]}))["data"]
    assert payment["status"] == "canceled" and payment["status_transitions"]["canceled_at"]
    pi = stripe_emulator.get(payment["payment"]["payment_intent"])
    assert pi is not None and pi["status"] == "canceled"
    bad = await raw.post(f"/v1/invoices/{voided['id']}/pay")
    assert bad.status_code == 400
    lost = await raw.ok("POST", f"/v1/invoices/{(await open_invoice())['id']}/mark_uncollectible")
    assert lost["status"] == "uncollectible"
    draft = await raw.ok("POST", "/v1/invoices", {"customer": customer["id"]})
    deleted = await raw.ok("DELETE", f"/v1/invoices/{draft['id']}")
    assert deleted == {"id": draft["id"], "object": "invoice", "deleted": True}
    response = await raw.delete(f"/v1/invoices/{voided['id']}")
    assert response.status_code == 400
    types = {e["type"] for e in stripe_emulator.events()}
    assert {"invoice.voided", "invoice.marked_uncollectible", "invoice.deleted"} <= types


async def test_send_invoice_collection(raw: Any) -> None:
    customer = await _customer(raw, None)
    response = await raw.post(
        "/v1/invoices", {"customer": customer["id"], "collection_method": "send_invoice"}
    )
    assert response.json()["error"]["param"] == "days_until_due"
    invoice = await raw.ok(
        "POST",
        "/v1/invoices",
        {"customer": customer["id"], "collection_method": "send_invoice", "days_until_due": 30},
    )
    assert invoice["due_date"] == invoice["created"] + 30 * 86400
    await raw.ok(
        "POST",
        "/v1/invoiceitems",
        {"customer": customer["id"], "invoice": invoice["id"], "amount": 4200, "currency": "usd"},
    )
    paid = await raw.ok("POST", f"/v1/invoices/{invoice['id']}/pay", {"paid_out_of_band": "true"})
    assert paid["status"] == "paid" and paid["amount_paid"] == 4200


async def test_invoice_items_crud(raw: Any) -> None:
    customer = await _customer(raw)
    item = await raw.ok(
        "POST",
        "/v1/invoiceitems",
        {
            "customer": customer["id"],
            "unit_amount": 250,
            "quantity": 4,
            "currency": "usd",
            "metadata[sku]": "A1",
        },
    )
    assert item["amount"] == 1000 and item["invoice"] is None and item["quantity"] == 4
    item = await raw.ok("POST", f"/v1/invoiceitems/{item['id']}", {"quantity": 2})
    assert item["amount"] == 500
    pending = await raw.ok("GET", "/v1/invoiceitems", {"pending": "true"})
    assert [i["id"] for i in pending["data"]] == [item["id"]]
    response = await raw.post("/v1/invoiceitems", {"customer": customer["id"]})
    assert response.json()["error"]["param"] == "amount"
    deleted = await raw.ok("DELETE", f"/v1/invoiceitems/{item['id']}")
    assert deleted["deleted"] is True


async def test_create_preview(raw: Any) -> None:
    price = await _price(raw)
    bigger = await _price(raw, 4000)
    customer = await _customer(raw)
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": customer["id"], "items[0][price]": price["id"]}
    )
    preview = await raw.ok("POST", "/v1/invoices/create_preview", {"subscription": sub["id"]})
    assert preview["id"].startswith("upcoming_") and preview["total"] == 2000
    assert preview["period_start"] == sub["items"]["data"][0]["current_period_end"]
    item_id = sub["items"]["data"][0]["id"]
    preview = await raw.ok(
        "POST",
        "/v1/invoices/create_preview",
        {
            "subscription": sub["id"],
            "subscription_details[items][0][id]": item_id,
            "subscription_details[items][0][price]": bigger["id"],
            # Without it Stripe previews prorations, which the emulator refuses to fake.
            "subscription_details[proration_behavior]": "none",
        },
    )
    assert preview["total"] == 4000
    assert (await raw.ok("GET", "/v1/invoices", {"subscription": sub["id"]}))["data"][0][
        "id"
    ] == sub["latest_invoice"]


@pytest.mark.parametrize("status", ["draft", "paid"])
async def test_invoice_list_by_status(raw: Any, status: str) -> None:
    customer = await _customer(raw)
    draft = await raw.ok("POST", "/v1/invoices", {"customer": customer["id"]})
    paid = await raw.ok("POST", "/v1/invoices", {"customer": customer["id"]})
    await raw.ok("POST", f"/v1/invoices/{paid['id']}/finalize")  # zero total: paid at once
    listed = await raw.ok("GET", "/v1/invoices", {"status": status})
    assert [i["id"] for i in listed["data"]] == [draft["id"] if status == "draft" else paid["id"]]
