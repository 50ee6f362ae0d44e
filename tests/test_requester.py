"""The request loop: headers, idempotency, retries, errors, logging (respx, no network)."""

from __future__ import annotations

import logging
import platform
import uuid
from typing import Any

import httpx
import pytest
import respx

from stripe_async import (
    API_VERSION,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CardError,
    InvalidArgumentError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StripeClient,
    __version__,
)

PI = {"id": "pi_123", "object": "payment_intent", "amount": 1000, "currency": "usd"}
ERR_500 = {"error": {"type": "api_error", "message": "boom"}}


async def test_headers_on_post(client: StripeClient, api: respx.MockRouter) -> None:
    route = api.post("/v1/payment_intents").respond(json=PI, headers={"Request-Id": "req_1"})
    pi = await client.payment_intents.create(amount=1000, currency="usd")
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc"
    assert request.headers["Stripe-Version"] == API_VERSION
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["User-Agent"] == (
        f"stripe-async/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
    )
    assert "Stripe-Account" not in request.headers
    uuid.UUID(request.headers["Idempotency-Key"], version=4)
    assert request.content == b"amount=1000&currency=usd"
    assert pi.last_response is not None
    assert pi.last_response.request_id == "req_1"
    assert pi.last_response.idempotency_key == request.headers["Idempotency-Key"]


async def test_get_and_delete_carry_no_idempotency_key_and_use_the_query(
    client: StripeClient, api: respx.MockRouter
) -> None:
    get = api.get("/v1/customers/cus_1").respond(json={"id": "cus_1", "object": "customer"})
    delete = api.delete("/v1/customers/cus_1").respond(
        json={"id": "cus_1", "object": "customer", "deleted": True}
    )
    await client.customers.retrieve("cus_1", expand=["default_source"])
    deleted = await client.customers.delete("cus_1")
    assert deleted.deleted is True
    for route in (get, delete):
        request = route.calls.last.request
        assert "Idempotency-Key" not in request.headers
        assert "Content-Type" not in request.headers
    assert get.calls.last.request.url.query == b"expand[0]=default_source"
    with pytest.raises(ValueError, match="POST"):
        await client.customers.retrieve("cus_1", idempotency_key="k")  # type: ignore[call-arg]


