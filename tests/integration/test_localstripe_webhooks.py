"""localstripe's signed webhook deliveries, verified by our verifier.

localstripe signs with Stripe's scheme (`t=<ts>,v1=<hmac-sha256 of "ts.body">`),
waits about a second, then POSTs each event to every registered URL. A
registration cannot be removed, so this module runs its own localstripe.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from localstripe_harness import LocalStripe, make_client

from stripe_async import webhooks
from stripe_async.errors import SignatureVerificationError
from stripe_async.models import Event

SECRET = "whsec_localstripe_test_secret"
Delivery = tuple[dict[str, str], bytes]


class _Receiver(BaseHTTPRequestHandler):
    deliveries: queue.Queue[Delivery]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.deliveries.put((dict(self.headers.items()), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, queue.Queue[Delivery]]]:
    deliveries: queue.Queue[Delivery] = queue.Queue()
    handler = type("Receiver", (_Receiver,), {"deliveries": deliveries})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/stripe/webhooks", deliveries
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def _collect(deliveries: queue.Queue[Delivery], types: set[str]) -> dict[str, Delivery]:
    found: dict[str, Delivery] = {}
    while not types <= found.keys():
        headers, body = deliveries.get(timeout=10)
        found[json.loads(body)["type"]] = (headers, body)
    return found


async def test_signed_deliveries_verify(
    receiver: tuple[str, queue.Queue[Delivery]],
) -> None:
    url, deliveries = receiver
    with LocalStripe() as server:
        server.register_webhook(
            "tests", url, SECRET, events=["customer.created", "payment_intent.succeeded"]
        )
        async with make_client(server) as stripe:
            customer = await stripe.customers.create(email="hooks@example.com")
            intent = await stripe.payment_intents.create(
                amount=1000, currency="usd", payment_method="pm_card_visa", confirm=True
            )
        found = _collect(deliveries, {"customer.created", "payment_intent.succeeded"})

    for event_type, (headers, body) in found.items():
        header = headers["Stripe-Signature"]
        timestamp = webhooks.verify_signature(body, header, SECRET)
        assert header.startswith(f"t={timestamp},v1=")
        # Our parser takes localstripe's (2017-08-15 shaped) events.
        event = Event.model_validate_json(body)
        assert event.type == event_type
        assert event.id is not None and event.id.startswith("evt_")

        with pytest.raises(SignatureVerificationError):
            webhooks.verify_signature(body, header, "whsec_some_other_secret")
        tampered = body.replace(b'"livemode": false', b'"livemode": true', 1)
        assert tampered != body
        with pytest.raises(SignatureVerificationError):
            webhooks.verify_signature(tampered, header, SECRET)
        # Secret rotation: any one matching secret is enough.
        assert webhooks.verify_signature(body, header, ["whsec_old", SECRET]) == timestamp

    created = Event.model_validate_json(found["customer.created"][1])
    assert created.data.object["id"] == customer.id
    assert created.data.object["email"] == "hooks@example.com"
    succeeded = Event.model_validate_json(found["payment_intent.succeeded"][1])
    assert succeeded.data.object["id"] == intent.id

    construct_event = getattr(webhooks, "construct_event", None)
    if construct_event is not None:
        headers, body = found["customer.created"]
        event = construct_event(body, headers["Stripe-Signature"], SECRET)
        assert event.type == "customer.created"
        with pytest.raises(SignatureVerificationError):
            construct_event(body, headers["Stripe-Signature"], "whsec_wrong")


async def test_stale_delivery_rejected_by_tolerance(
    receiver: tuple[str, queue.Queue[Delivery]],
) -> None:
    url, deliveries = receiver
    with LocalStripe() as server:
        server.register_webhook("tests", url, SECRET, events=["customer.created"])
        async with make_client(server) as stripe:
            await stripe.customers.create(email="late@example.com")
        headers, body = _collect(deliveries, {"customer.created"})["customer.created"]
    header = headers["Stripe-Signature"]
    timestamp = webhooks.verify_signature(body, header, SECRET)
    # Replayed an hour later, the same genuine delivery is refused.
    with pytest.raises(SignatureVerificationError):
        webhooks.verify_signature(body, header, SECRET, tolerance=300, now=timestamp + 3600)
