"""stripe-python against the served emulator: prorations, usage, tax, credit notes, disputes.

The served emulator runs seeded (its clock frozen), so every amount below is computed by
hand: an upgrade at the very start of a 30-day period credits all of the old price and
charges all of the new one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe
from served_emulator import serve_emulator

KEY = "sk_test_oracle"


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    yield from serve_emulator("--seed", "16")


@pytest.fixture
def client(served: str) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": served}, max_network_retries=0)


def _customer(client: stripe.StripeClient) -> stripe.Customer:
    return client.v1.customers.create(
        {
            "email": "oracle@example.com",
            "payment_method": "pm_card_visa",
            "invoice_settings": {"default_payment_method": "pm_card_visa"},
        }
    )


def _monthly(client: stripe.StripeClient, amount: int, name: str) -> stripe.Price:
    return client.v1.prices.create(
        {
            "currency": "usd",
            "unit_amount": amount,
            "recurring": {"interval": "month"},
            "product_data": {"name": name},
        }
    )


def test_upgrade_invoiced_now_with_prorations(client: stripe.StripeClient) -> None:
    customer = _customer(client)
    basic, pro = _monthly(client, 1000, "Basic"), _monthly(client, 3000, "Pro")
    sub = client.v1.subscriptions.create({"customer": customer.id, "items": [{"price": basic.id}]})
    item = sub["items"]["data"][0]
    change = {"items": [{"id": item.id, "price": pro.id}]}
    preview = client.v1.invoices.create_preview(
        {
            "subscription": sub.id,
            "subscription_details": {**change, "proration_behavior": "always_invoice"},
        }
    )
    assert preview.total == 2000  # -10.00 unused (all of it) + 30.00 remaining
    updated = client.v1.subscriptions.update(
        sub.id, {**change, "proration_behavior": "always_invoice"}
    )
    invoice = client.v1.invoices.retrieve(str(updated.latest_invoice))
    assert invoice.billing_reason == "subscription_update"
    assert sorted(line.amount for line in invoice.lines.data) == [-1000, 3000]
    assert (invoice.total, invoice.status) == (2000, "paid")


def test_usage_from_meter_events(client: stripe.StripeClient) -> None:
    customer = _customer(client)
    meter = client.v1.billing.meters.create(
        {
            "display_name": "Oracle calls",
            "event_name": "oracle_call",
            "default_aggregation": {"formula": "sum"},
        }
    )
    for value in ("3", "4"):
        client.v1.billing.meter_events.create(
            {
                "event_name": "oracle_call",
                "payload": {"stripe_customer_id": customer.id, "value": value},
            }
        )
    now = meter.created
    summaries = client.v1.billing.meters.event_summaries.list(
        meter.id, {"customer": customer.id, "start_time": now - 60, "end_time": now + 60}
    )
    assert [s.aggregated_value for s in summaries.data] == [7]
    price = client.v1.prices.create(
        {
            "currency": "usd",
            "unit_amount": 5,
            "recurring": {"interval": "month", "usage_type": "metered", "meter": meter.id},
            "product_data": {"name": "Calls"},
        }
    )
    sub = client.v1.subscriptions.create({"customer": customer.id, "items": [{"price": price.id}]})
    preview = client.v1.invoices.create_preview({"subscription": sub.id})
    assert preview.total == 35  # 7 calls so far at 5 cents


def test_tax_rate_credit_note_and_balance(client: stripe.StripeClient) -> None:
    customer = _customer(client)
    vat = client.v1.tax_rates.create({"display_name": "VAT", "percentage": 20, "inclusive": False})
    invoice = client.v1.invoices.create({"customer": customer.id, "default_tax_rates": [vat.id]})
    client.v1.invoice_items.create(
        {"customer": customer.id, "invoice": invoice.id, "amount": 1999, "currency": "usd"}
    )
    invoice = client.v1.invoices.pay(str(invoice.id))
    assert (invoice.total, invoice.amount_paid) == (2399, 2399)  # 1999 + round(399.8)
    assert invoice.total_taxes is not None and invoice.total_taxes[0].amount == 400
    note = client.v1.credit_notes.create({"invoice": str(invoice.id), "credit_amount": 500})
    assert (note.type, note.amount) == ("post_payment", 500)
    assert client.v1.customers.retrieve(customer.id).balance == -500
    entries = client.v1.customers.balance_transactions.list(customer.id)
    assert [(e.type, e.amount) for e in entries.data] == [("credit_note", -500)]


def test_dispute_from_the_test_card(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.create(
        {
            "amount": 4200,
            "currency": "usd",
            "payment_method": "pm_card_createDispute",
            "confirm": True,
            "payment_method_types": ["card"],
        }
    )
    [dispute] = client.v1.disputes.list({"payment_intent": pi.id}).data
    assert (dispute.status, dispute.amount) == ("needs_response", 4200)
    dispute = client.v1.disputes.update(
        dispute.id, {"evidence": {"uncategorized_text": "Delivered"}}
    )
    assert dispute.status == "under_review"
    assert client.v1.disputes.close(dispute.id).status == "lost"
