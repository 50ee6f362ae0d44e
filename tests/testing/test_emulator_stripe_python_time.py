"""stripe-python from PyPI drives time on the served emulator, over HTTP only.

A test clock carries a subscription through its trial and a renewal, a failed
renewal is retried until the subscription is canceled, and a webhook receiver on a
loopback port that fails twice gets the event on the second retry. Dates and
amounts are worked out by hand (2024 is a leap year).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import stripe
from served_emulator import serve_emulator

KEY = "sk_test_oracle"
HOUR = 3600
DAY = 86400
JAN_1 = 1_704_067_200  # 2024-01-01T00:00:00Z
JAN_15 = JAN_1 + 14 * DAY
FEB_1 = JAN_1 + 31 * DAY
FEB_15 = JAN_15 + 31 * DAY
MAR_15 = FEB_15 + 29 * DAY


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    yield from serve_emulator("--seed", "16")


@pytest.fixture
def client(served: str) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": served}, max_network_retries=0)


def _advance(client: stripe.StripeClient, clock_id: str, to: int) -> None:
    """Advance and wait for `ready`, as a test against Stripe does."""
    clock = client.v1.test_helpers.test_clocks.advance(clock_id, {"frozen_time": to})
    deadline = time.monotonic() + 30
    while clock.status != "ready":
        assert time.monotonic() < deadline, "the test clock never became ready"
        time.sleep(0.05)
        clock = client.v1.test_helpers.test_clocks.retrieve(clock_id)
    assert clock.frozen_time == to


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _customer_on(client: stripe.StripeClient, clock_id: str, card: str) -> str:
    customer = client.v1.customers.create({"test_clock": clock_id, "email": "t@example.com"})
    pm = client.v1.payment_methods.attach(card, {"customer": customer.id})
    client.v1.customers.update(customer.id, {"invoice_settings": {"default_payment_method": pm.id}})
    return customer.id


def _monthly(client: stripe.StripeClient) -> str:
    price = client.v1.prices.create(
        {
            "unit_amount": 2000,
            "currency": "usd",
            "recurring": {"interval": "month"},
            "product_data": {"name": "Pro"},
        }
    )
    return price.id


def _events(client: stripe.StripeClient, kind: str) -> list[Any]:
    return list(reversed(client.v1.events.list({"type": kind, "limit": 100}).data))


def test_trial_and_renewal_on_a_test_clock(client: stripe.StripeClient) -> None:
    clock = client.v1.test_helpers.test_clocks.create({"frozen_time": JAN_1, "name": "trial"})
    assert clock.status == "ready" and clock.frozen_time == JAN_1
    customer = _customer_on(client, clock.id, "pm_card_visa")
    sub = client.v1.subscriptions.create(
        {"customer": customer, "items": [{"price": _monthly(client)}], "trial_period_days": 14}
    )
    assert (sub.status, sub.trial_end, sub.created) == ("trialing", JAN_15, JAN_1)

    _advance(client, clock.id, JAN_15 - 3 * DAY)
    will_end = [e for e in _events(client, "customer.subscription.trial_will_end")]
    assert [e.data.object["id"] for e in will_end] == [sub.id]
    assert will_end[0].created == JAN_15 - 3 * DAY

    _advance(client, clock.id, JAN_15 + HOUR)
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert sub.status == "active"
    invoices = list(reversed(client.v1.invoices.list({"subscription": sub.id}).data))
    assert [(i.amount_paid, i.status) for i in invoices] == [(0, "paid"), (2000, "paid")]
    assert invoices[1].status_transitions.paid_at == JAN_15 + HOUR

    _advance(client, clock.id, FEB_15 + HOUR)
    invoices = list(reversed(client.v1.invoices.list({"subscription": sub.id}).data))
    renewal = invoices[2]
    assert (renewal.billing_reason, renewal.amount_paid) == ("subscription_cycle", 2000)
    assert (renewal.period_start, renewal.period_end) == (JAN_15, FEB_15)
    line = renewal.lines.data[0]
    assert (line.period.start, line.period.end) == (FEB_15, MAR_15)
    item = client.v1.subscriptions.retrieve(sub.id)["items"]["data"][0]
    assert (item["current_period_start"], item["current_period_end"]) == (FEB_15, MAR_15)


def test_failed_renewal_retried_until_canceled(client: stripe.StripeClient) -> None:
    clock = client.v1.test_helpers.test_clocks.create({"frozen_time": JAN_1})
    customer = _customer_on(client, clock.id, "pm_card_visa")
    sub = client.v1.subscriptions.create(
        {"customer": customer, "items": [{"price": _monthly(client)}]}
    )
    bad = client.v1.payment_methods.attach("pm_card_chargeCustomerFail", {"customer": customer})
    client.v1.customers.update(customer, {"invoice_settings": {"default_payment_method": bad.id}})
    first = FEB_1 + HOUR
    _advance(client, clock.id, first)
    assert client.v1.subscriptions.retrieve(sub.id).status == "past_due"
    invoice = client.v1.invoices.retrieve(client.v1.subscriptions.retrieve(sub.id).latest_invoice)
    assert (invoice.attempt_count, invoice.next_payment_attempt) == (1, first + 3 * DAY)
    _advance(client, clock.id, first + 15 * DAY)  # the retries 3, 5 and 7 days apart
    invoice = client.v1.invoices.retrieve(invoice.id)
    assert (invoice.attempt_count, invoice.next_payment_attempt) == (4, None)
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert (sub.status, sub.canceled_at) == ("canceled", first + 15 * DAY)


class _Flaky(BaseHTTPRequestHandler):
    """Answers 500 to the first two deliveries, then 200; records what arrives."""

    received: list[tuple[str, int]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = 500 if len(self.received) < 2 else 200
        self.received.append((json.loads(body)["id"], status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[str]:
    _Flaky.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/webhooks"
    finally:
        server.shutdown()
        server.server_close()


def test_webhook_that_fails_twice_is_delivered_on_the_second_retry(
    client: stripe.StripeClient, flaky: str, served: str
) -> None:
    clock = client.v1.test_helpers.test_clocks.create({"frozen_time": JAN_1})
    endpoint = client.v1.webhook_endpoints.create(
        {"url": flaky, "enabled_events": ["customer.created"]}
    )
    try:
        customer = client.v1.customers.create({"test_clock": clock.id})
        event = next(
            e for e in _events(client, "customer.created") if e.data.object["id"] == customer.id
        )
        assert event.pending_webhooks == 1
        _wait_for(lambda: len(_Flaky.received) == 1)  # the first attempt, answered 500
        _advance(client, clock.id, JAN_1 + HOUR)  # the first retry: an hour later
        _advance(client, clock.id, JAN_1 + 3 * HOUR)  # the second: two hours after that
        assert _Flaky.received == [(event.id, 500), (event.id, 500), (event.id, 200)]
        assert client.v1.events.retrieve(event.id).pending_webhooks == 0
        # Resent on request, as the Dashboard does.
        reply = httpx.post(
            f"{served}/v1/events/{event.id}/retry",
            data={"webhook_endpoint": endpoint.id},
            auth=(KEY, ""),
        )
        assert reply.status_code == 200
        _wait_for(lambda: len(_Flaky.received) == 4)  # delivered after the reply
        assert _Flaky.received[-1] == (event.id, 200)
    finally:
        client.v1.webhook_endpoints.delete(endpoint.id)


def test_served_helpers_for_the_emulator_clock_and_the_portal(
    client: stripe.StripeClient, served: str
) -> None:
    customer = client.v1.customers.create({"payment_method": "pm_card_visa"})
    client.v1.customers.update(
        customer.id,
        {"invoice_settings": {"default_payment_method": customer_pm(client, customer.id)}},
    )
    sub = client.v1.subscriptions.create(
        {"customer": customer.id, "items": [{"price": _monthly(client)}]}
    )
    session = client.v1.billing_portal.sessions.create({"customer": customer.id})
    canceled = httpx.post(
        f"{served}/_emulator/billing_portal/sessions/{session.id}/cancel_subscription",
        data={"subscription": sub.id},
        auth=(KEY, ""),
    )
    assert canceled.status_code == 200, canceled.text
    assert canceled.json()["cancel_at_period_end"] is True
    end = client.v1.subscriptions.retrieve(sub.id)["items"]["data"][0]["current_period_end"]
    moved = httpx.post(
        f"{served}/_emulator/clock/advance", data={"frozen_time": end}, auth=(KEY, "")
    )
    assert moved.status_code == 200 and moved.json()["frozen_time"] == end
    assert client.v1.subscriptions.retrieve(sub.id).status == "canceled"


def customer_pm(client: stripe.StripeClient, customer: str) -> str:
    return client.v1.customers.payment_methods.list(customer).data[0].id
