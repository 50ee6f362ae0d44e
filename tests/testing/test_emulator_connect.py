"""Connect: accounts, onboarding, Stripe-Account scoping, transfers, destination charges."""

from __future__ import annotations

from typing import Any

from stripe_async.testing import StripeEmulator

CAPABILITIES = {
    "capabilities[card_payments][requested]": "true",
    "capabilities[transfers][requested]": "true",
}
NO_REDIRECTS = {
    "automatic_payment_methods[enabled]": "true",
    "automatic_payment_methods[allow_redirects]": "never",
}


async def _onboarded(raw: Any, emulator: StripeEmulator, kind: str = "express") -> str:
    account = await raw.ok("POST", "/v1/accounts", {"type": kind, **CAPABILITIES})
    await emulator.complete_onboarding(account["id"])
    return str(account["id"])


async def test_express_account_onboarding(raw: Any, stripe_emulator: StripeEmulator) -> None:
    account = await raw.ok(
        "POST", "/v1/accounts", {"type": "express", "email": "seller@example.com", **CAPABILITIES}
    )
    assert account["object"] == "account" and account["id"].startswith("acct_")
    assert account["type"] == "express" and account["charges_enabled"] is False
    assert account["capabilities"] == {"card_payments": "inactive", "transfers": "inactive"}
    assert account["requirements"]["currently_due"]
    link = await raw.ok(
        "POST",
        "/v1/account_links",
        {
            "account": account["id"],
            "type": "account_onboarding",
            "refresh_url": "https://market.example/reauth",
            "return_url": "https://market.example/return",
        },
    )
    assert link["object"] == "account_link" and link["url"].startswith(
        "https://connect.stripe.com/"
    )
    missing = await raw.post(
        "/v1/account_links", {"account": account["id"], "type": "account_onboarding"}
    )
    assert missing.status_code == 400
    done = await stripe_emulator.complete_onboarding(account["id"])
    assert done["charges_enabled"] and done["payouts_enabled"] and done["details_submitted"]
    assert done["capabilities"] == {"card_payments": "active", "transfers": "active"}
    updated = stripe_emulator.events("account.updated")[-1]
    assert updated["account"] == account["id"]
    assert updated["data"]["previous_attributes"]["charges_enabled"] is False
    no_caps = await raw.post("/v1/accounts", {"type": "custom"})
    assert no_caps.json()["error"]["param"] == "capabilities"
    listed = await raw.ok("GET", "/v1/accounts")
    assert [a["id"] for a in listed["data"]] == [account["id"]]


async def test_stripe_account_scopes_objects(raw: Any, stripe_emulator: StripeEmulator) -> None:
    first = await _onboarded(raw, stripe_emulator)
    second = await _onboarded(raw, stripe_emulator, "custom")
    as_first = {"Stripe-Account": first}
    customer = await raw.post("/v1/customers", {"email": "a@example.com"}, headers=as_first)
    assert customer.status_code == 200
    customer_id = customer.json()["id"]
    seen = await raw.get(f"/v1/customers/{customer_id}", headers=as_first)
    assert seen.status_code == 200
    platform = await raw.get(f"/v1/customers/{customer_id}")
    assert platform.status_code == 404 and platform.json()["error"]["code"] == "resource_missing"
    other = await raw.get(f"/v1/customers/{customer_id}", headers={"Stripe-Account": second})
    assert other.status_code == 404
    assert (await raw.ok("GET", "/v1/customers"))["data"] == []
    listed = await raw.get("/v1/customers", headers=as_first)
    assert [c["id"] for c in listed.json()["data"]] == [customer_id]
    created = stripe_emulator.events("customer.created")[-1]
    assert created["account"] == first
    platform_events = await raw.ok("GET", "/v1/events", {"type": "customer.created"})
    assert platform_events["data"] == []
    unknown = await raw.get("/v1/customers", headers={"Stripe-Account": "acct_nope"})
    assert unknown.status_code == 403 and unknown.json()["error"]["code"] == "account_invalid"
    # Direct charges on the connected account stay on it.
    pi = await raw.post(
        "/v1/payment_intents",
        {
            "amount": 1000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "application_fee_amount": 100,
            **NO_REDIRECTS,
        },
        headers=as_first,
    )
    assert pi.status_code == 200 and pi.json()["status"] == "succeeded"
    assert (await raw.get(f"/v1/payment_intents/{pi.json()['id']}")).status_code == 404


