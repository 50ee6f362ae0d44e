"""The main job: take payments with PaymentIntents, handle a decline, capture later, refund.

    uv run python examples/payment_intents.py

Runs on the built-in Stripe emulator when STRIPE_API_KEY is unset, and unchanged against
Stripe test mode with STRIPE_API_KEY=sk_test_... (live keys are refused).
"""

from __future__ import annotations

import sys

from _common import client_from_env, run_example  # examples/ is on sys.path when a script runs

from stripe_async import CardError


def money(amount: int, currency: str) -> str:
    return f"{amount / 100:.2f} {currency.upper()}"


async def main() -> int:
    async with client_from_env() as stripe:
        customer = await stripe.customers.create(
            email="jenny.rosen@example.com",
            name="Jenny Rosen",
            metadata={"example": "payment_intents"},
        )
        print(f"1. customer {customer.id} ({customer.email})")

        # A card payment confirmed server-side with Stripe's test PaymentMethod.
        intent = await stripe.create_payment_intent(
            2000,
            "USD",
            customer=customer.id,
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
            description="Order #1001",
        )
        print(f"2. payment intent {intent.id} for {money(2000, 'usd')}: {intent.status}")
        intent = await stripe.payment_intents.confirm(intent.id, payment_method="pm_card_visa")
        print(f"3. confirmed with pm_card_visa: {intent.status}")
        if intent.status != "succeeded":
            print(f"unexpected status {intent.status!r}", file=sys.stderr)
            return 1

        # A declined card surfaces as CardError with Stripe's decline code.
        declined = await stripe.create_payment_intent(
            1500,
            "usd",
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )
        try:
            await stripe.payment_intents.confirm(
                declined.id, payment_method="pm_card_chargeDeclinedInsufficientFunds"
            )
            print("the declined card was accepted?", file=sys.stderr)
            return 1
        except CardError as exc:
            print(f"4. declined as expected: code={exc.code} decline_code={exc.decline_code}")

        # Authorize now, capture later (e.g. when the order ships).
        held = await stripe.payment_intents.create(
            amount=5000,
            currency="usd",
            capture_method="manual",
            payment_method="pm_card_mastercard",
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
            confirm=True,
        )
        print(f"5. manual-capture intent {held.id}: {held.status}")
        captured = await stripe.payment_intents.capture(held.id, amount_to_capture=4000)
        print(f"6. captured {money(captured.amount_received or 0, 'usd')}: {captured.status}")

        # A partial refund of the first payment.
        refund = await stripe.refunds.create(payment_intent=intent.id, amount=500)
        print(f"7. refund {refund.id} of {money(refund.amount or 0, 'usd')}: {refund.status}")

        recent = await stripe.payment_intents.list(customer=customer.id, limit=3)
        statuses = ", ".join(str(pi.status) for pi in recent.data)
        print(f"8. the customer's payment intents: {statuses}")
    print("succeeded")
    return 0


if __name__ == "__main__":
    run_example(main)
