"""Every object the emulator returns parses into its typed model, field for field.

No top-level field the model does not know (the emulator invents nothing), and no
field the model marks as always sent (`Present[...]`) missing or null.
"""

from __future__ import annotations

from typing import Any

from stripe_async import models
from stripe_async.models._base import _NullTolerated
from stripe_async.testing import StripeEmulator


async def _one_of_each(raw: Any, emulator: StripeEmulator) -> dict[str, dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}

    async def keep(method: str, path: str, data: Any = None) -> dict[str, Any]:
        obj: dict[str, Any] = await raw.ok(method, path, data)
        seen.setdefault(obj["object"], obj)
        return obj

    customer = await keep(
        "POST",
        "/v1/customers",
        {
            "email": "models@example.com",
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
            "source": "tok_visa",
        },
    )
    setup = await keep(
        "POST",
        "/v1/setup_intents",
        {
            "customer": customer["id"],
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "allowed_payment_method_types[]": "card",
        },
    )
    attempts = await raw.ok("GET", "/v1/setup_attempts", {"setup_intent": setup["id"]})
    seen["setup_attempt"] = attempts["data"][0]
    coupon = await keep("POST", "/v1/coupons", {"percent_off": 10, "duration": "forever"})
    await keep("POST", "/v1/promotion_codes", {"coupon": coupon["id"], "code": "MODELS"})
    product = await keep("POST", "/v1/products", {"name": "Plan"})
    price = await keep(
        "POST",
        "/v1/prices",
        {
            "product": product["id"],
            "unit_amount": 1000,
            "currency": "usd",
            "recurring[interval]": "month",
        },
    )
    one_off = await keep(
        "POST", "/v1/prices", {"product": product["id"], "unit_amount": 500, "currency": "usd"}
    )
    subscription = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": price["id"],
            "discounts[0][coupon]": coupon["id"],
            "expand[]": "discounts",
        },
    )
    seen["discount"] = subscription["discounts"][0]
    seen["subscription"] = await raw.ok("GET", f"/v1/subscriptions/{subscription['id']}")
    await keep("GET", f"/v1/subscription_items/{subscription['items']['data'][0]['id']}")
    await keep("GET", f"/v1/plans/{price['id']}")
    invoice = await keep("GET", f"/v1/invoices/{subscription['latest_invoice']}")
    seen["line_item"] = invoice["lines"]["data"][0]
    payments = await raw.ok("GET", "/v1/invoice_payments", {"invoice": invoice["id"]})
    seen["invoice_payment"] = payments["data"][0]
    await keep(
        "POST", "/v1/invoiceitems", {"customer": customer["id"], "amount": 100, "currency": "usd"}
    )
    session = await keep(
        "POST",
        "/v1/checkout/sessions",
        {
            "mode": "payment",
            "line_items[0][price]": one_off["id"],
            "line_items[0][quantity]": 1,
            "success_url": "https://example.com/ok",
        },
    )
    items = await raw.ok("GET", f"/v1/checkout/sessions/{session['id']}/line_items")
    seen["item"] = items["data"][0]
    await emulator.complete_checkout(session["id"])
    seen["checkout.session"] = await raw.ok("GET", f"/v1/checkout/sessions/{session['id']}")
    await keep(
        "POST", "/v1/billing_portal/configurations", {"features[invoice_history][enabled]": "true"}
    )
    await keep("POST", "/v1/billing_portal/sessions", {"customer": customer["id"]})
    account = await keep(
        "POST", "/v1/accounts", {"type": "express", "capabilities[transfers][requested]": "true"}
    )
    await keep(
        "POST",
        "/v1/account_links",
        {
            "account": account["id"],
            "type": "account_onboarding",
            "refresh_url": "https://example.com/r",
            "return_url": "https://example.com/b",
        },
    )
    await emulator.complete_onboarding(account["id"])
    intent = await keep(
        "POST",
        "/v1/payment_intents",
        {
            "amount": 3000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "allowed_payment_method_types[]": "card",
            "application_fee_amount": 300,
            "transfer_data[destination]": account["id"],
            "expand[]": [
                "latest_charge.transfer",
                "latest_charge.application_fee",
                "latest_charge.balance_transaction",
            ],
        },
    )
    charge = intent.pop("latest_charge")
    for name in ("transfer", "application_fee", "balance_transaction"):
        seen[name] = charge.pop(name)
    seen["charge"] = charge
    seen["payment_intent"] = await raw.ok("GET", f"/v1/payment_intents/{intent['id']}")
    await keep("POST", "/v1/refunds", {"payment_intent": intent["id"], "amount": 100})
    endpoint = await raw.ok(
        "POST", "/v1/webhook_endpoints", {"url": "https://example.com/h", "enabled_events[]": "*"}
    )
    seen["webhook_endpoint"] = await raw.ok("GET", f"/v1/webhook_endpoints/{endpoint['id']}")
    seen["event"] = (await raw.ok("GET", "/v1/events"))["data"][0]
    await keep("GET", "/v1/balance")
    seen["card"] = emulator.get(customer["default_source"]) or {}
    seen["payment_method"] = await raw.ok("GET", f"/v1/payment_methods/{setup['payment_method']}")
    seen["account"] = await raw.ok("GET", f"/v1/accounts/{account['id']}")
    return seen


def _always_sent(model: type[Any]) -> list[str]:
    return [
        field.alias or name
        for name, field in model.model_fields.items()
        if any(isinstance(meta, _NullTolerated) for meta in field.metadata)
    ]


async def test_every_emulated_object_parses_into_its_model(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    seen = await _one_of_each(raw, stripe_emulator)
    assert len(seen) >= 30
    for kind, obj in sorted(seen.items()):
        model = models.model_for(kind)
        assert model is not None, f"no model for {kind}"
        parsed = model.model_validate(obj)
        assert not parsed.model_extra, (kind, sorted(parsed.model_extra or {}))
        missing = [key for key in _always_sent(model) if obj.get(key) is None]
        assert not missing, (kind, missing)


def test_the_check_sees_unknown_and_missing_fields() -> None:
    model = models.model_for("coupon")
    assert model is not None
    parsed = model.model_validate({"id": "X", "object": "coupon", "invented": 1})
    assert sorted(parsed.model_extra or {}) == ["invented"]
    assert "created" in _always_sent(model)
