"""Every object the emulator returns has the top-level keys of Stripe's fixture for it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stripe_async import models
from stripe_async.testing import StripeEmulator

# Stripe's published example objects, vendored with the tests (see tests/data/README.md).
FIXTURES = Path(__file__).parent.parent / "data" / "fixtures3.json"
FIXTURE_KEYS: dict[str, set[str]] = {
    name: set(obj) for name, obj in json.loads(FIXTURES.read_text())["resources"].items()
}
# Deliberate additions, each documented in docs/testing.md.
EXTRA_KEYS = {
    # Current-API fields newer than the fixture (set with business_name=/individual_name=).
    "customer": {"business_name", "individual_name"},
    # Shown once, in the reply to create (as on Stripe).
    "webhook_endpoint": {"secret"},
}
# Fixture keys the current API no longer sends (docs/testing.md): an invoice names its
# subscription under `parent.subscription_details`.
REMOVED_KEYS = {"invoice": {"subscription"}}
MODELS: dict[str, type[Any]] = {
    "customer": models.Customer,
    "payment_method": models.PaymentMethod,
    "payment_intent": models.PaymentIntent,
    "charge": models.Charge,
    "refund": models.Refund,
    "product": models.Product,
    "price": models.Price,
    "subscription": models.Subscription,
    "subscription_item": models.SubscriptionItem,
    "invoice": models.Invoice,
    "invoiceitem": models.InvoiceItem,
    "line_item": models.InvoiceLineItem,
    "event": models.Event,
    "webhook_endpoint": models.WebhookEndpoint,
    "balance": models.Balance,
}


async def _every_resource(raw: Any) -> dict[str, dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}

    async def keep(method: str, path: str, data: Any = None) -> dict[str, Any]:
        obj = await raw.ok(method, path, data)
        seen[obj["object"]] = obj
        return obj

    endpoint = await keep(
        "POST",
        "/v1/webhook_endpoints",
        {"url": "https://example.com/hook", "enabled_events[]": "*"},
    )
    seen["webhook_endpoint"] = endpoint
    customer = await keep(
        "POST",
        "/v1/customers",
        {
            "email": "jenny@example.com",
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
            "source": "tok_mastercard",
        },
    )
    await keep(
        "GET", f"/v1/payment_methods/{customer['invoice_settings']['default_payment_method']}"
    )
    await keep("GET", f"/v1/customers/{customer['id']}")
    pi = await keep(
        "POST",
        "/v1/payment_intents",
        {
            "amount": 2000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "return_url": "https://example.com/return",
        },
    )
    await keep("GET", f"/v1/charges/{pi['latest_charge']}")
    await keep("POST", "/v1/refunds", {"payment_intent": pi["id"], "amount": 500})
    product = await keep("POST", "/v1/products", {"name": "T-shirt"})
    price = await keep(
        "POST",
        "/v1/prices",
        {
            "product": product["id"],
            "unit_amount": 2000,
            "currency": "usd",
            "recurring[interval]": "month",
        },
    )
    await keep("GET", f"/v1/plans/{price['id']}")
    sub = await keep(
        "POST", "/v1/subscriptions", {"customer": customer["id"], "items[0][price]": price["id"]}
    )
    await keep("GET", f"/v1/subscription_items/{sub['items']['data'][0]['id']}")
    await keep(
        "POST", "/v1/invoiceitems", {"customer": customer["id"], "amount": 700, "currency": "usd"}
    )
    invoice = await keep(
        "POST",
        "/v1/invoices",
        {"customer": customer["id"], "pending_invoice_items_behavior": "include"},
    )
    assert invoice["lines"]["data"], "the pending item became a line"
    seen["line_item"] = invoice["lines"]["data"][0]
    await keep("POST", f"/v1/invoices/{invoice['id']}/finalize")
    payments = await raw.ok("GET", "/v1/invoice_payments", {"invoice": invoice["id"]})
    seen["invoice_payment"] = payments["data"][0]
    events = await raw.ok("GET", "/v1/events")
    seen["event"] = events["data"][0]
    await keep("GET", "/v1/balance")
    seen["webhook_endpoint_retrieved"] = await raw.ok(
        "GET", f"/v1/webhook_endpoints/{endpoint['id']}"
    )
    return seen


async def test_every_resource_has_the_fixture_key_set(raw: Any) -> None:
    seen = await _every_resource(raw)
    for name in MODELS:
        assert name in seen, f"the flow did not produce a {name}"
        expected = FIXTURE_KEYS[name] - REMOVED_KEYS.get(name, set())
        actual = set(seen[name])
        assert actual - expected <= EXTRA_KEYS.get(name, set()), (name, actual - expected)
        assert expected <= actual, (name, expected - actual)
    assert set(seen["webhook_endpoint_retrieved"]) == FIXTURE_KEYS["webhook_endpoint"]
    assert set(seen["invoice_payment"]) == FIXTURE_KEYS["invoice_payment"]


async def test_every_resource_parses_with_the_models(raw: Any) -> None:
    seen = await _every_resource(raw)
    for name, model in MODELS.items():
        parsed = model.model_validate(seen[name])
        assert getattr(parsed, "object", None) == seen[name]["object"]


async def test_card_sources_have_the_fixture_key_set(
    stripe_emulator: StripeEmulator, raw: Any
) -> None:
    customer = await raw.ok("POST", "/v1/customers", {"source": "tok_visa"})
    card = stripe_emulator.get(customer["default_source"])
    assert card is not None and card["last4"] == "4242" and card["customer"] == customer["id"]
    assert set(card) == FIXTURE_KEYS["card"]
