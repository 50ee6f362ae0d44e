"""Subscriptions: a product and a monthly price, a subscription paid from the customer's
default payment method, and one whose first payment is declined (left `incomplete`).

    uv run python examples/subscriptions.py

Emulator when STRIPE_API_KEY is unset; Stripe test mode with a sk_test_ key.
"""

from __future__ import annotations

import sys

from _common import client_from_env, run_example  # examples/ is on sys.path when a script runs

from stripe_async import StripeClient
from stripe_async.models import Customer, Invoice


async def customer_paying_with(stripe: StripeClient, email: str, test_pm: str) -> Customer:
    """A customer whose invoices are paid by the given test PaymentMethod."""
    customer = await stripe.customers.create(email=email)
    method = await stripe.payment_methods.attach(test_pm, customer=customer.id)
    return await stripe.customers.update(
        customer.id, invoice_settings={"default_payment_method": method.id}
    )


async def main() -> int:
    async with client_from_env() as stripe:
        product = await stripe.products.create(name="Pro plan", metadata={"tier": "pro"})
        price = await stripe.prices.create(
            product=product.id,
            unit_amount=1500,
            currency="usd",
            recurring={"interval": "month"},
        )
        print(f"1. product {product.id} with a monthly price {price.id} (15.00 USD)")

        customer = await customer_paying_with(stripe, "sub.ok@example.com", "pm_card_visa")
        subscription = await stripe.subscriptions.create(
            customer=customer.id,
            items=[{"price": price.id, "quantity": 1}],
            expand=["latest_invoice"],
        )
        invoice = subscription.latest_invoice
        paid = invoice.status if isinstance(invoice, Invoice) else invoice
        print(f"2. subscription {subscription.id}: {subscription.status}, first invoice {paid}")
        if subscription.status != "active":
            print("expected an active subscription", file=sys.stderr)
            return 1

        # A card that attaches fine but declines every charge.
        failing = await customer_paying_with(
            stripe, "sub.declined@example.com", "pm_card_chargeCustomerFail"
        )
        incomplete = await stripe.subscriptions.create(
            customer=failing.id, items=[{"price": price.id}]
        )
        print(f"3. subscription with a declining card: {incomplete.status}")

        updated = await stripe.subscriptions.update(
            subscription.id, metadata={"seats": "5"}, cancel_at_period_end=True
        )
        print(f"4. set to cancel at period end: {updated.cancel_at_period_end}")
        canceled = await stripe.subscriptions.cancel(incomplete.id)
        print(f"5. the incomplete subscription canceled: {canceled.status}")

        listed = await stripe.subscriptions.list(customer=customer.id, limit=10)
        print(f"6. {len(listed.data)} subscription(s) for {customer.email}")
    print("succeeded")
    return 0


if __name__ == "__main__":
    run_example(main)
