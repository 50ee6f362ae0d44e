"""Shared builders for the webhook tests: realistic event bodies, signed like Stripe does."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from stripe_async import API_VERSION
from stripe_async.webhooks import generate_test_header

SECRET = "whsec_test_5d1f8a0c9b7e4d2a"
# Stripe's published example objects, vendored with the tests (see tests/data/README.md).
FIXTURES = Path(__file__).parent.parent / "data" / "fixtures3.json"


def fixture(kind: str) -> dict[str, Any]:
    """One example object of `kind` from Stripe's published fixtures."""
    resources: dict[str, Any] = json.loads(FIXTURES.read_text())["resources"]
    return dict(resources[kind])


def event_body(
    event_type: str = "payment_intent.succeeded",
    *,
    event_id: str = "evt_1TestEvent000001",
    obj: dict[str, Any] | None = None,
    api_version: str | None = API_VERSION,
    previous_attributes: dict[str, Any] | None = None,
) -> bytes:
    """The raw JSON body of a webhook delivery, as Stripe would send it."""
    data: dict[str, Any] = {"object": obj if obj is not None else fixture("payment_intent")}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    event = {
        "id": event_id,
        "object": "event",
        "api_version": api_version,
        "created": 1_700_000_000,
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": "req_123", "idempotency_key": None},
        "type": event_type,
    }
    # Stripe pretty-prints its webhook bodies; the exact bytes are what get signed.
    return json.dumps(event, indent=2).encode("utf-8")


def signed(body: bytes, secret: str = SECRET, timestamp: int | None = None) -> str:
    """A Stripe-Signature header for `body`."""
    return generate_test_header(body, secret, int(time.time()) if timestamp is None else timestamp)
