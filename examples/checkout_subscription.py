"""The SaaS sign-up: a Checkout Session sells a monthly plan with a trial and a
promotion code, a webhook router provisions the account on
`checkout.session.completed`, the customer cancels in the billing portal, and the
clock runs past the trial and the period end.

    uv run python examples/checkout_subscription.py

Runs on the built-in emulator when STRIPE_API_KEY is unset (it plays the customer on
the Checkout and portal pages). With a sk_test_ key it creates the session and
prints its URL: pay it in a browser with 4242 4242 4242 4242.
"""

from __future__ import annotations

import sys
from typing import Any

from _common import client_from_env, run_example  # examples/ is on sys.path when a script runs

from stripe_async import StripeClient
from stripe_async.models import Event
from stripe_async.testing import StripeEmulator
from stripe_async.webhooks import WebhookRouter, create_app

DAY = 86400
HOOK_URL = "https://saas.example/webhooks/stripe"


def provisioning(stripe: StripeClient, secret: str, log: list[str]) -> WebhookRouter:
    """The app's webhook handlers: what a SaaS does when Stripe says something happened."""
    router = WebhookRouter(secret)

    @router.on("checkout.session.completed")
    async def provision(event: Event) -> None:
        session: Any = event.data.object
        log.append(f"provision workspace for {session.customer} ({session.subscription})")

    @router.on("customer.subscription.deleted")
    async def deprovision(event: Event) -> None:
        subscription: Any = event.data.object
        log.append(f"close workspace of {subscription.customer}")

    return router


async def main() -> int:
    emulator = StripeEmulator(seed=2026)  # a frozen clock we can move; ignored with a key
    async with client_from_env(emulator) as stripe:
        price = await stripe.prices.create(
            unit_amount=2900,
            currency="usd",
            recurring={"interval": "month"},
            product_data={"name": "Team plan"},
        )
        coupon = await stripe.coupons.create(
            percent_off=20, duration="repeating", duration_in_months=3
        )
        code = await stripe.promotion_codes.create(
            promotion={"type": "coupon", "coupon": coupon.id}, code="LAUNCH20"
        )
        print(
            f"1. price {price.id} (29.00 USD/month), promotion code {code.code}: 20% off 3 months"
        )

        session = await stripe.checkout.sessions.create(
            mode="subscription",
            line_items=[{"price": price.id, "quantity": 1}],
            subscription_data={"trial_period_days": 14, "metadata": {"plan": "team"}},
            allow_promotion_codes=True,
            customer_email="founder@saas.example",
            success_url="https://saas.example/welcome?session_id={CHECKOUT_SESSION_ID}",
            cancel_url="https://saas.example/pricing",
        )
        print(f"2. checkout session {session.id}: {session.status}")
        if stripe.emulator is None:
            print(f"Open {session.url} and pay with 4242 4242 4242 4242 to continue.")
            print("succeeded")
            return 0

        endpoint = await stripe.webhook_endpoints.create(
            url=HOOK_URL,
            enabled_events=["checkout.session.completed", "customer.subscription.deleted"],
        )
        log: list[str] = []
        router = provisioning(stripe, str(endpoint.secret), log)
        stripe.emulator.register_asgi_endpoint(HOOK_URL, create_app(router))

        done = await stripe.emulator.complete_checkout(session.id, promotion_code="LAUNCH20")
        print(f"3. the customer paid: session {done['status']}, {done['payment_status']}")
        print(f"4. webhook: {log[-1]}")
        subscription = await stripe.subscriptions.retrieve(done["subscription"])
        print(f"5. subscription {subscription.id}: {subscription.status}")

        await stripe.emulator.advance_clock(15 * DAY)  # the trial ends: the first paid month
        subscription = await stripe.subscriptions.retrieve(
            subscription.id, expand=["latest_invoice"]
        )
        invoice: Any = subscription.latest_invoice
        print(f"6. after the trial: {subscription.status}, invoice {invoice.total / 100:.2f} USD")

        portal = await stripe.billing_portal.sessions.create(
            customer=done["customer"], return_url="https://saas.example/account"
        )
        print(f"7. billing portal: {portal.url}")
        canceled = await stripe.emulator.portal_cancel(portal.id, subscription.id)
        print(f"8. canceled in the portal: cancel_at_period_end={canceled['cancel_at_period_end']}")

        await stripe.emulator.advance_clock(31 * DAY)  # past the period end
        subscription = await stripe.subscriptions.retrieve(subscription.id)
        print(f"9. after the period end: {subscription.status}; webhook: {log[-1]}")
        if subscription.status != "canceled" or invoice.total != 2320:
            print("unexpected final state", file=sys.stderr)
            return 1
    print("succeeded")
    return 0


if __name__ == "__main__":
    run_example(main)
