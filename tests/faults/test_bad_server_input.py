"""Whatever the server sends back, callers see a model or a StripeError, nothing else."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stripe_async import APIError, StripeClient, StripeError
from stripe_async.models import Customer, PaymentIntent

VALID_PI = json.dumps(
    {"id": "pi_1", "object": "payment_intent", "amount": 100, "currency": "usd"}
).encode()
HUGE = "x" * 2_000_000

statuses = st.sampled_from([200, 201, 204, 302, 400, 401, 402, 403, 404, 409, 418, 429, 500, 503])
content_types = st.sampled_from(
    ["application/json", "text/html", "text/plain", "application/octet-stream", ""]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
bodies = st.one_of(
    st.just(b""),
    st.just(b"[]"),
    st.just(b'[{"id": "pi_1"}]'),
    st.just(b"null"),
    st.just(b'{"error": "boom"}'),
    st.just(b'{"error": {"message": 42, "type": ["card_error"]}}'),
    st.just(b"<html><body>502 Bad Gateway</body></html>"),
    st.just(b"[" * 100_000 + b"]" * 100_000),
    st.just(b"\xff\xfe\x00garbage"),
    st.integers(min_value=0, max_value=len(VALID_PI) - 1).map(lambda n: VALID_PI[:n]),
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.builds(
        lambda v: json.dumps({"error": v}).encode(),
        st.dictionaries(st.sampled_from(["type", "message", "code", "param"]), json_values),
    ),
)


def client_for(status: int, body: bytes, content_type: str) -> StripeClient:
    def reply(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": content_type} if content_type else {}
        return httpx.Response(status, content=body, headers=headers)

    return StripeClient(
        "sk_test_fuzz", transport=httpx.MockTransport(reply), rate_limit=None, max_retries=0
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=statuses, body=bodies, content_type=content_types)
async def test_any_reply_gives_a_model_or_a_stripe_error(
    status: int, body: bytes, content_type: str
) -> None:
    async with client_for(status, body, content_type) as client:
        try:
            pi = await client.payment_intents.create(amount=100, currency="usd")
        except StripeError as exc:
            assert exc.http_status == status
            assert len(str(exc)) < 10_000
        else:
            assert 200 <= status < 300
            assert isinstance(pi, PaymentIntent)
        try:
            page = await client.customers.list(limit=3)
        except StripeError as exc:
            assert exc.http_status == status
        else:
            assert all(isinstance(c, Customer) for c in page.data)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, VALID_PI[:-5]),  # truncated JSON
        (200, b"[1, 2, 3]"),  # a JSON array
        (200, b""),  # empty body
        (200, b'{"object": "payment_intent"}'),  # no id
        (500, b"[1, 2, 3]"),
        (400, b""),
    ],
)
async def test_malformed_replies_are_api_errors_that_show_the_body(
    status: int, body: bytes
) -> None:
    async with client_for(status, body, "application/json") as client:
        with pytest.raises(APIError if status != 400 else StripeError) as caught:
            await client.payment_intents.create(amount=100, currency="usd")
    assert caught.value.http_status == status
    shown = body[:20].decode() if body else "<empty body>"
    assert shown in str(caught.value)


HUGE_ERROR_SCRIPT = """
import asyncio, json, httpx
from stripe_async import StripeClient, StripeError

body = json.dumps({"error": {"type": "invalid_request_error", "message": "x" * 2_000_000}})

async def main():
    transport = httpx.MockTransport(lambda request: httpx.Response(400, content=body))
    async with StripeClient("sk_test_x", transport=transport, rate_limit=None) as client:
        try:
            await client.payment_intents.create(amount=100, currency="usd")
        except StripeError as exc:
            print(type(exc).__name__, exc.http_status, exc.type)

asyncio.run(main())
"""


def test_a_huge_error_message_is_a_typed_error_in_reasonable_time() -> None:
    # In a child process: a regex backtracking quadratically over the message (in
    # redaction, say) holds the GIL, so only a process can be timed out.
    try:
        done = subprocess.run(
            [sys.executable, "-c", HUGE_ERROR_SCRIPT], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a 2 MB error message took over 60 s to become an exception")
    assert done.stdout.split() == ["InvalidRequestError", "400", "invalid_request_error"]


async def test_a_huge_non_json_body_is_cut_short() -> None:
    async with client_for(502, HUGE.encode(), "text/html") as client:
        with pytest.raises(APIError) as caught:
            await client.payment_intents.create(amount=100, currency="usd")
    assert len(str(caught.value)) < 10_000
