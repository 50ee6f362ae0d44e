"""Per-call options on every method and on request(): headers, stripe_context, base, v2 JSON."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from client_support import TEST_KEY, RecordingSleep
from loop_backends import on_both_loops

from stripe_async import InvalidArgumentError, StripeClient
from stripe_async._requester import encode_body
from stripe_async.errors import (
    FinancialAccountNotOpenError,
    IdempotencyError,
    InvalidRequestError,
    TemporarySessionExpiredError,
)

CUSTOMER = {"id": "cus_1", "object": "customer"}


def form(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode())


async def test_headers_on_a_generated_method_are_sent_as_headers_not_form_fields(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.post("/v1/customers").respond(200, json=CUSTOMER)
    await client.customers.create(email="a@b.co", headers={"X-Trace": "abc", "stripe-version": "x"})
    request = route.calls.last.request
    assert request.headers["X-Trace"] == "abc"
    # Merged after ours, whatever the case of the name: the caller's value wins, once.
    assert request.headers.get_list("Stripe-Version") == ["x"]
    assert form(request) == {"email": ["a@b.co"]}


async def test_headers_on_request_and_on_a_list_page(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/customers").respond(
        200, json={"object": "list", "data": [], "has_more": False, "url": "/v1/customers"}
    )
    await client.customers.list(limit=1, headers={"X-Page": "1"})
    assert route.calls.last.request.headers["X-Page"] == "1"
    assert "headers" not in str(route.calls.last.request.url)
    await client.request("get", "/v1/customers", headers={"X-Raw": "yes"})
    assert route.calls.last.request.headers["X-Raw"] == "yes"


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("Authorization", "api_key"),
        ("authorization", "api_key"),
        ("Content-Length", "computed"),
        ("Host", "base_addresses"),
        ("Transfer-Encoding", "HTTP layer"),
    ],
)
async def test_headers_the_sdk_owns_are_refused_before_sending(
    client: StripeClient, api: respx.MockRouter, name: str, hint: str
) -> None:
    route = api.post("/v1/customers").respond(200, json=CUSTOMER)
    with pytest.raises(InvalidArgumentError, match=hint):
        await client.customers.create(headers={name: "Bearer sk_test_other"})
    assert not route.called


@pytest.mark.parametrize(
    "headers",
    [{"X-Bad": "a\r\nInjected: 1"}, {"Bad Name": "x"}, {"X-Num": 1}, {"X-Uni": "é"}],
)
async def test_malformed_headers_are_refused(
    client: StripeClient, api: respx.MockRouter, headers: dict[str, Any]
) -> None:
    route = api.post("/v1/customers").respond(200, json=CUSTOMER)
    with pytest.raises(InvalidArgumentError):
        await client.customers.create(headers=headers)
    assert not route.called


async def test_an_idempotency_key_header_is_the_calls_key_on_every_attempt(
    client: StripeClient, api: respx.MockRouter, sleeps: RecordingSleep
) -> None:
    route = api.post("/v1/customers")
    route.side_effect = [
        httpx.Response(500, json={"error": {}}),
        httpx.Response(200, json=CUSTOMER),
    ]
    customer = await client.customers.create(headers={"idempotency-key": "order-42"})
    keys = [call.request.headers.get_list("Idempotency-Key") for call in route.calls]
    assert keys == [["order-42"], ["order-42"]]
    assert customer.last_response is not None
    assert customer.last_response.idempotency_key == "order-42"


async def test_two_different_idempotency_keys_for_one_call_are_refused(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.post("/v1/customers").respond(200, json=CUSTOMER)
    with pytest.raises(InvalidArgumentError, match="differ"):
        await client.customers.create(idempotency_key="a", headers={"Idempotency-Key": "b"})
    await client.customers.create(idempotency_key="a", headers={"Idempotency-Key": "a"})
    assert route.calls.last.request.headers.get_list("Idempotency-Key") == ["a"]
    with pytest.raises(InvalidArgumentError, match="POST"):
        await client.customers.retrieve("cus_1", headers={"Idempotency-Key": "x"})


async def test_stripe_context_client_level_per_call_and_with_options(
    api: respx.MockRouter, sleeps: RecordingSleep
) -> None:
    route = api.get("/v1/balance").respond(200, json={"object": "balance"})
    async with StripeClient(TEST_KEY, rate_limit=None, stripe_context="acct_1") as stripe:
        await stripe.balance.retrieve()
        assert route.calls.last.request.headers["Stripe-Context"] == "acct_1"
        await stripe.balance.retrieve(stripe_context="acct_1/acct_2")
        assert route.calls.last.request.headers["Stripe-Context"] == "acct_1/acct_2"
        await stripe.balance.retrieve(stripe_context=None)
        assert "Stripe-Context" not in route.calls.last.request.headers
        other = stripe.with_options(stripe_context="acct_9")
        await other.balance.retrieve()
        assert route.calls.last.request.headers["Stripe-Context"] == "acct_9"
        await other.request("get", "/v1/balance", stripe_context="acct_8")
        assert route.calls.last.request.headers["Stripe-Context"] == "acct_8"
        await stripe.with_options(stripe_context=None).balance.retrieve()
        assert "Stripe-Context" not in route.calls.last.request.headers
        # The original keeps its own.
        await stripe.balance.retrieve()
        assert route.calls.last.request.headers["Stripe-Context"] == "acct_1"


class Context:
    """Something whose str() is the header, as a context class of another library is."""

    def __str__(self) -> str:
        return "acct_1/acct_2"


async def test_stripe_context_takes_an_object_whose_str_is_the_header(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/balance").respond(200, json={"object": "balance"})
    await client.balance.retrieve(stripe_context=Context())  # type: ignore[typeddict-item]
    assert route.calls.last.request.headers["Stripe-Context"] == "acct_1/acct_2"
    with pytest.raises(InvalidArgumentError):
        await client.balance.retrieve(stripe_context="acct_1\nX: y")
    with pytest.raises(InvalidArgumentError):
        StripeClient(TEST_KEY, stripe_context=object())  # type: ignore[arg-type]


@on_both_loops
async def test_request_base_picks_each_stripe_host() -> None:
    hosts = {
        "api": "https://api.stripe.com",
        "files": "https://files.stripe.com",
        "connect": "https://connect.stripe.com",
        "meter_events": "https://meter-events.stripe.com",
    }
    with respx.mock(assert_all_called=True) as mock:
        routes = {
            base: mock.post(f"{host}/v1/thing").respond(200, json={"object": "thing"})
            for base, host in hosts.items()
        }
        async with StripeClient(TEST_KEY, rate_limit=None) as stripe:
            for base in hosts:
                await stripe.request("post", "/v1/thing", base=base)  # type: ignore[arg-type]
            with pytest.raises(InvalidArgumentError, match="base"):
                await stripe.request("post", "/v1/thing", base="elsewhere")  # type: ignore[arg-type]
    assert all(route.call_count == 1 for route in routes.values())


async def test_oauth_token_path_reaches_connect_with_base() -> None:
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post("https://connect.stripe.com/oauth/token").respond(
            200, json={"stripe_user_id": "acct_1"}
        )
        async with StripeClient(TEST_KEY, rate_limit=None) as stripe:
            reply = await stripe.request(
                "post", "/oauth/token", params={"grant_type": "x"}, base="connect"
            )
    assert reply["stripe_user_id"] == "acct_1"
    assert form(route.calls.last.request) == {"grant_type": ["x"]}


async def test_v2_post_sends_json_with_an_idempotency_key_and_context(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.post("/v2/core/event_destinations").respond(
        200, json={"id": "ed_1", "object": "v2.core.event_destination"}
    )
    params = {
        "name": "dest",
        "enabled_events": ["v1.billing.meter.error_report_triggered"],
        "event_payload": "thin",
        "webhook_endpoint": {"url": "https://example.com/hook"},
        "include": [],
        "metadata": {"a": None},
    }
    await client.request(
        "post", "/v2/core/event_destinations", params=params, stripe_context="acct_1"
    )
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == params
    assert request.headers["Stripe-Context"] == "acct_1"
    assert len(request.headers["Idempotency-Key"]) == 36


async def test_v2_delete_gets_an_idempotency_key_and_v1_delete_does_not(
    client: StripeClient, api: respx.MockRouter
) -> None:
    v2 = api.delete("/v2/core/event_destinations/ed_1").respond(200, json={"id": "ed_1"})
    v1 = api.delete("/v1/customers/cus_1").respond(200, json={"id": "cus_1", "deleted": True})
    await client.request("delete", "/v2/core/event_destinations/ed_1", idempotency_key="del-1")
    assert v2.calls.last.request.headers["Idempotency-Key"] == "del-1"
    assert v2.calls.last.request.content == b""
    await client.request("delete", "/v1/customers/cus_1")
    assert "Idempotency-Key" not in v1.calls.last.request.headers


async def test_v2_get_sends_params_in_the_query(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v2/core/events").respond(200, json={"data": [], "next_page_url": None})
    await client.request("get", "/v2/core/events", params={"object_id": "mtr_1", "limit": 2})
    url = route.calls.last.request.url
    assert parse_qs(url.query.decode()) == {"object_id": ["mtr_1"], "limit": ["2"]}
    assert route.calls.last.request.content == b""


@pytest.mark.parametrize(
    ("status", "error", "cls"),
    [
        (400, {"type": "temporary_session_expired", "code": "x"}, TemporarySessionExpiredError),
        (400, {"type": "financial_account_not_open"}, FinancialAccountNotOpenError),
        (409, {"type": "idempotency_error", "message": "reused"}, IdempotencyError),
        (400, {"type": "invalid_request_error", "message": "bad"}, InvalidRequestError),
    ],
)
async def test_v2_errors_are_mapped_from_v2s_shape(
    client: StripeClient,
    api: respx.MockRouter,
    status: int,
    error: dict[str, Any],
    cls: type[Exception],
) -> None:
    api.post("/v2/billing/meter_event_session").respond(status, json={"error": error})
    with pytest.raises(cls):
        await client.request("post", "/v2/billing/meter_event_session", max_retries=0)


async def test_a_v2_type_on_a_v1_path_keeps_v1_mapping(
    client: StripeClient, api: respx.MockRouter
) -> None:
    api.post("/v1/customers").respond(400, json={"error": {"type": "temporary_session_expired"}})
    with pytest.raises(InvalidRequestError) as info:
        await client.customers.create()
    assert not isinstance(info.value, TemporarySessionExpiredError)


def test_encode_body_for_each_kind() -> None:
    body = encode_body("POST", {"a": {"b": 1}}, v2=True)
    assert (body.content, body.content_type, body.query) == (
        b'{"a":{"b":1}}',
        "application/json",
        "",
    )
    body = encode_body("POST", {"a": {"b": 1}})
    assert (body.content, body.content_type) == (b"a[b]=1", "application/x-www-form-urlencoded")
    body = encode_body("GET", {"a": {"b": 1}}, v2=True)
    assert (body.content, body.query) == (None, "a[b]=1")
    assert body.pairs == [("a[b]", "1")]


async def test_card_numbers_in_v2_json_and_in_caller_headers_are_refused(
    client: StripeClient, api: respx.MockRouter
) -> None:
    from stripe_async import PCIComplianceError

    route = api.post("/v2/core/vault/x").respond(200, json={})
    with pytest.raises(PCIComplianceError):
        await client.request(
            "post", "/v2/core/vault/x", params={"n": {"number": "4242424242424242"}}
        )
    with pytest.raises(PCIComplianceError):
        await client.request("post", "/v2/core/vault/x", headers={"X-Card": "4242424242424242"})
    assert not route.called
