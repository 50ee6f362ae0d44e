"""SetupIntents: saving a card for later, 3D Secure, declines, then paying off-session."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async.testing import StripeEmulator

NO_REDIRECTS = {
    "automatic_payment_methods[enabled]": "true",
    "automatic_payment_methods[allow_redirects]": "never",
}


async def _customer(raw: Any) -> str:
    customer: dict[str, Any] = await raw.ok("POST", "/v1/customers", {"email": "j@example.com"})
    return str(customer["id"])


def _types(emulator: StripeEmulator) -> list[str]:
    return [e["type"] for e in emulator.events()]


async def test_confirm_with_a_test_card_attaches_it(raw: Any, stripe_emulator: Any) -> None:
    customer = await _customer(raw)
    created = await raw.ok("POST", "/v1/setup_intents", {"customer": customer, **NO_REDIRECTS})
    assert created["object"] == "setup_intent"
    assert created["status"] == "requires_payment_method"
    assert created["usage"] == "off_session"
    assert created["client_secret"].startswith(created["id"] + "_secret_")
    done = await raw.ok(
        "POST", f"/v1/setup_intents/{created['id']}/confirm", {"payment_method": "pm_card_visa"}
    )
    assert done["status"] == "succeeded"
    pm = await raw.ok("GET", f"/v1/payment_methods/{done['payment_method']}")
    assert pm["customer"] == customer
    attempts = await raw.ok("GET", "/v1/setup_attempts", {"setup_intent": created["id"]})
    assert [a["id"] for a in attempts["data"]] == [done["latest_attempt"]]
    assert attempts["data"][0]["status"] == "succeeded"
    assert _types(stripe_emulator)[-3:] == [
        "setup_intent.created",
        "payment_method.attached",
        "setup_intent.succeeded",
    ]


async def test_a_declining_card_fails_setup_with_a_card_error(
    raw: Any, stripe_emulator: Any
) -> None:
    customer = await _customer(raw)
    response = await raw.post(
        "/v1/setup_intents",
        {
            "customer": customer,
            "payment_method": "pm_card_chargeDeclined",
            "confirm": "true",
            "payment_method_types[]": "card",
        },
    )
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["type"] == "card_error" and error["decline_code"] == "generic_decline"
    intent = error["setup_intent"]
    assert intent["status"] == "requires_payment_method"
    assert intent["last_setup_error"]["code"] == "card_declined"
    assert "setup_intent.setup_failed" in _types(stripe_emulator)
    assert (await raw.ok("GET", f"/v1/customers/{customer}/payment_methods"))["data"] == []


async def test_3ds_then_off_session_payment_without_authentication(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    customer = await _customer(raw)
    intent = await raw.ok(
        "POST",
        "/v1/setup_intents",
        {
            "customer": customer,
            "payment_method": "pm_card_authenticationRequiredOnSetup",
            "confirm": "true",
            "return_url": "https://example.com/saved",
        },
    )
    assert intent["status"] == "requires_action"
    assert intent["next_action"]["type"] == "redirect_to_url"
    assert intent["next_action"]["redirect_to_url"]["return_url"] == "https://example.com/saved"
    assert "setup_intent.requires_action" in _types(stripe_emulator)
    done = await stripe_emulator.complete_3ds(intent["id"])
    assert done["status"] == "succeeded"
    payment = await raw.ok(
        "POST",
        "/v1/payment_intents",
        {
            "amount": 1500,
            "currency": "usd",
            "customer": customer,
            "payment_method": done["payment_method"],
            "off_session": "true",
            "confirm": "true",
            **NO_REDIRECTS,
        },
    )
    assert payment["status"] == "succeeded"


async def test_off_session_needs_a_card_that_was_set_up(raw: Any) -> None:
    customer = await _customer(raw)
    pm = await raw.ok(
        "POST",
        "/v1/payment_methods/pm_card_authenticationRequiredOnSetup/attach",
        {"customer": customer},
    )
    response = await raw.post(
        "/v1/payment_intents",
        {
            "amount": 1500,
            "currency": "usd",
            "customer": customer,
            "payment_method": pm["id"],
            "off_session": "true",
            "confirm": "true",
            **NO_REDIRECTS,
        },
    )
    assert response.status_code == 402
    assert response.json()["error"]["code"] == "authentication_required"


async def test_failed_authentication_and_http_helper(raw: Any, stripe_emulator: Any) -> None:
    intent = await raw.ok(
        "POST",
        "/v1/setup_intents",
        {"payment_method": "pm_card_authenticationRequired", "confirm": "true", **NO_REDIRECTS},
    )
    assert intent["next_action"]["type"] == "use_stripe_sdk"
    failed = await raw.ok(
        "POST", f"/_emulator/setup_intents/{intent['id']}/authenticate", {"outcome": "fail"}
    )
    assert failed["status"] == "requires_payment_method"
    assert failed["last_setup_error"]["code"] == "setup_intent_authentication_failure"
    with pytest.raises(ValueError, match="requires_action"):
        await stripe_emulator.complete_3ds(intent["id"])


async def test_confirm_needs_return_url_unless_redirects_are_off(raw: Any) -> None:
    intent = await raw.ok("POST", "/v1/setup_intents", {})
    assert intent["automatic_payment_methods"] == {"allow_redirects": "always", "enabled": True}
    refused = await raw.post(
        f"/v1/setup_intents/{intent['id']}/confirm", {"payment_method": "pm_card_visa"}
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["message"].startswith(
        "A `return_url` must be specified because this Setup Intent is configured"
    )
    card_only = await raw.ok(
        "POST",
        "/v1/setup_intents",
        {"payment_method_types[]": "card", "payment_method": "pm_card_visa", "confirm": "true"},
    )
    assert card_only["status"] == "succeeded" and card_only["automatic_payment_methods"] is None


async def test_cancel_update_list_and_states(raw: Any, stripe_emulator: Any) -> None:
    customer = await _customer(raw)
    first = await raw.ok("POST", "/v1/setup_intents", {"customer": customer, "usage": "on_session"})
    second = await raw.ok("POST", "/v1/setup_intents", {"metadata[plan]": "pro"})
    updated = await raw.ok(
        "POST", f"/v1/setup_intents/{second['id']}", {"payment_method": "pm_card_visa"}
    )
    assert updated["status"] == "requires_confirmation"
    canceled = await raw.ok(
        "POST",
        f"/v1/setup_intents/{first['id']}/cancel",
        {"cancellation_reason": "abandoned"},
    )
    assert canceled["status"] == "canceled" and canceled["cancellation_reason"] == "abandoned"
    again = await raw.post(f"/v1/setup_intents/{first['id']}/cancel")
    assert again.json()["error"]["code"] == "setup_intent_unexpected_state"
    listed = await raw.ok("GET", "/v1/setup_intents", {"customer": customer})
    assert [i["id"] for i in listed["data"]] == [first["id"]]
    everything = await raw.ok("GET", "/v1/setup_intents")
    assert [i["id"] for i in everything["data"]] == [second["id"], first["id"]]
    assert "setup_intent.canceled" in _types(stripe_emulator)
    assert "setup_intent.updated" not in _types(stripe_emulator)


async def test_publishable_key_needs_the_client_secret(raw: Any) -> None:
    intent = await raw.ok("POST", "/v1/setup_intents", {})
    path = f"/v1/setup_intents/{intent['id']}"
    publishable = {"Authorization": "Bearer pk_test_emulator"}
    denied = await raw.get(path, headers=publishable)
    assert denied.status_code == 400 and denied.json()["error"]["param"] == "client_secret"
    ok = await raw.get(path, {"client_secret": intent["client_secret"]}, headers=publishable)
    assert ok.status_code == 200
    confirmed = await raw.post(
        path + "/confirm",
        {"client_secret": intent["client_secret"], "payment_method": "pm_card_visa"},
        headers=publishable,
    )
    assert confirmed.json()["status"] == "succeeded"
