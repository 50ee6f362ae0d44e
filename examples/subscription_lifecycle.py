"""A subscription over time on a test clock: a trial, a paid renewal, then a card
that fails and the payment retries that end the subscription.

    uv run python examples/subscription_lifecycle.py

Runs on the built-in emulator when STRIPE_API_KEY is unset. With a sk_test_ key it
drives a real Stripe test clock the same way (each advance waits for the clock to be
`ready`, as Stripe advances in the background; expect a few minutes).
"""

from __future__ import annotations

import asyncio
import datetime as dt

from _common import client_from_env, run_example  # examples/ is on sys.path when a script runs

from stripe_async import StripeClient
from stripe_async.testing import StripeEmulator

HOUR = 3600
DAY = 86400
START = 1_704_067_200  # 2024-01-01T00:00:00Z


def day(ts: int | None) -> str:
    return "-" if ts is None else dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%b %d")


async def advance(stripe: StripeClient, clock_id: str, to: int) -> None:
    """Move the clock and wait until everything on it has caught up."""
    clock = await stripe.test_helpers.test_clocks.advance(clock_id, frozen_time=to)
    while clock.status != "ready":
        await asyncio.sleep(1)
        clock = await stripe.test_helpers.test_clocks.retrieve(clock_id)


async def show_invoices(stripe: StripeClient, subscription: str) -> None:
    page = await stripe.invoices.list(subscription=subscription, limit=10)
    for invoice in reversed(page.data):
        print(
            f"   {invoice.billing_reason:<20} {invoice.amount_due / 100:6.2f} "
            f"{invoice.currency.upper()} {invoice.status:<6} period {day(invoice.period_start)}"
            f" - {day(invoice.period_end)}, attempts {invoice.attempt_count}"
        )


async def main() -> int:
    emulator = StripeEmulator(seed=16)  # ignored with a key
    async with client_from_env(emulator) as stripe:
        clock = await stripe.test_helpers.test_clocks.create(frozen_time=START, name="lifecycle")
        customer = await stripe.customers.create(test_clock=clock.id, email="ada@example.com")
        card = await stripe.payment_methods.attach("pm_card_visa", customer=customer.id)
        await stripe.customers.update(
            customer.id, invoice_settings={"default_payment_method": card.id}
        )
        price = await stripe.prices.create(
            unit_amount=2000,
            currency="usd",
            recurring={"interval": "month"},
            product_data={"name": "Pro plan"},
        )
        sub = await stripe.subscriptions.create(
            customer=customer.id, items=[{"price": price.id}], trial_period_days=14
        )
        print(f"1. {sub.id}: {sub.status} until {day(sub.trial_end)}")

        await advance(stripe, clock.id, START + 14 * DAY + HOUR)
        sub = await stripe.subscriptions.retrieve(sub.id)
        print(f"2. the trial ended on {day(sub.trial_end)}: {sub.status}")
        await show_invoices(stripe, sub.id)

        # The card on file now declines; the February renewal fails and is retried.
        failing = await stripe.payment_methods.attach(
            "pm_card_chargeCustomerFail", customer=customer.id
        )
        await stripe.customers.update(
            customer.id, invoice_settings={"default_payment_method": failing.id}
        )
        renewal = START + 45 * DAY  # Feb 15
        await advance(stripe, clock.id, renewal + HOUR)
        sub = await stripe.subscriptions.retrieve(sub.id)
        print(f"3. the renewal on {day(renewal)} failed: {sub.status}")
        for _ in range(3):  # the retries, 3, 5 and 7 days after the previous attempt
            invoice = await stripe.invoices.retrieve(str(sub.latest_invoice))
            if invoice.next_payment_attempt is None:
                break
            print(f"   next attempt {day(invoice.next_payment_attempt)}")
            await advance(stripe, clock.id, invoice.next_payment_attempt)
        sub = await stripe.subscriptions.retrieve(sub.id)
        details = sub.cancellation_details
        reason = details.reason if details is not None else None
        print(f"4. after the last retry: {sub.status} ({reason}) on {day(sub.canceled_at)}")
        await show_invoices(stripe, sub.id)

        await stripe.test_helpers.test_clocks.delete(clock.id)
        print("5. the test clock and its customer are deleted")
    print("succeeded")
    return 0


if __name__ == "__main__":
    run_example(main)
