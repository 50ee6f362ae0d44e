"""Checkout Sessions: creation rules, the three modes completed as a customer, expiry."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async.testing import StripeEmulator

DAY = 86400


async def _price(raw: Any, amount: int, recurring: bool = False) -> str:
    data: dict[str, Any] = {
        "unit_amount": amount,
        "currency": "usd",
        "product_data[name]": "Pro plan" if recurring else "Setup fee",
    }
    if recurring:
        data["recurring[interval]"] = "month"
    price: dict[str, Any] = await raw.ok("POST", "/v1/prices", data)
    return str(price["id"])


def _types(emulator: StripeEmulator, since: int = 0) -> list[str]:
    return [e["type"] for e in emulator.events()[since:]]


async def test_payment_mode_with_price_data_completes_and_pays(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    session = await raw.ok(
        "POST",
        "/v1/checkout/sessions",
        {
            "mode": "payment",
            "line_items[0][price_data][currency]": "usd",
            "line_items[0][price_data][unit_amount]": 1500,
            "line_items[0][price_data][product_data][name]": "T-shirt",
            "line_items[0][quantity]": 2,
            "success_url": "https://shop.example/ok?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": "https://shop.example/cart",
            "customer_email": "buyer@example.com",
            "customer_creation": "always",
            "metadata[order]": "1001",
        },
    )
    assert session["object"] == "checkout.session" and session["id"].startswith("cs_test_")
    assert session["status"] == "open" and session["payment_status"] == "unpaid"
    assert session["url"].startswith("https://checkout.stripe.com/")
    assert session["amount_subtotal"] == session["amount_total"] == 3000
    assert session["payment_intent"] is None and session["metadata"] == {"order": "1001"}
    items = await raw.ok("GET", f"/v1/checkout/sessions/{session['id']}/line_items")
    assert [(i["object"], i["quantity"], i["amount_total"]) for i in items["data"]] == [
        ("item", 2, 3000)
    ]
    assert items["data"][0]["description"] == "T-shirt"
    before = len(stripe_emulator.events())
    done = await stripe_emulator.complete_checkout(session["id"])
    assert done["status"] == "complete" and done["payment_status"] == "paid"
    assert done["customer_details"]["email"] == "buyer@example.com"
    intent = await raw.ok("GET", f"/v1/payment_intents/{done['payment_intent']}")
    assert intent["status"] == "succeeded" and intent["amount"] == 3000
    assert intent["customer"] == done["customer"] is not None
    assert _types(stripe_emulator, before) == [
        "customer.created",
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
        "checkout.session.completed",
    ]
    again = await raw.post(f"/_emulator/checkout/sessions/{session['id']}/complete")
    assert again.status_code == 400


async def test_a_declined_card_leaves_the_session_open(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    price = await _price(raw, 2500)
    session = await raw.ok(
        "POST",
        "/v1/checkout/sessions",
        {"mode": "payment", "line_items[0][price]": price, "line_items[0][quantity]": 1},
    )
    after = await stripe_emulator.complete_checkout(
        session["id"], payment_method="pm_card_chargeDeclined"
    )
    assert after["status"] == "open" and after["payment_status"] == "unpaid"
    assert "payment_intent.payment_failed" in _types(stripe_emulator)
    failed_3ds = await stripe_emulator.complete_checkout(
        session["id"], payment_method="pm_card_authenticationRequired", three_d_secure=False
    )
    assert failed_3ds["status"] == "open"
    paid = await stripe_emulator.complete_checkout(
        session["id"], payment_method="pm_card_authenticationRequired"
    )
    assert paid["status"] == "complete"
    assert _types(stripe_emulator).count("checkout.session.completed") == 1


async def test_subscription_mode_with_trial_and_promotion_code(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    monthly = await _price(raw, 2000, recurring=True)
    fee = await _price(raw, 500)
    await raw.ok("POST", "/v1/coupons", {"id": "LAUNCH", "percent_off": 50, "duration": "once"})
    await raw.ok("POST", "/v1/promotion_codes", {"coupon": "LAUNCH", "code": "LAUNCH50"})
    session = await raw.ok(
        "POST",
        "/v1/checkout/sessions",
        {
            "mode": "subscription",
            "line_items[0][price]": monthly,
            "line_items[0][quantity]": 1,
            "line_items[1][price]": fee,
            "line_items[1][quantity]": 1,
            "allow_promotion_codes": "true",
            "subscription_data[trial_period_days]": 14,
            "subscription_data[metadata][plan]": "pro",
            "ui_mode": "embedded_page",
            "return_url": "https://app.example/welcome?session_id={CHECKOUT_SESSION_ID}",
        },
    )
    assert session["url"] is None and session["client_secret"].startswith(session["id"])
    assert session["return_url"].startswith("https://app.example/")
    assert session["amount_subtotal"] == 500  # only the one-time fee is due during the trial
    before = len(stripe_emulator.events())
    done = await stripe_emulator.complete_checkout(
        session["id"], email="founder@example.com", promotion_code="launch50"
    )
    assert done["status"] == "complete"
    assert done["payment_status"] == "paid"
    assert done["amount_total"] == 250 and done["total_details"]["amount_discount"] == 250
    sub = await raw.ok("GET", f"/v1/subscriptions/{done['subscription']}")
    assert sub["status"] == "trialing" and sub["metadata"] == {"plan": "pro"}
    assert sub["customer"] == done["customer"] and len(sub["discounts"]) == 1
    assert sub["default_payment_method"] is not None
    invoice = await raw.ok("GET", f"/v1/invoices/{done['invoice']}")
    assert (invoice["subtotal"], invoice["total"], invoice["status"]) == (500, 250, "paid")
    types = _types(stripe_emulator, before)
    assert types[0] == "customer.created" and types[-1] == "checkout.session.completed"
    for expected in ("customer.subscription.created", "invoice.created", "invoice.paid"):
        assert expected in types
    assert types.index("customer.subscription.created") < types.index("invoice.paid")
    # The trial ends and the once coupon is spent: the first full month is 2000.
    await stripe_emulator.advance_clock(15 * DAY)
    sub = await raw.ok("GET", f"/v1/subscriptions/{done['subscription']}")
    renewal = await raw.ok("GET", f"/v1/invoices/{sub['latest_invoice']}")
    assert sub["status"] == "active" and renewal["total"] == 2000


async def test_setup_mode_saves_the_card(raw: Any, stripe_emulator: StripeEmulator) -> None:
    customer = await raw.ok("POST", "/v1/customers", {"email": "saver@example.com"})
    session = await raw.ok(
        "POST",
        "/v1/checkout/sessions",
        {
            "mode": "setup",
            "customer": customer["id"],
            "currency": "usd",
            "success_url": "https://app.example/saved",
        },
    )
    assert session["payment_status"] == "no_payment_required"
    done = await stripe_emulator.complete_checkout(session["id"])
    intent = await raw.ok("GET", f"/v1/setup_intents/{done['setup_intent']}")
    assert intent["status"] == "succeeded" and intent["customer"] == customer["id"]
    methods = await raw.ok("GET", f"/v1/customers/{customer['id']}/payment_methods")
    assert [m["id"] for m in methods["data"]] == [intent["payment_method"]]
    assert _types(stripe_emulator)[-2:] == ["setup_intent.succeeded", "checkout.session.completed"]


async def test_expire_by_call_and_by_clock(raw: Any, stripe_emulator: StripeEmulator) -> None:
    price = await _price(raw, 1000)
    body = {"mode": "payment", "line_items[0][price]": price, "line_items[0][quantity]": 1}
    first = await raw.ok("POST", "/v1/checkout/sessions", body)
    second = await raw.ok("POST", "/v1/checkout/sessions", body)
    expired = await raw.ok("POST", f"/v1/checkout/sessions/{first['id']}/expire")
    assert expired["status"] == "expired" and expired["url"] is None
    again = await raw.post(f"/v1/checkout/sessions/{first['id']}/expire")
    assert again.status_code == 400
    await stripe_emulator.advance_clock(DAY)
    assert (await raw.ok("GET", f"/v1/checkout/sessions/{second['id']}"))["status"] == "expired"
    assert _types(stripe_emulator).count("checkout.session.expired") == 2
    listed = await raw.ok("GET", "/v1/checkout/sessions", {"status": "expired"})
    assert {s["id"] for s in listed["data"]} == {first["id"], second["id"]}
    with pytest.raises(ValueError, match="only an open session"):
        await stripe_emulator.complete_checkout(first["id"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "payment"}, "Missing required param: line_items."),
        ({"mode": "payment", "recurring": True}, "You specified `payment` mode"),
        ({"mode": "subscription"}, "at least one recurring price"),
        ({"mode": "payment", "ui_mode": "embedded_page"}, "return_url"),
        ({"mode": "payment", "customer_email": "a@b.c", "customer": "x"}, "customer_email"),
        ({"mode": "payment", "allow_promotion_codes": "true", "discounts[0][coupon]": "X"}, ""),
    ],
)
async def test_creation_rules(raw: Any, data: dict[str, Any], message: str) -> None:
    body = dict(data)
    if body.pop("recurring", False) or body["mode"] == "subscription":
        if body["mode"] == "payment":
            body["line_items[0][price]"] = await _price(raw, 1000, recurring=True)
        else:
            body["line_items[0][price]"] = await _price(raw, 1000)
        body["line_items[0][quantity]"] = 1
    elif "line_items" not in message:
        body["line_items[0][price]"] = await _price(raw, 1000)
        body["line_items[0][quantity]"] = 1
    response = await raw.post("/v1/checkout/sessions", body)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


async def test_session_discounts_in_payment_mode(raw: Any, stripe_emulator: Any) -> None:
    await raw.ok("POST", "/v1/coupons", {"id": "OFF3", "amount_off": 300, "currency": "usd"})
    price = await _price(raw, 1000)
    session = await raw.ok(
        "POST",
        "/v1/checkout/sessions",
        {
            "mode": "payment",
            "line_items[0][price]": price,
            "line_items[0][quantity]": 2,
            "discounts[0][coupon]": "OFF3",
        },
    )
    assert session["amount_total"] == 1700
    assert session["discounts"] == [{"coupon": "OFF3", "promotion_code": None}]
    done = await stripe_emulator.complete_checkout(session["id"])
    intent = await raw.ok("GET", f"/v1/payment_intents/{done['payment_intent']}")
    assert intent["amount"] == 1700
    assert (await raw.ok("GET", "/v1/coupons/OFF3"))["times_redeemed"] == 1


async def test_line_items_expand_on_retrieve(raw: Any) -> None:
    price = await _price(raw, 700)
    session = await raw.ok(
        "POST",
        "/v1/checkout/sessions",
        {"mode": "payment", "line_items[0][price]": price, "line_items[0][quantity]": 3},
    )
    assert "line_items" not in session
    expanded = await raw.ok(
        "GET", f"/v1/checkout/sessions/{session['id']}", {"expand[]": "line_items"}
    )
    items = expanded["line_items"]
    assert items["object"] == "list" and items["url"].endswith("/line_items")
    assert [(i["quantity"], i["amount_total"]) for i in items["data"]] == [(3, 2100)]