async def test_caller_idempotency_key_is_validated_and_sent(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.post("/v1/customers").respond(json={"id": "cus_1", "object": "customer"})
    await client.customers.create(email="a@b.co", idempotency_key="order-42")
    assert route.calls.last.request.headers["Idempotency-Key"] == "order-42"
    with pytest.raises(ValueError, match="empty"):
        await client.customers.create(idempotency_key="  ")
    with pytest.raises(ValueError, match="255"):
        await client.customers.create(idempotency_key="k" * 256)
    assert route.call_count == 1


async def test_one_key_per_logical_call_kept_across_retries(
    client: StripeClient, api: respx.MockRouter, sleeps: object
) -> None:
    route = api.post("/v1/payment_intents")
    route.side_effect = [
        httpx.ConnectError("reset"),
        httpx.Response(500, json=ERR_500),
        httpx.Response(200, json=PI),
    ]
    await client.payment_intents.create(amount=1000, currency="usd")
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert route.call_count == 3 and len(keys) == 1
    route.side_effect = None
    route.return_value = httpx.Response(200, json=PI)
    await client.payment_intents.create(amount=1000, currency="usd")
    assert route.calls.last.request.headers["Idempotency-Key"] not in keys


@pytest.mark.parametrize("status", [409, 429, 500, 502, 503, 504])
async def test_retryable_statuses_are_retried(
    client: StripeClient, api: respx.MockRouter, status: int
) -> None:
    route = api.get("/v1/balance")
    route.side_effect = [
        httpx.Response(status, json=ERR_500),
        httpx.Response(200, json={"object": "balance"}),
    ]
    await client.balance.retrieve()
    assert route.call_count == 2


@pytest.mark.parametrize(
    ("status", "error_type", "expected"),
    [
        (400, "invalid_request_error", InvalidRequestError),
        (401, "invalid_request_error", AuthenticationError),
        (402, "card_error", CardError),
        (403, "invalid_request_error", PermissionDeniedError),
        (404, "invalid_request_error", NotFoundError),
    ],
)
async def test_other_4xx_are_not_retried(
    client: StripeClient, api: respx.MockRouter, status: int, error_type: str, expected: type
) -> None:
    route = api.post("/v1/payment_intents").respond(
        status,
        json={"error": {"type": error_type, "message": "no"}},
        headers={"Request-Id": "req_x"},
    )
    with pytest.raises(expected) as info:
        await client.payment_intents.create(amount=1000, currency="usd")
    assert route.call_count == 1
    assert info.value.request_id == "req_x"
    assert info.value.idempotency_key == route.calls.last.request.headers["Idempotency-Key"]


async def test_should_retry_header_both_ways(client: StripeClient, api: respx.MockRouter) -> None:
    route = api.post("/v1/customers")
    route.side_effect = [
        httpx.Response(
            400,
            json={"error": {"type": "invalid_request_error"}},
            headers={"Stripe-Should-Retry": "true"},
        ),
        httpx.Response(200, json={"id": "cus_1", "object": "customer"}),
    ]
    await client.customers.create()
    assert route.call_count == 2

    route.side_effect = None
    route.return_value = httpx.Response(503, json=ERR_500, headers={"Stripe-Should-Retry": "false"})
    with pytest.raises(APIError):
        await client.customers.create()
    assert route.call_count == 3


async def test_retry_after_wins(
    client: StripeClient, api: respx.MockRouter, sleeps: object
) -> None:
    route = api.get("/v1/balance")
    route.side_effect = [
        httpx.Response(
            429, json={"error": {"type": "rate_limit_error"}}, headers={"Retry-After": "7"}
        ),
        httpx.Response(
            429, json={"error": {"type": "rate_limit_error"}}, headers={"Retry-After": "900"}
        ),
        httpx.Response(200, json={"object": "balance"}),
    ]
    await client.balance.retrieve()
    assert sleeps.delays == [7.0, 60.0]  # type: ignore[attr-defined]


async def test_retries_exhausted_raise_last_error(
    client: StripeClient, api: respx.MockRouter, sleeps: object
) -> None:
    route = api.get("/v1/balance").respond(
        429, json={"error": {"type": "rate_limit_error", "message": "slow down"}}
    )
    with pytest.raises(RateLimitError, match="slow down"):
        await client.balance.retrieve()
    assert route.call_count == 3  # max_retries=2 by default
    assert len(sleeps.delays) == 2  # type: ignore[attr-defined]
    assert all(0.5 <= d <= 1.25 for d in sleeps.delays)  # type: ignore[attr-defined]
    with pytest.raises(RateLimitError):
        await client.balance.retrieve(max_retries=0)
    assert route.call_count == 4
    with pytest.raises(RateLimitError):
        await client.with_options(max_retries=5).balance.retrieve()
    assert route.call_count == 10


async def test_timeouts_and_connection_errors(client: StripeClient, api: respx.MockRouter) -> None:
    route = api.get("/v1/balance")
    route.side_effect = httpx.ReadTimeout("slow")
    with pytest.raises(APITimeoutError, match="timed out"):
        await client.balance.retrieve(timeout=1.5)
    assert route.call_count == 3
    route.side_effect = httpx.ConnectError("connection reset by peer")
    with pytest.raises(APIConnectionError) as info:
        await client.balance.retrieve()
    assert not isinstance(info.value, APITimeoutError)
    route.side_effect = [
        httpx.RemoteProtocolError("dropped"),
        httpx.Response(200, json={"object": "balance"}),
    ]
    balance = await client.balance.retrieve()
    assert balance.object == "balance"


async def test_html_and_garbage_bodies_become_api_errors(
    client: StripeClient, api: respx.MockRouter
) -> None:
    api.get("/v1/customers/cus_html").respond(
        502,
        text="<html><body><h1>502 Bad Gateway</h1></body></html>",
        headers={"content-type": "text/html"},
    )
    with pytest.raises(APIError) as info:
        await client.customers.retrieve("cus_html", max_retries=0)
    assert info.value.http_status == 502 and "Bad Gateway" in info.value.message

    api.get("/v1/customers/cus_trunc").respond(200, text='{"id": "cus_trunc", "obj')
    with pytest.raises(APIError, match="not a valid Customer"):
        await client.customers.retrieve("cus_trunc")
    api.get("/v1/customers/cus_list").respond(200, text="[1, 2]")
    with pytest.raises(APIError):
        await client.customers.retrieve("cus_list")


async def test_per_call_and_with_options_overrides(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/balance").respond(json={"object": "balance"})
    connected = client.with_options(stripe_account="acct_123", stripe_version="2024-06-20")
    await connected.balance.retrieve()
    headers = route.calls.last.request.headers
    assert headers["Stripe-Account"] == "acct_123" and headers["Stripe-Version"] == "2024-06-20"
    await client.balance.retrieve(stripe_account="acct_9", stripe_version="2023-10-16")
    headers = route.calls.last.request.headers
    assert headers["Stripe-Account"] == "acct_9" and headers["Stripe-Version"] == "2023-10-16"
    await client.balance.retrieve()
    assert "Stripe-Account" not in route.calls.last.request.headers
    # The copy shares the pool; closing it leaves the original usable.
    assert connected._requester.http_client is client._requester.http_client
    await connected.aclose()
    await client.balance.retrieve()
    assert not client.is_closed


async def test_logging_one_line_per_attempt_without_secrets(
    api: respx.MockRouter, caplog: pytest.LogCaptureFixture, sleeps: Any
) -> None:
    route = api.post("/v1/customers")
    route.side_effect = [
        httpx.Response(500, json=ERR_500, headers={"Request-Id": "req_a"}),
        httpx.Response(
            200, json={"id": "cus_1", "object": "customer"}, headers={"Request-Id": "req_b"}
        ),
    ]
    raw = StripeClient(
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc", rate_limit=None, allow_raw_card_data=True, sleep=sleeps
    )
    with caplog.at_level(logging.DEBUG, logger="stripe_async"):
        await raw.customers.create(
            description="card 4242424242424242", metadata={"k": "sk_live_abcdef"}
        )
    await raw.aclose()
    info_lines = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(info_lines) == 2
    assert "POST /v1/customers status=500 request_id=req_a attempt=1" in info_lines[0]
    assert "status=200 request_id=req_b attempt=2" in info_lines[1]
    text = caplog.text
    assert "4242424242424242" not in text and "sk_live_abcdef" not in text
    assert "sk_test_4eC39HqLyjWDarjtT1zdp7dc" not in text
    assert "[REDACTED]" in text


# -- local mistakes are caught before any request, never retried ---------------------------


@pytest.mark.parametrize(
    "base_url",
    [
        "htps://api.stripe.com",
        "api.stripe.com",
        "https://",
        "https://api.stripe.com:port",
        "https://api .stripe.com",
        "https://api.stripe.com/\r\nx",
        "https://api.stripe.com?x=1",
        "ftp://api.stripe.com",
    ],
)
def test_a_malformed_base_url_is_rejected_up_front(base_url: str) -> None:
    with pytest.raises(InvalidArgumentError, match="base_url"):
        StripeClient("sk_test_x", base_url=base_url)


def test_usable_base_urls_are_kept_without_a_trailing_slash() -> None:
    client = StripeClient("sk_test_x", base_url="http://127.0.0.1:12111/")
    assert client._requester.config.base_url == "http://127.0.0.1:12111"
    with pytest.raises(TypeError):
        StripeClient("sk_test_x", base_url=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("account", ["acct_1\r\nX-Injected: 1", "acct_1\n", "acct_\x00", "é", " "])
async def test_a_header_breaking_stripe_account_is_rejected_everywhere(
    account: str, client: StripeClient, api: respx.MockRouter, sleeps: Any
) -> None:
    route = api.get("/v1/balance").respond(json={"object": "balance"})
    with pytest.raises(InvalidArgumentError, match="stripe_account"):
        StripeClient("sk_test_x", stripe_account=account)
    with pytest.raises(InvalidArgumentError, match="stripe_account"):
        client.with_options(stripe_account=account)
    with pytest.raises(InvalidArgumentError, match="stripe_account"):
        await client.balance.retrieve(stripe_account=account)
    with pytest.raises(InvalidArgumentError, match="stripe_version"):
        await client.balance.retrieve(stripe_version=account + "\r\n")
    assert route.call_count == 0 and sleeps.delays == []


async def test_a_header_breaking_idempotency_key_is_rejected(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.post("/v1/customers").respond(json={"id": "cus_1", "object": "customer"})
    with pytest.raises(InvalidArgumentError, match="idempotency_key"):
        await client.customers.create(idempotency_key="order-1\r\nX-Injected: 1")
    assert route.call_count == 0


async def test_an_unsupported_scheme_from_the_transport_is_not_retried(
    client: StripeClient, api: respx.MockRouter, sleeps: Any
) -> None:
    api.get("/v1/balance").mock(side_effect=httpx.UnsupportedProtocol("no such scheme"))
    with pytest.raises(InvalidArgumentError):
        await client.balance.retrieve()
    assert sleeps.delays == []


def _user_client(handler: Any, sleeps: Any, **options: Any) -> StripeClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return StripeClient("sk_test_x", http_client=http, rate_limit=None, sleep=sleeps, **options)


async def test_a_user_client_bound_to_a_closed_loop_is_a_connection_error(
    sleeps: Any,
) -> None:
    keys: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        raise RuntimeError("Event loop is closed")

    client = _user_client(handler, sleeps)
    with pytest.raises(APIConnectionError, match="create one per loop") as info:
        await client.customers.create(email="a@example.com", idempotency_key="order-7")
    assert info.value.idempotency_key == "order-7"
    assert keys == ["order-7"] * 3  # retried like a dropped connection, with the same key
    assert len(sleeps.delays) == 2


async def test_a_user_client_recovers_once_its_stale_connection_is_dropped(
    sleeps: Any,
) -> None:
    keys: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) == 1:
            raise RuntimeError(
                "Task <Task pending> got Future <Future> attached to a different loop"
            )
        return httpx.Response(200, json={"id": "cus_1", "object": "customer"})

    client = _user_client(handler, sleeps)
    customer = await client.customers.create(email="a@example.com")
    assert customer.id == "cus_1"
    assert len(keys) == 2 and keys[0] == keys[1]


async def test_other_runtime_errors_of_a_user_client_are_not_disguised(sleeps: Any) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise RuntimeError("the user's own transport has a bug")

    client = _user_client(handler, sleeps)
    with pytest.raises(RuntimeError, match="own transport has a bug"):
        await client.balance.retrieve()
    assert len(calls) == 1 and sleeps.delays == []


async def test_a_loop_error_from_our_own_pool_is_a_bug_and_surfaces(
    client: StripeClient, api: respx.MockRouter, sleeps: Any
) -> None:
    # The pool StripeClient builds is kept per loop: a loop error from it is ours to fix,
    # so it must not be reported (or retried) as a network failure.
    route = api.get("/v1/balance").mock(side_effect=RuntimeError("Event loop is closed"))
    with pytest.raises(RuntimeError, match="Event loop is closed"):
        await client.balance.retrieve()
    assert route.call_count == 1 and sleeps.delays == []
