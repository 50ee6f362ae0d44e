"""expand[]: balance transactions and other known ids expand; unknown paths fail as on Stripe."""

from __future__ import annotations

from typing import Any

from stripe_async import StripeClient

NO_REDIRECTS = {"enabled": True, "allow_redirects": "never"}


async def test_balance_transactions_expand_on_charges_and_refunds(
    stripe_client: StripeClient, raw: Any
) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=2000,
        currency="usd",
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods=NO_REDIRECTS,
    )
    charge = await raw.ok(
        "GET", f"/v1/charges/{pi.latest_charge}", {"expand[]": "balance_transaction"}
    )
    txn = charge["balance_transaction"]
    assert txn["object"] == "balance_transaction" and txn["id"].startswith("txn_")
    assert (txn["amount"], txn["net"], txn["fee"], txn["type"]) == (2000, 2000, 0, "charge")
    assert txn["source"] == charge["id"]
    refund = await raw.ok(
        "POST",
        "/v1/refunds",
        {"payment_intent": pi.id, "amount": 500, "expand[]": "balance_transaction"},
    )
    assert refund["balance_transaction"]["amount"] == -500
    assert refund["balance_transaction"]["type"] == "refund"
    listed = await raw.ok("GET", "/v1/balance_transactions", {"type": "refund"})
    assert [t["id"] for t in listed["data"]] == [refund["balance_transaction"]["id"]]
    one = await raw.ok("GET", f"/v1/balance_transactions/{txn['id']}")
    assert one == txn


async def test_unknown_paths_fail_as_stripe_fails(raw: Any) -> None:
    customer = await raw.ok("POST", "/v1/customers", {"email": "x@example.com"})
    bad = await raw.get(f"/v1/customers/{customer['id']}", {"expand[]": "metadata"})
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error == {
        "type": "invalid_request_error",
        "message": "This property cannot be expanded (metadata).",
        "request_log_url": error["request_log_url"],
    }
    listed = await raw.get("/v1/customers", {"expand[]": "default_source"})
    assert listed.json()["error"]["message"] == (
        "This property cannot be expanded (default_source). You may want to try expanding "
        "'data.default_source' instead."
    )
    nowhere = await raw.get(f"/v1/customers/{customer['id']}", {"expand[]": "nothing.here"})
    assert nowhere.status_code == 400
