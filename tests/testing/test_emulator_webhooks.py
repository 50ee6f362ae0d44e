"""Events, webhook endpoints and signed delivery (in-process ASGI and loopback HTTP)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn

from stripe_async import StripeClient, models
from stripe_async.testing import StripeEmulator
from stripe_async.webhooks import verify_signature


class Receiver:
    """A minimal ASGI webhook receiver that records what it gets."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.received: list[tuple[dict[str, str], bytes]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            await send({"type": "lifespan.startup.complete"})
            message = await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.received.append((headers, body))
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    def types(self) -> list[str]:
        return [json.loads(body)["type"] for _, body in self.received]


async def _endpoint(raw: Any, url: str, events: list[str]) -> dict[str, Any]:
    return await raw.ok(  # type: ignore[no-any-return]
        "POST", "/v1/webhook_endpoints", {"url": url, "enabled_events[]": events}
    )


async def test_signed_delivery_to_an_asgi_app(
    stripe_emulator: StripeEmulator, stripe_client: StripeClient, raw: Any
) -> None:
    receiver = Receiver()
    stripe_emulator.register_asgi_endpoint("https://shop.test/stripe/webhooks", receiver)
    endpoint = await _endpoint(
        raw, "https://shop.test/stripe/webhooks", ["payment_intent.succeeded", "charge.succeeded"]
    )
    secret = endpoint["secret"]
    assert secret.startswith("whsec_") and stripe_emulator.webhook_secret(endpoint["id"]) == secret
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    # Inline delivery: the events arrived before the reply did.
    assert receiver.types() == ["charge.succeeded", "payment_intent.succeeded"]
    for headers, body in receiver.received:
        assert headers["content-type"].startswith("application/json")
        verify_signature(body, headers["stripe-signature"], secret)
        event = models.Event.model_validate_json(body)
        assert event.livemode is False and event.api_version
    last = json.loads(receiver.received[-1][1])
    assert last["data"]["object"]["id"] == pi.id
    assert last["request"]["id"].startswith("req_")
    assert all(d.ok and d.endpoint_id == endpoint["id"] for d in stripe_emulator.deliveries)
    stored = await raw.ok("GET", f"/v1/events/{last['id']}")
    assert stored["pending_webhooks"] == 0


async def test_wrong_secret_fails_verification(
    stripe_emulator: StripeEmulator, stripe_client: StripeClient, raw: Any
) -> None:
    from stripe_async import SignatureVerificationError

    receiver = Receiver()
    stripe_emulator.register_asgi_endpoint("https://shop.test/hook", receiver)
    await _endpoint(raw, "https://shop.test/hook", ["customer.created"])
    await stripe_client.customers.create(email="x@example.com")
    headers, body = receiver.received[0]
    with pytest.raises(SignatureVerificationError):
        verify_signature(body, headers["stripe-signature"], "whsec_wrong")


async def test_wildcard_and_disabled_endpoints(
    stripe_emulator: StripeEmulator, stripe_client: StripeClient, raw: Any
) -> None:
    everything, disabled = Receiver(), Receiver()
    stripe_emulator.register_asgi_endpoint("https://a.test/all", everything)
    stripe_emulator.register_asgi_endpoint("https://a.test/off", disabled)
    await _endpoint(raw, "https://a.test/all", ["*"])
    off = await _endpoint(raw, "https://a.test/off", ["*"])
    updated = await raw.ok("POST", f"/v1/webhook_endpoints/{off['id']}", {"disabled": "true"})
    assert updated["status"] == "disabled" and "secret" not in updated
    customer = await stripe_client.customers.create(email="w@example.com")
    await stripe_client.customers.update(customer.id, name="W")
    await stripe_client.customers.delete(customer.id)
    assert everything.types() == ["customer.created", "customer.updated", "customer.deleted"]
    assert disabled.received == []


async def test_manual_delivery_is_flushed_on_demand(raw: Any) -> None:
    emulator = StripeEmulator(seed=3, webhook_delivery="manual")
    receiver = Receiver()
    emulator.register_asgi_endpoint("https://b.test/hook", receiver)
    async with StripeClient.for_emulator(emulator) as client:
        async with httpx.AsyncClient(
            transport=emulator.transport(),
            base_url="https://api.stripe.com",
            headers={"Authorization": "Bearer sk_test_x"},
        ) as http:
            response = await http.post(
                "/v1/webhook_endpoints",
                data={"url": "https://b.test/hook", "enabled_events[]": "customer.created"},
            )
            assert response.status_code == 200
        await client.customers.create(email="m@example.com")
    assert receiver.received == [] and emulator.pending_deliveries == 1
    deliveries = await emulator.deliver_pending()
    assert [d.event_type for d in deliveries] == ["customer.created"] and deliveries[0].ok
    assert receiver.types() == ["customer.created"] and emulator.pending_deliveries == 0


