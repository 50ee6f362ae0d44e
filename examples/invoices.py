"""Invoices: draft an invoice, add items, finalize, send, pay.

    uv run python examples/invoices.py

Emulator when STRIPE_API_KEY is unset; Stripe test mode with a sk_test_ key.
"""

from __future__ import annotations

import sys

from _common import client_from_env, run_example  # examples/ is on sys.path when a script runs


async def main() -> int:
    async with client_from_env() as stripe:
        customer = await stripe.customers.create(email="billing@example.com", name="Example Corp")
        method = await stripe.payment_methods.attach("pm_card_visa", customer=customer.id)
        print(f"1. customer {customer.id} with card {method.id}")

        invoice = await stripe.invoices.create(
            customer=customer.id,
            collection_method="send_invoice",
            days_until_due=30,
            description="Consulting, November",
        )
        print(f"2. draft invoice {invoice.id}: {invoice.status}")
        await stripe.invoice_items.create(
            customer=customer.id,
            invoice=invoice.id,
            amount=120000,
            currency="usd",
            description="Architecture review (12 h)",
        )
        await stripe.invoice_items.create(
            customer=customer.id,
            invoice=invoice.id,
            amount=30000,
            currency="usd",
            description="Follow-up workshop",
        )
        lines = [line async for line in stripe.invoices.list_lines(invoice.id)]
        print(f"3. {len(lines)} line items added")

        invoice = await stripe.invoices.finalize(invoice.id)
        print(f"4. finalized: {invoice.status}, amount due {(invoice.amount_due or 0) / 100:.2f}")
        invoice = await stripe.invoices.send(invoice.id)
        print(f"5. sent to {invoice.customer_email}")
        invoice = await stripe.invoices.pay(invoice.id, payment_method=method.id)
        print(f"6. paid: {invoice.status}")
        if invoice.status != "paid":
            print("expected a paid invoice", file=sys.stderr)
            return 1

        # A second invoice voided instead of paid.
        other = await stripe.invoices.create(
            customer=customer.id, collection_method="send_invoice", days_until_due=7
        )
        await stripe.invoice_items.create(
            customer=customer.id, invoice=other.id, amount=5000, currency="usd"
        )
        other = await stripe.invoices.finalize(other.id)
        other = await stripe.invoices.void(other.id)
        print(f"7. second invoice {other.id}: {other.status}")
    print("succeeded")
    return 0


if __name__ == "__main__":
    run_example(main)
