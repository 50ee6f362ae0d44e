"""Legacy charges, refunds (partial, full, over-refund), payment methods and the balance."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async import CardError, StripeClient
from stripe_async.testing import StripeEmulator


async def test_legacy_charge_with_token(raw: Any, stripe_emulator: StripeEmulator) -> None:
    charge = await raw.ok(
        "POST",
        "/v1/charges",
        {"amount": 2000, "currency": "usd", "source": "tok_visa", "description": "legacy"},
    )
    assert charge["status"] == "succeeded" and charge["captured"] and charge["paid"]
    assert charge["payment_intent"] is None
    assert charge["source"]["object"] == "card" and charge["source"]["last4"] == "4242"
    assert charge["balance_transaction"].startswith("txn_")
    assert stripe_emulator.events("charge.succeeded")


async def test_legacy_charge_declined(raw: Any, stripe_emulator: StripeEmulator) -> None:
    response = await raw.post(
        "/v1/charges", {"amount": 2000, "currency": "usd", "source": "tok_chargeDeclined"}
    )
    assert response.status_code == 402
    error = response.json()["error"]
    assert (error["type"], error["code"], error["decline_code"]) == (
        "card_error",
        "card_declined",
        "generic_decline",
    )
    failed = stripe_emulator.get(error["charge"])
    assert failed is not None and failed["status"] == "failed"
    assert stripe_emulator.events("charge.failed")


async def test_legacy_charge_customer_default_source_and_capture(raw: Any) -> None:
    customer = await raw.ok("POST", "/v1/customers", {"source": "tok_mastercard"})
    charge = await raw.ok(
        "POST",
        "/v1/charges",
        {"amount": 1500, "currency": "usd", "customer": customer["id"], "capture": "false"},
    )
    assert charge["captured"] is False and charge["payment_method"] == customer["default_source"]
    captured = await raw.ok("POST", f"/v1/charges/{charge['id']}/capture", {"amount": 1000})
    assert captured["captured"] and captured["amount_captured"] == 1000
    again = await raw.post(f"/v1/charges/{charge['id']}/capture")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "charge_already_captured"
    listed = await raw.ok("GET", "/v1/charges", {"customer": customer["id"]})
    assert [c["id"] for c in listed["data"]] == [charge["id"]]


async def test_customer_without_card_cannot_be_charged(raw: Any) -> None:
    customer = await raw.ok("POST", "/v1/customers", {})
    response = await raw.post(
        "/v1/charges", {"amount": 1500, "currency": "usd", "customer": customer["id"]}
    )
    assert response.status_code == 400


async def test_capturing_a_payment_intents_charge_captures_the_intent(
    stripe_client: StripeClient, raw: Any
) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        capture_method="manual",
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    await raw.ok("POST", f"/v1/charges/{pi.to_dict()['latest_charge']}/capture", {})
    assert (await stripe_client.payment_intents.retrieve(pi.id)).status == "succeeded"


async def _paid_intent(client: StripeClient, amount: int = 1000) -> Any:
    return await client.payment_intents.create(
        amount=amount,
        currency="usd",
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )


async def test_partial_then_full_refund(
    stripe_client: StripeClient, raw: Any, stripe_emulator: StripeEmulator
) -> None:
    pi = await _paid_intent(stripe_client)
    first = await raw.ok(
        "POST",
        "/v1/refunds",
        {"payment_intent": pi.id, "amount": 300, "reason": "requested_by_customer"},
    )
    assert first["status"] == "succeeded" and first["amount"] == 300
    assert first["charge"] == pi.to_dict()["latest_charge"]
    charge = await raw.ok("GET", f"/v1/charges/{first['charge']}")
    assert charge["amount_refunded"] == 300 and charge["refunded"] is False
    assert [r["id"] for r in charge["refunds"]["data"]] == [first["id"]]
    rest = await raw.ok("POST", "/v1/refunds", {"charge": first["charge"]})
    assert rest["amount"] == 700
    charge = await raw.ok("GET", f"/v1/charges/{first['charge']}")
    assert charge["amount_refunded"] == 1000 and charge["refunded"] is True
    assert len(stripe_emulator.events("refund.created")) == 2
    assert len(stripe_emulator.events("charge.refunded")) == 2
    listed = await raw.ok("GET", "/v1/refunds", {"payment_intent": pi.id})
    assert [r["id"] for r in listed["data"]] == [rest["id"], first["id"]]


async def test_over_refund_is_rejected_with_stripes_message(
    stripe_client: StripeClient, raw: Any
) -> None:
    pi = await _paid_intent(stripe_client)
    response = await raw.post("/v1/refunds", {"payment_intent": pi.id, "amount": 1500})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "amount_too_large" and error["param"] == "amount"
    assert error["message"] == "Refund amount ($15.00) is greater than charge amount ($10.00)"
    await raw.ok("POST", "/v1/refunds", {"payment_intent": pi.id, "amount": 600})
    response = await raw.post("/v1/refunds", {"payment_intent": pi.id, "amount": 500})
    assert response.json()["error"]["message"] == (
        "Refund amount ($5.00) is greater than unrefunded amount on charge ($4.00)"
    )


async def test_refunding_a_refunded_charge(stripe_client: StripeClient, raw: Any) -> None:
    pi = await _paid_intent(stripe_client)
    await raw.ok("POST", "/v1/refunds", {"payment_intent": pi.id})
    response = await raw.post("/v1/refunds", {"payment_intent": pi.id})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "charge_already_refunded"
    assert error["message"].endswith("has already been refunded.")


async def test_refund_needs_a_target_and_a_successful_charge(
    stripe_client: StripeClient, raw: Any
) -> None:
    response = await raw.post("/v1/refunds", {"amount": 100})
    assert response.json()["error"]["code"] == "parameter_missing"
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    response = await raw.post("/v1/refunds", {"payment_intent": pi.id})
    assert response.status_code == 400


async def test_refund_metadata_update(stripe_client: StripeClient, raw: Any) -> None:
    pi = await _paid_intent(stripe_client)
    refund = await raw.ok("POST", "/v1/refunds", {"payment_intent": pi.id, "amount": 100})
    updated = await raw.ok("POST", f"/v1/refunds/{refund['id']}", {"metadata[ticket]": "T-1"})
    assert updated["metadata"] == {"ticket": "T-1"}
    charge = await raw.ok("GET", f"/v1/charges/{refund['charge']}")
    assert charge["refunds"]["data"][0]["metadata"] == {"ticket": "T-1"}


async def test_balance_follows_captures_and_refunds(stripe_client: StripeClient, raw: Any) -> None:
    pi = await _paid_intent(stripe_client, 2500)
    await raw.ok("POST", "/v1/refunds", {"payment_intent": pi.id, "amount": 500})
    balance = await stripe_client.balance.retrieve()
    pending = balance.to_dict()["pending"]
    assert pending == [{"amount": 2000, "currency": "usd", "source_types": {"card": 2000}}]
    assert balance.livemode is False


async def test_charge_search(stripe_client: StripeClient, raw: Any) -> None:
    await _paid_intent(stripe_client, 1000)
    with pytest.raises(CardError):
        await stripe_client.payment_intents.create(
            amount=2000,
            currency="usd",
            payment_method="pm_card_chargeDeclined",
            confirm=True,
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )
    body = await raw.ok("GET", "/v1/charges/search", {"query": "status:'failed'"})
    assert [c["amount"] for c in body["data"]] == [2000]
    body = await raw.ok(
        "GET", "/v1/charges/search", {"query": "payment_method_details.card.last4:'4242'"}
    )
    assert [c["amount"] for c in body["data"]] == [1000]


# --- payment methods ----------------------------------------------------------------


async def test_payment_method_create_attach_list_detach(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    customer = await raw.ok("POST", "/v1/customers", {})
    pm = await raw.ok(
        "POST",
        "/v1/payment_methods",
        {"type": "card", "card[token]": "tok_amex", "billing_details[name]": "Jenny Rosen"},
    )
    assert pm["card"]["brand"] == "amex" and pm["customer"] is None
    assert pm["billing_details"]["name"] == "Jenny Rosen"
    attached = await raw.ok(
        "POST", f"/v1/payment_methods/{pm['id']}/attach", {"customer": customer["id"]}
    )
    assert attached["customer"] == customer["id"]
    magic = await raw.ok(
        "POST", "/v1/payment_methods/pm_card_visa/attach", {"customer": customer["id"]}
    )
    assert magic["id"].startswith("pm_") and magic["id"] != "pm_card_visa"
    listed = await raw.ok("GET", f"/v1/customers/{customer['id']}/payment_methods")
    assert [p["id"] for p in listed["data"]] == [magic["id"], pm["id"]]
    listed = await raw.ok("GET", "/v1/payment_methods", {"customer": customer["id"], "limit": 1})
    assert listed["has_more"] is True
    one = await raw.ok("GET", f"/v1/customers/{customer['id']}/payment_methods/{pm['id']}")
    assert one["id"] == pm["id"]
    detached = await raw.ok("POST", f"/v1/payment_methods/{pm['id']}/detach")
    assert detached["customer"] is None
    types = [e["type"] for e in stripe_emulator.events()]
    assert types.count("payment_method.attached") == 2 and "payment_method.detached" in types
    again = await raw.post(f"/v1/payment_methods/{pm['id']}/attach", {"customer": customer["id"]})
    assert again.status_code == 400


async def test_payment_method_from_a_test_card_number(raw: Any) -> None:
    pm = await raw.ok(
        "POST",
        "/v1/payment_methods",
        {
            "type": "card",
            "card[number]": "5555555555554444",
            "card[exp_month]": 4,
            "card[exp_year]": 2031,
            "card[cvc]": "123",
        },
    )
    assert pm["card"]["brand"] == "mastercard" and pm["card"]["exp_year"] == 2031
    response = await raw.post(
        "/v1/payment_methods", {"type": "card", "card[number]": "1234123412341234"}
    )
    assert response.status_code == 402
    assert response.json()["error"]["code"] == "incorrect_number"


async def test_attaching_a_declining_card_fails_like_stripe(raw: Any) -> None:
    customer = await raw.ok("POST", "/v1/customers", {})
    response = await raw.post(
        "/v1/payment_methods/pm_card_chargeDeclined/attach", {"customer": customer["id"]}
    )
    assert response.status_code == 402
    assert response.json()["error"]["decline_code"] == "generic_decline"
    # 4000000000000341 attaches fine and fails only when charged.
    ok = await raw.ok(
        "POST",
        "/v1/payment_methods/pm_card_chargeCustomerFail/attach",
        {"customer": customer["id"]},
    )
    assert ok["card"]["last4"] == "0341"
    response = await raw.post("/v1/customers", {"source": "tok_chargeDeclined"})
    assert response.status_code == 402


async def test_customer_with_default_payment_method(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = await stripe_client.customers.create(
        email="pay@example.com",
        payment_method="pm_card_visa",
        invoice_settings={"default_payment_method": "pm_card_visa"},
    )
    default = customer.to_dict()["invoice_settings"]["default_payment_method"]
    pm = stripe_emulator.get(default)
    assert pm is not None and pm["customer"] == customer.id
    types = [e["type"] for e in stripe_emulator.events()]
    assert types == ["customer.created", "payment_method.attached"]