async def test_non_loopback_urls_are_never_contacted(
    stripe_emulator: StripeEmulator, stripe_client: StripeClient, raw: Any
) -> None:
    endpoint = await _endpoint(raw, "https://example.com/webhooks", ["customer.created"])
    await stripe_client.customers.create(email="n@example.com")
    [delivery] = stripe_emulator.deliveries
    assert delivery.endpoint_id == endpoint["id"]
    assert delivery.status_code is None and not delivery.ok
    assert delivery.error is not None and delivery.error.startswith("refused")
    event = stripe_emulator.events("customer.created")[0]
    assert event["pending_webhooks"] == 1


async def test_failed_receiver_is_recorded(
    stripe_emulator: StripeEmulator, stripe_client: StripeClient, raw: Any
) -> None:
    receiver = Receiver(status=500)
    stripe_emulator.register_asgi_endpoint("https://c.test/hook", receiver)
    await _endpoint(raw, "https://c.test/hook", ["customer.created"])
    await stripe_client.customers.create()
    assert [d.status_code for d in stripe_emulator.deliveries] == [500]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest_asyncio.fixture
async def loopback_receiver() -> AsyncIterator[tuple[Receiver, str]]:
    receiver = Receiver()
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(receiver, host="127.0.0.1", port=port, log_level="warning")
    )
    task = asyncio.ensure_future(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield receiver, f"http://127.0.0.1:{port}/webhooks"
    finally:
        server.should_exit = True
        await task


async def test_delivery_to_a_loopback_http_server(
    stripe_emulator: StripeEmulator,
    stripe_client: StripeClient,
    raw: Any,
    loopback_receiver: tuple[Receiver, str],
) -> None:
    receiver, url = loopback_receiver
    endpoint = await _endpoint(raw, url, ["customer.created"])
    await stripe_client.customers.create(email="loop@example.com")
    assert receiver.types() == ["customer.created"]
    headers, body = receiver.received[0]
    assert verify_signature(body, headers["stripe-signature"], endpoint["secret"]) > 0
    assert headers["user-agent"].startswith("Stripe/")


async def test_events_api(stripe_client: StripeClient, raw: Any) -> None:
    customer = await stripe_client.customers.create()
    await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        customer=customer.id,
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    every = await raw.ok("GET", "/v1/events")
    assert [e["type"] for e in every["data"]] == [
        "payment_intent.succeeded",
        "charge.succeeded",
        "payment_intent.created",
        "customer.created",
    ]
    only = await raw.ok("GET", "/v1/events", {"type": "payment_intent.*"})
    assert [e["type"] for e in only["data"]] == [
        "payment_intent.succeeded",
        "payment_intent.created",
    ]
    some = await raw.ok("GET", "/v1/events", {"types[]": ["customer.created", "charge.succeeded"]})
    assert len(some["data"]) == 2
    one = await raw.ok("GET", f"/v1/events/{every['data'][-1]['id']}")
    assert one["data"]["object"]["id"] == customer.id


async def test_webhook_endpoint_crud_and_validation(raw: Any) -> None:
    created = await _endpoint(raw, "https://example.com/hook", ["invoice.paid"])
    fetched = await raw.ok("GET", f"/v1/webhook_endpoints/{created['id']}")
    assert "secret" not in fetched and fetched["enabled_events"] == ["invoice.paid"]
    updated = await raw.ok(
        "POST",
        f"/v1/webhook_endpoints/{created['id']}",
        {"enabled_events[]": ["invoice.paid", "invoice.voided"], "metadata[env]": "ci"},
    )
    assert updated["enabled_events"] == ["invoice.paid", "invoice.voided"]
    listed = await raw.ok("GET", "/v1/webhook_endpoints")
    assert [e["id"] for e in listed["data"]] == [created["id"]]
    assert (await raw.ok("DELETE", f"/v1/webhook_endpoints/{created['id']}"))["deleted"] is True
    bad = await raw.post(
        "/v1/webhook_endpoints", {"url": "https://x.test/", "enabled_events[]": "no.such_event"}
    )
    assert bad.json()["error"]["param"] == "enabled_events[0]"
    bad = await raw.post("/v1/webhook_endpoints", {"url": "ftp://x.test/", "enabled_events[]": "*"})
    assert bad.json()["error"]["param"] == "url"