async def test_destination_charge_transfers_and_keeps_the_fee(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    seller = await _onboarded(raw, stripe_emulator)
    hook = await raw.ok(
        "POST",
        "/v1/webhook_endpoints",
        {"url": "https://market.example/platform", "enabled_events[]": "*"},
    )
    pi = await raw.ok(
        "POST",
        "/v1/payment_intents",
        {
            "amount": 10000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "application_fee_amount": 1230,
            "transfer_data[destination]": seller,
            **NO_REDIRECTS,
        },
    )
    assert pi["transfer_data"] == {"amount": None, "destination": seller}
    assert pi["application_fee_amount"] == 1230
    charge = await raw.ok(
        "GET", f"/v1/charges/{pi['latest_charge']}", {"expand[]": ["transfer", "application_fee"]}
    )
    transfer, fee = charge["transfer"], charge["application_fee"]
    assert transfer["object"] == "transfer" and transfer["amount"] == 8770
    assert transfer["destination"] == seller and transfer["source_transaction"] == charge["id"]
    assert fee["object"] == "application_fee" and fee["amount"] == 1230
    assert fee["account"] == seller and fee["originating_transaction"] == charge["id"]
    assert charge["transfer_data"] == {"amount": None, "destination": seller}
    transfers = await raw.ok("GET", "/v1/transfers", {"destination": seller})
    assert [t["id"] for t in transfers["data"]] == [transfer["id"]]
    fees = await raw.ok("GET", "/v1/application_fees")
    assert [f["id"] for f in fees["data"]] == [fee["id"]]
    types = [e["type"] for e in stripe_emulator.events()]
    assert types.index("transfer.created") > types.index("charge.succeeded")
    assert "application_fee.created" in types
    delivered = {d.event_type for d in stripe_emulator.deliveries if d.endpoint_id == hook["id"]}
    assert "account.updated" not in delivered  # a Connect event: platform endpoints skip it


async def test_destination_rules_and_manual_transfers(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    pending = await raw.ok("POST", "/v1/accounts", {"type": "express", **CAPABILITIES})
    refused = await raw.post(
        "/v1/payment_intents",
        {"amount": 1000, "currency": "usd", "transfer_data[destination]": pending["id"]},
    )
    assert refused.status_code == 400
    assert "capabilities enabled: transfers" in refused.json()["error"]["message"]
    fee_only = await raw.post(
        "/v1/payment_intents", {"amount": 1000, "currency": "usd", "application_fee_amount": 10}
    )
    assert fee_only.json()["error"]["param"] == "application_fee_amount"
    await stripe_emulator.complete_onboarding(pending["id"])
    transfer = await raw.ok(
        "POST",
        "/v1/transfers",
        {"amount": 500, "currency": "usd", "destination": pending["id"], "transfer_group": "o1"},
    )
    assert transfer["amount"] == 500 and transfer["destination_payment"].startswith("py_")
    renamed = await raw.ok("POST", f"/v1/transfers/{transfer['id']}", {"description": "payout"})
    assert renamed["description"] == "payout"
    assert (await raw.ok("GET", "/v1/transfers", {"transfer_group": "o1"}))["data"]


async def test_helpers_act_inside_the_connected_account(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    seller = await _onboarded(raw, stripe_emulator)
    pi = await raw.post(
        "/v1/payment_intents",
        {
            "amount": 1000,
            "currency": "usd",
            "payment_method": "pm_card_authenticationRequired",
            "confirm": "true",
            "return_url": "https://market.example/back",
        },
        headers={"Stripe-Account": seller},
    )
    assert pi.json()["status"] == "requires_action"
    done = await stripe_emulator.complete_3ds(pi.json()["id"])
    assert done["status"] == "succeeded"
    assert stripe_emulator.events("payment_intent.succeeded")[-1]["account"] == seller
