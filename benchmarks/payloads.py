"""Realistic Stripe JSON objects shared by the benchmark server and the micro-benchmarks.

Shapes follow the API reference (fields as Stripe sends them, nulls included), so
that parsing costs what it costs on real replies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CREATE_FORM = {
    "amount": "2000",
    "currency": "usd",
    "automatic_payment_methods[enabled]": "true",
    "metadata[order_id]": "6735",
}


def payment_intent(n: int = 1) -> dict[str, Any]:
    pi_id = f"pi_3MtwBwLkdIwHu7ix{n:010d}"
    return {
        "id": pi_id,
        "object": "payment_intent",
        "amount": 2000,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": {"allow_redirects": "always", "enabled": True},
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic",
        "client_secret": f"{pi_id}_secret_YrKJUKribcBjcG8HVhfZluoGH",
        "confirmation_method": "automatic",
        "created": 1680800504,
        "currency": "usd",
        "customer": None,
        "description": None,
        "invoice": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": {"order_id": "6735"},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": {
            "id": "pmc_1MtwBwLkdIwHu7ixXkWRMP1Q",
            "parent": None,
        },
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            },
            "link": {"persistent_token": None},
        },
        "payment_method_types": ["card", "link"],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }


def customer(n: int) -> dict[str, Any]:
    return {
        "id": f"cus_NffrFeUfNV2H{n:06d}",
        "object": "customer",
        "address": {
            "city": "San Francisco",
            "country": "US",
            "line1": f"{n} Market Street",
            "line2": None,
            "postal_code": "94103",
            "state": "CA",
        },
        "balance": 0,
        "created": 1680893993 + n,
        "currency": "usd",
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": f"jenny.rosen{n}@example.com",
        "invoice_prefix": f"0759{n:04d}",
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {"crm_id": str(100000 + n)},
        "name": "Jenny Rosen",
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": ["en"],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def customer_page(page: int, *, per_page: int = 100, pages: int | None = None) -> dict[str, Any]:
    """Page `page` (0-based) of a customer list; `has_more` until `pages` pages were served."""
    first = page * per_page
    return {
        "object": "list",
        "url": "/v1/customers",
        "has_more": pages is None or page + 1 < pages,
        "data": [customer(first + i) for i in range(per_page)],
    }


def event() -> dict[str, Any]:
    """A `payment_intent.succeeded` event as a webhook endpoint receives it."""
    obj = payment_intent(7)
    obj.update(status="succeeded", amount_received=2000, latest_charge="ch_3MtwBwLkdIwHu7ix0")
    return {
        "id": "evt_3MtwBwLkdIwHu7ix0snN0B15",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": 1680800600,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": "req_Pe1ZQw8Ta3UtF9", "idempotency_key": "5e5d1a7e-7a51-4b1b"},
        "type": "payment_intent.succeeded",
    }


def checkout_session() -> dict[str, Any]:
    """Stripe's published example Checkout Session (vendored in tests/data, see its README)."""
    fixtures = Path(__file__).resolve().parent.parent / "tests" / "data" / "fixtures3.json"
    session: dict[str, Any] = json.loads(fixtures.read_text())["resources"]["checkout.session"]
    return session


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()
