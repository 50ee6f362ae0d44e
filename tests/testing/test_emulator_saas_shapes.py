"""The SaaS objects carry the top-level keys of Stripe's published fixtures.

data/fixture_keys.json holds the key sets of those objects in Stripe's OpenAPI
fixtures (stripe/openapi, fixtures3.json). Keys the emulator adds are newer fields
of the current API version or fields Stripe shows only in some modes, listed here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stripe_async.testing import StripeEmulator

FIXTURE_KEYS: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "data" / "fixture_keys.json").read_text()
)
EXTRA_KEYS = {
    # Newer than the fixtures (present in the current API version's objects).
    "setup_intent": {"customer_account"},
    "coupon": {"applies_to"},
    "setup_attempt": {"attach_to_self"},
    # Shown for embedded sessions only.
    "checkout.session": {"return_url", "redirect_on_completion"},
}


async def _objects(raw: Any, emulator: StripeEmulator) -> dict[str, dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}

    async def keep(method: str, path: str, data: Any = None) -> dict[str, Any]:
        obj: dict[str, Any] = await raw.ok(method, path, data)
        seen[obj["object"]] = obj
        return obj

    customer = await keep("POST", "/v1/customers", {"email": "shape@example.com"})
    setup = await keep(
        "POST",
        "/v1/setup_intents",
        {
            "customer": customer["id"],
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "payment_method_types[]": "card",
        },
    )
    attempts = await raw.ok("GET", "/v1/setup_attempts", {"setup_intent": setup["id"]})
    seen["setup_attempt"] = attempts["data"][0]
    coupon = await keep("POST", "/v1/coupons", {"percent_off": 10, "duration": "forever"})
    await keep("POST", "/v1/promotion_codes", {"coupon": coupon["id"], "code": "SHAPE"})
    price = await keep(
        "POST",
        "/v1/prices",
        {"unit_amount": 900, "currency": "usd", "product_data[name]": "Mug"},
    )
    session = await keep(
        "POST",
        "/v1/checkout/sessions",
        {
            "mode": "payment",
            "line_items[0][price]": price["id"],
            "line_items[0][quantity]": 1,
            "discounts[0][coupon]": coupon["id"],
            "success_url": "https://example.com/ok",
        },
    )
    items = await raw.ok("GET", f"/v1/checkout/sessions/{session['id']}/line_items")
    seen["item"] = items["data"][0]
    await emulator.complete_checkout(session["id"])
    seen["checkout.session"] = await raw.ok("GET", f"/v1/checkout/sessions/{session['id']}")
    # The session's Discount is not returned by any route (as on Stripe): read it directly.
    seen["discount"] = next(emulator._state.store.everything("discount"))
    await keep(
        "POST", "/v1/billing_portal/configurations", {"features[invoice_history][enabled]": "true"}
    )
    await keep("POST", "/v1/billing_portal/sessions", {"customer": customer["id"]})
    account = await keep(
        "POST",
        "/v1/accounts",
        {"type": "express", "capabilities[transfers][requested]": "true"},
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
    pi = await raw.ok(
        "POST",
        "/v1/payment_intents",
        {
            "amount": 3000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "payment_method_types[]": "card",
            "application_fee_amount": 300,
            "transfer_data[destination]": account["id"],
            "expand[]": [
                "latest_charge.transfer",
                "latest_charge.application_fee",
                "latest_charge.balance_transaction",
            ],
        },
    )
    charge = pi["latest_charge"]
    for name in ("transfer", "application_fee", "balance_transaction"):
        seen[name] = charge[name]
    seen["account"] = await raw.ok("GET", f"/v1/accounts/{account['id']}")
    return seen


async def test_saas_objects_have_the_fixture_key_sets(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    seen = await _objects(raw, stripe_emulator)
    for kind, keys in FIXTURE_KEYS.items():
        assert kind in seen, f"the flow did not produce a {kind}"
        actual, expected = set(seen[kind]), set(keys)
        assert expected <= actual, (kind, sorted(expected - actual))
        assert actual - expected <= EXTRA_KEYS.get(kind, set()), (kind, sorted(actual - expected))
