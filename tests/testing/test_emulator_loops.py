"""The emulator on any event loop: asyncio and trio, and one emulator across loops."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import anyio
import pytest

from stripe_async import StripeClient
from stripe_async.testing import StripeEmulator
from stripe_async.webhooks import verify_signature


class Receiver:
    """A bare ASGI webhook receiver recording event types."""

    def __init__(self) -> None:
        self.received: list[tuple[str, bytes]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.received.append((headers["stripe-signature"], body))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def payments_paging_health_and_webhooks() -> None:
    emulator = StripeEmulator()
    receiver = Receiver()
    emulator.register_asgi_endpoint("https://shop.test/hooks", receiver)
    async with StripeClient.for_emulator(emulator) as stripe:
        endpoint = await stripe.webhook_endpoints.create(
            url="https://shop.test/hooks", enabled_events=["payment_intent.succeeded"]
        )
        pi = await stripe.payment_intents.create(
            amount=1000,
            currency="usd",
            payment_method="pm_card_visa",
            confirm=True,
            payment_method_types=["card"],
        )
        for n in range(5):
            await stripe.customers.create(email=f"c{n}@example.com")
        customers = [c.id async for c in stripe.customers.list(limit=2)]
        health = await stripe.health_check()
    assert pi.status == "succeeded" and len(customers) == 5 and health.ok
    assert len(receiver.received) == 1
    signature, body = receiver.received[0]
    assert endpoint.secret is not None
    verify_signature(body, signature, endpoint.secret)
    assert json.loads(body)["data"]["object"]["id"] == pi.id


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_payments_paging_health_and_webhooks_on_any_loop(backend: str) -> None:
    anyio.run(payments_paging_health_and_webhooks, backend=backend)


def test_one_emulator_and_client_across_asyncio_and_trio_runs() -> None:
    stripe = StripeClient.for_emulator()

    async def create(email: str) -> str:
        customer = await stripe.customers.create(email=email)
        assert customer.id is not None
        return customer.id

    async def count() -> int:
        return len(await stripe.customers.list(limit=100).to_list())

    asyncio.run(create("a@example.com"))
    anyio.run(create, "b@example.com", backend="trio")
    asyncio.run(create("c@example.com"))
    assert anyio.run(count, backend="trio") == 3 == asyncio.run(count())
