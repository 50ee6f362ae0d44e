"""A marketplace on Stripe Connect: onboard a seller (an Express account), take a
buyer's payment as a destination charge, and keep a platform fee.

    uv run python examples/connect_marketplace.py

Runs on the built-in emulator when STRIPE_API_KEY is unset (it plays the seller
finishing onboarding). With a sk_test_ key it stops after printing the onboarding
link: finish onboarding in a browser, then charge with the account's id.
"""

from __future__ import annotations

import sys
from typing import Any

from _common import client_from_env, run_example  # examples/ is on sys.path when a script runs

from stripe_async import NotFoundError

PLATFORM_FEE_PERCENT = 10


async def main() -> int:
    async with client_from_env() as stripe:
        seller = await stripe.accounts.create(
            type="express",
            email="potter@market.example",
            capabilities={"card_payments": {"requested": True}, "transfers": {"requested": True}},
        )
        print(f"1. seller {seller.id} ({seller.type}): charges_enabled={seller.charges_enabled}")
        link = await stripe.account_links.create(
            account=seller.id,
            type="account_onboarding",
            refresh_url="https://market.example/onboarding/retry",
            return_url="https://market.example/onboarding/done",
        )
        print(f"2. onboarding link: {link.url}")
        if stripe.emulator is None:
            print("Finish onboarding at that link, then charge with transfer_data[destination].")
            print("succeeded")
            return 0
        await stripe.emulator.complete_onboarding(seller.id)
        seller = await stripe.accounts.retrieve(seller.id)
        print(f"3. the seller finished onboarding: charges_enabled={seller.charges_enabled}")

        amount = 12000
        fee = amount * PLATFORM_FEE_PERCENT // 100
        payment = await stripe.payment_intents.create(
            amount=amount,
            currency="usd",
            payment_method="pm_card_visa",
            allowed_payment_method_types=["card"],
            confirm=True,
            application_fee_amount=fee,
            transfer_data={"destination": seller.id},
            expand=["latest_charge.transfer", "latest_charge.application_fee"],
        )
        charge: Any = payment.latest_charge
        print(f"4. buyer paid {amount / 100:.2f} USD: {payment.status}")
        transfer, fee_object = charge.transfer, charge.application_fee
        print(f"5. transfer {transfer.id}: {transfer.amount / 100:.2f} USD to the seller")
        print(f"6. platform fee {fee_object.id}: {fee_object.amount / 100:.2f} USD")

        # The seller's own customers live in the seller's account, not the platform's.
        as_seller = stripe.with_options(stripe_account=seller.id)
        regular = await as_seller.customers.create(email="regular@buyer.example")
        try:
            await stripe.customers.retrieve(regular.id)
            print("the platform saw the seller's customer", file=sys.stderr)
            return 1
        except NotFoundError:
            print(f"7. customer {regular.id} exists only in the seller's account")
        if charge.transfer.amount != amount - fee:
            print("unexpected transfer amount", file=sys.stderr)
            return 1
    print("succeeded")
    return 0


if __name__ == "__main__":
    run_example(main)
