"""The customer portal: configurations, sessions and the customer's actions in it."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async.testing import StripeEmulator

DAY = 86400


async def _subscribed(raw: Any) -> tuple[str, str, str, str]:
    """A customer paying a monthly price; also a second price of the same product."""
    customer = await raw.ok(
        "POST",
        "/v1/customers",
        {
            "email": "c@example.com",
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
        },
    )
    product = await raw.ok("POST", "/v1/products", {"name": "Team"})
    basic, pro = [
        await raw.ok(
            "POST",
            "/v1/prices",
            {
                "product": product["id"],
                "unit_amount": amount,
                "currency": "usd",
                "recurring[interval]": "month",
            },
        )
        for amount in (1000, 3000)
    ]
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": basic["id"],
            "default_payment_method": customer["invoice_settings"]["default_payment_method"],
        },
    )
    return customer["id"], sub["id"], product["id"], pro["id"]


async def test_configurations_create_update_list(raw: Any, stripe_emulator: Any) -> None:
    first = await raw.ok(
        "POST",
        "/v1/billing_portal/configurations",
        {
            "features[subscription_cancel][enabled]": "true",
            "features[subscription_cancel][mode]": "immediately",
            "features[invoice_history][enabled]": "true",
            "business_profile[headline]": "Acme billing",
        },
    )
    assert first["object"] == "billing_portal.configuration" and first["is_default"] is True
    assert first["features"]["subscription_cancel"]["mode"] == "immediately"
    assert first["features"]["subscription_cancel"]["enabled"] is True
    assert first["features"]["payment_method_update"]["enabled"] is False
    second = await raw.ok(
        "POST",
        "/v1/billing_portal/configurations",
        {"features[payment_method_update][enabled]": "true", "name": "Alt"},
    )
    assert second["is_default"] is False
    updated = await raw.ok(
        "POST", f"/v1/billing_portal/configurations/{second['id']}", {"active": "false"}
    )
    assert updated["active"] is False
    refused = await raw.post(
        f"/v1/billing_portal/configurations/{first['id']}", {"active": "false"}
    )
    assert refused.status_code == 400
    active = await raw.ok("GET", "/v1/billing_portal/configurations", {"active": "true"})
    assert [c["id"] for c in active["data"]] == [first["id"]]
    types = [e["type"] for e in stripe_emulator.events()]
    assert types.count("billing_portal.configuration.created") == 2
    assert "billing_portal.configuration.updated" in types


async def test_session_url_and_cancel_at_period_end(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    customer, sub, _, _ = await _subscribed(raw)
    session = await raw.ok(
        "POST",
        "/v1/billing_portal/sessions",
        {"customer": customer, "return_url": "https://app.example/account"},
    )
    assert session["object"] == "billing_portal.session"
    assert session["url"].startswith("https://billing.stripe.com/p/session/")
    assert session["return_url"] == "https://app.example/account"
    default = await raw.ok("GET", f"/v1/billing_portal/configurations/{session['configuration']}")
    assert default["is_default"] is True
    canceled = await stripe_emulator.portal_cancel(session["id"], sub, reason="too_expensive")
    assert canceled["cancel_at_period_end"] is True and canceled["status"] == "active"
    updates = stripe_emulator.events("customer.subscription.updated")
    assert updates[-1]["data"]["previous_attributes"]["cancel_at_period_end"] is False
    await stripe_emulator.advance_clock(32 * DAY)
    ended = await raw.ok("GET", f"/v1/subscriptions/{sub}")
    assert ended["status"] == "canceled"
    assert stripe_emulator.events("customer.subscription.deleted")


async def test_switch_price_and_update_payment_method(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    customer, sub, product, pro = await _subscribed(raw)
    configuration = await raw.ok(
        "POST",
        "/v1/billing_portal/configurations",
        {
            "features[subscription_update][enabled]": "true",
            "features[subscription_update][default_allowed_updates][]": "price",
            "features[subscription_update][products][0][product]": product,
            "features[subscription_update][products][0][prices][]": pro,
            "features[payment_method_update][enabled]": "true",
        },
    )
    session = await raw.ok(
        "POST",
        "/v1/billing_portal/sessions",
        {"customer": customer, "configuration": configuration["id"]},
    )
    switched = await stripe_emulator.portal_switch_price(session["id"], sub, pro)
    assert switched["items"]["data"][0]["price"]["id"] == pro
    with pytest.raises(ValueError, match="does not let customers cancel"):
        await stripe_emulator.portal_cancel(session["id"], sub)
    updated = await stripe_emulator.portal_update_payment_method(session["id"])
    new_pm = updated["invoice_settings"]["default_payment_method"]
    pm = await raw.ok("GET", f"/v1/payment_methods/{new_pm}")
    assert pm["customer"] == customer and pm["card"]["last4"] == "4444"
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub}"))["default_payment_method"] == new_pm
    stranger = await raw.ok("POST", "/v1/customers", {"email": "s@example.com"})
    other = await raw.ok(
        "POST",
        "/v1/billing_portal/sessions",
        {"customer": stranger["id"], "configuration": configuration["id"]},
    )
    with pytest.raises(ValueError, match="another customer"):
        await stripe_emulator.portal_switch_price(other["id"], sub, pro)


async def test_cancel_at_period_end_during_a_trial_ends_at_the_trial(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    customer, _, _, pro = await _subscribed(raw)
    trial = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {"customer": customer, "items[0][price]": pro, "trial_period_days": 7},
    )
    await raw.ok("POST", f"/v1/subscriptions/{trial['id']}", {"cancel_at_period_end": "true"})
    before = len(stripe_emulator.events("invoice.created"))
    await stripe_emulator.advance_clock(8 * DAY)
    ended = await raw.ok("GET", f"/v1/subscriptions/{trial['id']}")
    assert ended["status"] == "canceled"
    assert len(stripe_emulator.events("invoice.created")) == before  # the trial ends unbilled
