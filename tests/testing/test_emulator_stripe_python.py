"""The served emulator carries the official stripe-python SDK through the SaaS flows.

stripe-python (a dev dependency, used here only as an oracle of how Stripe's own SDK
talks to the API) is pointed at `python -m stripe_async emulator` on a loopback port.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe

KEY = "sk_test_oracle"
DAY = 86400


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(port: int, proc: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else "exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the emulator did not start")


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "stripe_async", "emulator", "--port", str(port), "--seed", "11"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_serving(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def client(served: str) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": served}, max_network_retries=0)


def _emulator_post(served: str, path: str, **data: Any) -> dict[str, Any]:
    """The emulator's own test routes (the customer's side), over plain HTTP."""
    reply = httpx.post(served + path, data=data, auth=(KEY, ""))
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def test_setup_intent_then_off_session_payment(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create({"email": "saver@example.com"})
    setup = client.v1.setup_intents.create(
        {
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "confirm": True,
            "payment_method_types": ["card"],
        }
    )
    assert setup.status == "succeeded" and setup.customer == customer.id
    payment = client.v1.payment_intents.create(
        {
            "amount": 1200,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": setup.payment_method,
            "off_session": True,
            "confirm": True,
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
            "expand": ["latest_charge.balance_transaction"],
        }
    )
    assert payment.status == "succeeded"
    assert payment.latest_charge.balance_transaction.amount == 1200
    listed = client.v1.setup_intents.list({"customer": customer.id})
    assert [s.id for s in listed.data] == [setup.id]


def test_checkout_subscription_with_a_promotion_code(
    client: stripe.StripeClient, served: str
) -> None:
    price = client.v1.prices.create(
        {
            "unit_amount": 4000,
            "currency": "usd",
            "recurring": {"interval": "month"},
            "product_data": {"name": "Team plan"},
        }
    )
    coupon = client.v1.coupons.create({"percent_off": 50, "duration": "once"})
    code = client.v1.promotion_codes.create(
        {"promotion": {"type": "coupon", "coupon": coupon.id}, "code": "HALFOFF"}
    )
    session = client.v1.checkout.sessions.create(
        {
            "mode": "subscription",
            "line_items": [{"price": price.id, "quantity": 1}],
            "allow_promotion_codes": True,
            "success_url": "https://example.com/ok",
        }
    )
    assert session.status == "open" and session.url
    done = _emulator_post(
        served, f"/_emulator/checkout/sessions/{session.id}/complete", promotion_code="HALFOFF"
    )
    assert done["status"] == "complete"
    session = client.v1.checkout.sessions.retrieve(session.id)
    assert session.payment_status == "paid" and session.amount_total == 2000
    items = client.v1.checkout.sessions.line_items.list(session.id)
    assert [i.price.id for i in items.data] == [price.id]
    sub = client.v1.subscriptions.retrieve(session.subscription, {"expand": ["latest_invoice"]})
    assert sub.status == "active" and sub.latest_invoice.total == 2000
    assert client.v1.promotion_codes.retrieve(code.id).times_redeemed == 1


def test_portal_session_and_configuration(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create({"email": "portal@example.com"})
    configuration = client.v1.billing_portal.configurations.create(
        {
            "features": {
                "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
                "invoice_history": {"enabled": True},
            }
        }
    )
    session = client.v1.billing_portal.sessions.create(
        {
            "customer": customer.id,
            "configuration": configuration.id,
            "return_url": "https://example.com/account",
        }
    )
    assert session.url.startswith("https://billing.stripe.com/")
    assert session.configuration == configuration.id


def test_connect_destination_charge_and_scoping(client: stripe.StripeClient, served: str) -> None:
    account = client.v1.accounts.create(
        {
            "type": "express",
            "capabilities": {
                "card_payments": {"requested": True},
                "transfers": {"requested": True},
            },
        }
    )
    link = client.v1.account_links.create(
        {
            "account": account.id,
            "type": "account_onboarding",
            "refresh_url": "https://example.com/reauth",
            "return_url": "https://example.com/back",
        }
    )
    assert link.url
    _emulator_post(served, f"/_emulator/accounts/{account.id}/onboard")
    assert client.v1.accounts.retrieve(account.id).charges_enabled is True
    payment = client.v1.payment_intents.create(
        {
            "amount": 5000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "payment_method_types": ["card"],
            "application_fee_amount": 500,
            "transfer_data": {"destination": account.id},
            "expand": ["latest_charge.transfer", "latest_charge.application_fee"],
        }
    )
    assert payment.latest_charge.transfer.amount == 4500
    assert payment.latest_charge.application_fee.amount == 500
    theirs = client.v1.customers.create(
        {"email": "buyer@example.com"}, {"stripe_account": account.id}
    )
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.customers.retrieve(theirs.id)
    assert client.v1.customers.retrieve(theirs.id, options={"stripe_account": account.id})


def test_unmodelled_actions_say_so(client: stripe.StripeClient) -> None:
    charge = client.v1.charges.create({"amount": 500, "currency": "usd", "source": "tok_visa"})
    refund = client.v1.refunds.create({"charge": charge.id})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.test_helpers.refunds.expire(refund.id)
    assert info.value.code == "emulator_unsupported"
    assert "POST /v1/test_helpers/refunds/{refund}/expire" in str(info.value)
    # A modelled action that the state does not allow is Stripe's own 400.
    payout = client.v1.payouts.create({"amount": 500, "currency": "usd"})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payouts.reverse(payout.id)
    assert info.value.code is None and "status of paid" in str(info.value)
