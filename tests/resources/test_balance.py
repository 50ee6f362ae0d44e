"""balance: retrieve."""

from __future__ import annotations

import respx
from resource_cases import sent_pairs

from stripe_async import StripeClient
from stripe_async.models import Balance

BALANCE = {
    "object": "balance",
    "livemode": False,
    "available": [{"amount": 1000, "currency": "usd", "source_types": {"card": 1000}}],
    "pending": [],
}


async def test_retrieve_gets_the_balance(stripe: StripeClient, api: respx.MockRouter) -> None:
    route = api.get("/v1/balance").respond(200, json=BALANCE)
    balance = await stripe.balance.retrieve()
    assert isinstance(balance, Balance)
    assert balance.livemode is False
    request = route.calls.last.request
    assert sent_pairs(request) == []
    assert "Idempotency-Key" not in request.headers


async def test_retrieve_for_a_connected_account(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/balance").respond(200, json=BALANCE)
    await stripe.balance.retrieve(stripe_account="acct_9", stripe_version="2026-10-28.endive")
    request = route.calls.last.request
    assert request.headers["Stripe-Account"] == "acct_9"
    assert request.headers["Stripe-Version"] == "2026-10-28.endive"
    assert sent_pairs(request) == []
