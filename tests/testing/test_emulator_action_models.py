"""The small models of actions in `_action_models.py`: each changes what Stripe's
reference says it changes, and refuses with Stripe's 400 what the state does not allow.
Expected values are worked out by hand from the API reference, not read back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from emulator_replay import HEADERS, Replay, parses

from stripe_async.testing import StripeEmulator


@pytest.fixture
async def api() -> AsyncIterator[Replay]:
    emulator = StripeEmulator(seed=11)
    async with httpx.AsyncClient(
        transport=emulator.transport(), base_url="https://api.stripe.com", headers=HEADERS
    ) as client:
        yield Replay(client, emulator)


async def _error(api: Replay, path: str, params: dict[str, Any]) -> dict[str, Any]:
    response = await api.send("POST", path, params)
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


def _events(api: Replay, kind: str) -> list[dict[str, Any]]:
    return [e for e in api.emulator.events() if e["type"] == kind]


async def test_a_paid_payout_is_reversed_by_a_new_payout(api: Replay) -> None:
    paid = api.emulator.add_object("payout", status="paid", amount=2500, currency="usd")
    reversal = await api.ok("POST", f"/v1/payouts/{paid['id']}/reverse", {"metadata": {"k": "v"}})
    assert reversal["id"] != paid["id"] and reversal["id"].startswith("po_")
    assert (reversal["amount"], reversal["currency"], reversal["status"]) == (
        2500,
        "usd",
        "pending",
    )
    assert reversal["original_payout"] == paid["id"] and reversal["reversed_by"] is None
    assert reversal["metadata"] == {"k": "v"}
    original = await api.ok("GET", f"/v1/payouts/{paid['id']}", {})
    assert original["reversed_by"] == reversal["id"] and original["status"] == "paid"
    assert [e["data"]["object"]["id"] for e in _events(api, "payout.created")] == [reversal["id"]]
    again = await _error(api, f"/v1/payouts/{paid['id']}/reverse", {})
    assert "already been reversed" in again["message"]
    parses(reversal)


async def test_a_rejected_account_takes_no_charges_until_unrejected(api: Replay) -> None:
    account = await api.base("account")
    before = await api.ok("GET", f"/v1/accounts/{account}", {})
    assert before["charges_enabled"] is True
    bad = await _error(api, f"/v1/accounts/{account}/reject", {"reason": "boredom"})
    assert bad["param"] == "reason"
    rejected = await api.ok("POST", f"/v1/accounts/{account}/reject", {"reason": "fraud"})
    assert rejected["charges_enabled"] is False and rejected["payouts_enabled"] is False
    assert rejected["requirements"]["disabled_reason"] == "rejected.fraud"
    previous = _events(api, "account.updated")[-1]["data"]["previous_attributes"]
    assert previous["charges_enabled"] is True
    back = await api.ok("POST", f"/v1/accounts/{account}/unreject", {})
    assert back["charges_enabled"] is True
    assert back["requirements"]["disabled_reason"] == before["requirements"]["disabled_reason"]
    twice = await _error(api, f"/v1/accounts/{account}/unreject", {})
    assert "not rejected" in twice["message"]
    # `payouts_action` is Stripe's, the emulator does not model it: refused, not dropped.
    refused = await _error(
        api, f"/v1/accounts/{account}/reject", {"reason": "other", "payouts_action": "reverse"}
    )
    assert refused["code"] == "emulator_unsupported" and "payouts_action" in refused["message"]


async def test_secrets_are_found_and_deleted_by_name_and_scope(api: Replay) -> None:
    scope = {"type": "account"}
    await api.ok("POST", "/v1/apps/secrets", {"name": "key", "payload": "one", "scope": scope})
    found = await api.ok("GET", "/v1/apps/secrets/find", {"name": "key", "scope": scope})
    assert found["name"] == "key" and found["scope"] == scope
    missing = await api.send("GET", "/v1/apps/secrets/find", {"name": "nope", "scope": scope})
    assert missing.status_code == 404
    gone = await api.ok("POST", "/v1/apps/secrets/delete", {"name": "key", "scope": scope})
    assert gone["id"] == found["id"] and gone["deleted"] is True and "payload" not in gone
    after = await api.send("GET", "/v1/apps/secrets/find", {"name": "key", "scope": scope})
    assert after.status_code == 404


async def test_financial_connections_refresh_and_subscriptions(api: Replay) -> None:
    account = api.emulator.add_object(
        "financial_connections.account", permissions=["balances", "transactions"]
    )
    path = f"/v1/financial_connections/accounts/{account['id']}"
    now = (await api.ok("POST", "/v1/customers", {}))["created"]
    refreshed = await api.ok("POST", f"{path}/refresh", {"features": ["balance"]})
    assert refreshed["balance_refresh"] == {
        "last_attempted_at": now,
        "next_refresh_available_at": None,
        "status": "pending",
    }
    assert refreshed["ownership_refresh"] is None  # not asked for
    denied = await _error(api, f"{path}/refresh", {"features": ["ownership"]})
    assert "ownership permission" in denied["message"]
    subscribed = await api.ok("POST", f"{path}/subscribe", {"features": ["transactions"]})
    assert subscribed["subscriptions"] == ["transactions"]
    dropped = await api.ok("POST", f"{path}/unsubscribe", {"features": ["transactions"]})
    assert dropped["subscriptions"] == []
    parses(dropped)


async def test_redacting_a_verification_session(api: Replay) -> None:
    session = await api.ok("POST", "/v1/identity/verification_sessions", {"type": "document"})
    assert session["status"] == "requires_input"
    redacted = await api.ok(
        "POST", f"/v1/identity/verification_sessions/{session['id']}/redact", {}
    )
    # Waiting for input, it is canceled by the redaction, which is then under way.
    assert redacted["status"] == "canceled" and redacted["redaction"] == {"status": "processing"}
    busy = api.emulator.add_object("identity.verification_session", status="processing")
    refused = await _error(api, f"/v1/identity/verification_sessions/{busy['id']}/redact", {})
    assert "processing" in refused["message"]


async def test_validating_a_payment_method_domain_activates_its_wallets(api: Replay) -> None:
    domain = api.emulator.add_object(
        "payment_method_domain",
        apple_pay={"status": "inactive", "status_details": {"error_message": "no file"}},
    )
    valid = await api.ok("POST", f"/v1/payment_method_domains/{domain['id']}/validate", {})
    assert valid["apple_pay"] == {"status": "active"}
    assert valid["google_pay"] == {"status": "active"}


async def test_issuing_authorization_amounts(api: Replay) -> None:
    held = api.emulator.add_object(
        "issuing.authorization",
        status="pending",
        amount=1000,
        merchant_amount=1000,
        currency="usd",
        merchant_currency="usd",
    )
    path = f"/v1/test_helpers/issuing/authorizations/{held['id']}"
    raised = await api.ok("POST", f"{path}/increment", {"increment_amount": 250})
    assert (raised["amount"], raised["merchant_amount"]) == (1250, 1250)
    final = await api.ok("POST", f"{path}/finalize_amount", {"final_amount": 900})
    assert (final["amount"], final["merchant_amount"]) == (900, 900)
    assert [e["type"] for e in api.emulator.events()][-2:] == ["issuing_authorization.updated"] * 2
    closed = api.emulator.add_object("issuing.authorization", status="closed")
    refused = await _error(
        api,
        f"/v1/test_helpers/issuing/authorizations/{closed['id']}/increment",
        {"increment_amount": 1},
    )
    assert "only a pending authorization" in refused["message"]


async def test_issuing_transactions_without_an_authorization(api: Replay) -> None:
    card = api.emulator.add_object("issuing.card", currency="eur", cardholder="ich_1")
    capture = await api.ok(
        "POST",
        "/v1/test_helpers/issuing/transactions/create_force_capture",
        {"amount": 700, "card": card["id"], "merchant_data": {"name": "Corner shop"}},
    )
    # A capture takes money from the balance: a negative amount, in the card's currency.
    assert (capture["type"], capture["amount"], capture["currency"]) == ("capture", -700, "eur")
    assert capture["card"] == card["id"] and capture["cardholder"] == "ich_1"
    assert capture["authorization"] is None
    assert capture["merchant_data"]["name"] == "Corner shop"
    refund = await api.ok(
        "POST",
        "/v1/test_helpers/issuing/transactions/create_unlinked_refund",
        {"amount": 300, "card": card["id"], "currency": "USD"},
    )
    assert (refund["type"], refund["amount"], refund["currency"]) == ("refund", 300, "usd")
    assert len(_events(api, "issuing_transaction.created")) == 2
    nobody = await api.send(
        "POST",
        "/v1/test_helpers/issuing/transactions/create_force_capture",
        {"amount": 1, "card": "ic_nope"},
    )
    assert nobody.status_code == 404
    parses(capture)


async def test_returning_an_inbound_transfer_links_a_received_debit(api: Replay) -> None:
    transfer = api.emulator.add_object(
        "treasury.inbound_transfer", status="processing", amount=4200, currency="usd"
    )
    path = f"/v1/test_helpers/treasury/inbound_transfers/{transfer['id']}"
    early = await _error(api, f"{path}/return", {})
    assert "Only a succeeded InboundTransfer" in early["message"]
    await api.ok("POST", f"{path}/succeed", {})
    returned = await api.ok("POST", f"{path}/return", {})
    assert returned["returned"] is True
    debit_id = returned["linked_flows"]["received_debit"]
    debit = await api.ok("GET", f"/v1/treasury/received_debits/{debit_id}", {})
    assert (debit["amount"], debit["currency"], debit["status"]) == (4200, "usd", "succeeded")
    assert debit["linked_flows"]["inbound_transfer"] == transfer["id"]
    assert _events(api, "treasury.received_debit.created")


async def test_tax_transactions_from_a_calculation_and_their_reversal(api: Replay) -> None:
    calculation = api.emulator.add_object("tax.calculation", currency="eur", tax_date=1_800_000_000)
    made = await api.ok(
        "POST",
        "/v1/tax/transactions/create_from_calculation",
        {"calculation": calculation["id"], "reference": "order_7"},
    )
    assert (made["type"], made["currency"], made["reference"]) == ("transaction", "eur", "order_7")
    assert made["tax_date"] == 1_800_000_000 and made["posted_at"] == made["created"]
    assert made["customer_details"] == calculation["customer_details"]
    duplicate = await _error(
        api,
        "/v1/tax/transactions/create_from_calculation",
        {"calculation": calculation["id"], "reference": "order_7"},
    )
    assert duplicate["param"] == "reference"
    reversal = await api.ok(
        "POST",
        "/v1/tax/transactions/create_reversal",
        {"mode": "full", "original_transaction": made["id"], "reference": "order_7_back"},
    )
    assert reversal["type"] == "reversal"
    assert reversal["reversal"] == {"original_transaction": made["id"]}
    again = await _error(
        api,
        "/v1/tax/transactions/create_reversal",
        {"mode": "full", "original_transaction": made["id"], "reference": "order_7_again"},
    )
    assert "already been fully reversed" in again["message"]
    partial = await _error(
        api,
        "/v1/tax/transactions/create_reversal",
        {"mode": "partial", "original_transaction": made["id"], "reference": "p", "flat_amount": 5},
    )
    assert partial["code"] == "emulator_unsupported"
    parses(reversal)


async def test_payment_records_follow_their_reported_attempts(api: Replay) -> None:
    record = await api.ok(
        "POST",
        "/v1/payment_records/report_payment",
        {
            "amount_requested": {"currency": "USD", "value": 5000},
            "initiated_at": 1_700_000_000,
            "payment_method_details": {"type": "custom", "custom": {"display_name": "Voucher"}},
        },
    )
    zero = {"currency": "usd", "value": 0}
    assert record["amount_requested"] == {"currency": "usd", "value": 5000}
    assert record["amount_guaranteed"] == record["amount_failed"] == zero
    first = record["latest_payment_attempt_record"]
    path = f"/v1/payment_records/{record['id']}"
    failed = await api.ok("POST", f"{path}/report_payment_attempt_failed", {"failed_at": 1})
    assert failed["amount_failed"] == {"currency": "usd", "value": 5000}
    twice = await _error(api, f"{path}/report_payment_attempt_canceled", {"canceled_at": 2})
    assert "already failed" in twice["message"]
    retried = await api.ok("POST", f"{path}/report_payment_attempt", {"initiated_at": 3})
    assert retried["latest_payment_attempt_record"] != first
    assert retried["amount_failed"] == zero  # the record follows its latest attempt
    paid = await api.ok("POST", f"{path}/report_payment_attempt_guaranteed", {"guaranteed_at": 4})
    assert paid["amount_guaranteed"] == {"currency": "usd", "value": 5000}
    refunded = await api.ok(
        "POST",
        f"{path}/report_refund",
        {
            "outcome": "refunded",
            "amount": {"currency": "usd", "value": 1500},
            "processor_details": {"type": "custom", "custom": {"refund_reference": "r1"}},
        },
    )
    assert refunded["amount_refunded"] == {"currency": "usd", "value": 1500}
    too_much = await _error(
        api,
        f"{path}/report_refund",
        {
            "outcome": "refunded",
            "amount": {"currency": "usd", "value": 3501},
            "processor_details": {"type": "custom", "custom": {"refund_reference": "r2"}},
        },
    )
    assert too_much["param"] == "amount"
    noted = await api.ok(
        "POST", f"{path}/report_payment_attempt_informational", {"description": "Order 12"}
    )
    assert noted["description"] == "Order 12"
    attempt = await api.ok(
        "GET", f"/v1/payment_attempt_records/{retried['latest_payment_attempt_record']}", {}
    )
    assert attempt["description"] == "Order 12"
    assert attempt["amount_refunded"] == {"currency": "usd", "value": 1500}
    parses(noted)
    parses(attempt)
