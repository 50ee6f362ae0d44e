"""StripeClient: configuration, validation, lifecycle, health check, convenience calls."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from stripe_async import (
    API_VERSION,
    AuthenticationError,
    BaseIntegrationClient,
    HealthStatus,
    StripeClient,
    __version__,
)
from stripe_async._ratelimit import SEARCH_RATE

KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"


def test_package_exports() -> None:
    import stripe_async

    assert API_VERSION == "2026-10-28.endive"
    assert __version__ == stripe_async.__version__
    assert issubclass(StripeClient, BaseIntegrationClient)
    assert "StripeClient" in dir(stripe_async)
    with pytest.raises(AttributeError):
        stripe_async.does_not_exist  # noqa: B018


def test_missing_key_names_the_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    with pytest.raises(AuthenticationError, match="STRIPE_API_KEY"):
        StripeClient()
    with pytest.raises(AuthenticationError, match="STRIPE_API_KEY"):
        StripeClient.from_env()


@pytest.mark.parametrize("bad", ["", " sk_test_abc", "sk_test_abc\n", "sk_test ab"])
def test_malformed_keys_rejected_without_echoing_them(bad: str) -> None:
    with pytest.raises(AuthenticationError) as info:
        StripeClient(bad)
    if bad.strip():
        assert bad.strip() not in str(info.value)


def test_non_str_key_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        StripeClient(12345)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"timeout": -1}, ValueError),
        ({"timeout": 0}, ValueError),
        ({"timeout": "5"}, TypeError),
        ({"max_retries": -1}, ValueError),
        ({"max_retries": 1.5}, TypeError),
        ({"rate_limit": 0}, ValueError),
        ({"rate_limit": "fast"}, TypeError),
        ({"stripe_version": ""}, ValueError),
    ],
)
def test_bad_settings_rejected(kwargs: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        StripeClient(KEY, **kwargs)
    assert KEY not in str(info.value)


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIPE_API_KEY", KEY)
    monkeypatch.setenv("STRIPE_ACCOUNT", "acct_1")
    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:9/")
    client = StripeClient.from_env()
    assert client._requester.config.api_key == KEY
    assert client._requester.config.stripe_account == "acct_1"
    assert client._requester.config.base_url == "http://127.0.0.1:9"
    assert KEY not in repr(client) and "test" in repr(client)


def test_rate_limit_defaults_follow_the_key_mode() -> None:
    test = StripeClient(KEY)._requester.limiter
    live = StripeClient("sk_live_abc")._requester.limiter
    custom = StripeClient(KEY, rate_limit=50)._requester.limiter
    assert test is not None and live is not None and custom is not None
    assert (test.reads_per_second, test.writes_per_second, test.search_per_second) == (
        25,
        25,
        SEARCH_RATE,
    )
    assert (live.reads_per_second, live.writes_per_second) == (100, 100)
    assert (custom.reads_per_second, custom.writes_per_second) == (50, 50)
    assert StripeClient(KEY, rate_limit=None)._requester.limiter is None
    assert StripeClient("sk_live_abc").livemode and not StripeClient(KEY).livemode


@pytest.mark.parametrize("bad_id", ["", "   "])
async def test_empty_ids_rejected_before_any_request(
    client: StripeClient, api: respx.MockRouter, bad_id: str
) -> None:
    for call in (
        client.customers.retrieve(bad_id),
        client.customers.update(bad_id, name="x"),
        client.customers.delete(bad_id),
        client.payment_intents.retrieve(bad_id),
        client.payment_intents.confirm(bad_id),
        client.payment_intents.capture(bad_id),
        client.payment_intents.cancel(bad_id),
        client.payment_intents.update(bad_id),
    ):
        with pytest.raises(ValueError, match="non-empty"):
            await call
    assert not api.calls


async def test_ids_are_escaped_in_paths(client: StripeClient, api: respx.MockRouter) -> None:
    route = api.get(url__regex=r".*").respond(json={"id": "x", "object": "customer"})
    await client.customers.retrieve("../balance")
    assert route.calls.last.request.url.raw_path == b"/v1/customers/..%2Fbalance"
    with pytest.raises(TypeError):
        await client.customers.retrieve(None)  # type: ignore[arg-type]


async def test_create_payment_intent_normalises_currency(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.post("/v1/payment_intents").respond(
        json={"id": "pi_1", "object": "payment_intent", "amount": 1000, "currency": "usd"}
    )
    pi = await client.create_payment_intent(1000, "USD", metadata={"order": "42"})
    assert route.calls.last.request.content == b"amount=1000&currency=usd&metadata[order]=42"
    assert pi.id == "pi_1"


@pytest.mark.parametrize(
    ("amount", "currency"),
    [(10.5, "usd"), (0, "usd"), (-5, "usd"), (True, "usd"), (100, "dollars")],
)
async def test_create_payment_intent_rejects_bad_input(
    client: StripeClient, api: respx.MockRouter, amount: Any, currency: str
) -> None:
    with pytest.raises(ValueError):
        await client.create_payment_intent(amount, currency)
    assert not api.calls


async def test_health_check_ok(client: StripeClient, api: respx.MockRouter) -> None:
    route = api.get("/v1/balance").respond(json={"object": "balance", "livemode": False})
    health = await client.health_check()
    assert isinstance(health, HealthStatus) and health.ok
    assert health.status == "ok" and health.livemode is False and health.api_version == API_VERSION
    assert health.latency_ms >= 0 and health.error is None
    assert route.calls.last.request.extensions["timeout"]["read"] == 5.0


async def test_health_check_down_without_secrets(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/balance").respond(
        401,
        json={
            "error": {
                "type": "invalid_request_error",
                "message": f"Invalid API Key provided: {KEY}",
            }
        },
    )
    health = await client.health_check()
    assert health.status == "down" and not health.ok
    assert health.error is not None and "AuthenticationError" in health.error
    assert KEY not in json.dumps(health.model_dump())
    assert route.call_count == 1  # a probe never retries
    route.side_effect = httpx.ConnectError("refused")
    down = await client.health_check()
    assert down.status == "down" and "APIConnectionError" in (down.error or "")


async def test_lifecycle_close_twice_and_shared_http_client(api: respx.MockRouter) -> None:
    async with StripeClient(KEY) as client:
        assert not client.is_closed
    assert client.is_closed
    await client.aclose()  # harmless

    pool = httpx.AsyncClient()
    external = StripeClient(KEY, http_client=pool)
    await external.aclose()
    assert not pool.is_closed  # a pool the caller passed in stays the caller's
    await pool.aclose()
    with pytest.raises(ValueError, match="either"):
        StripeClient(
            KEY,
            http_client=httpx.AsyncClient(),
            transport=httpx.MockTransport(lambda r: httpx.Response(200)),
        )


def test_with_options_validates() -> None:
    client = StripeClient(KEY)
    with pytest.raises(ValueError):
        client.with_options(timeout=-1)
    with pytest.raises(ValueError):
        client.with_options(max_retries=-2)
    with pytest.raises(ValueError):
        client.with_options(stripe_version=" ")
    copy = client.with_options(timeout=3, api_key="sk_test_other", stripe_account=None)
    assert copy._requester.config.timeout == 3.0
    assert copy._requester.limiter is client._requester.limiter


def test_bad_input_errors_are_stripe_errors_and_value_errors() -> None:
    from stripe_async import InvalidAPIKeyError, InvalidArgumentError, StripeError

    with pytest.raises(InvalidArgumentError) as info:
        StripeClient(KEY, timeout=-1)
    assert isinstance(info.value, StripeError) and isinstance(info.value, ValueError)
    with pytest.raises(InvalidAPIKeyError) as key_info:
        StripeClient("")
    assert isinstance(key_info.value, AuthenticationError) and isinstance(
        key_info.value, ValueError
    )


@pytest.mark.parametrize("bad", ["sk_test_é1", "sk_test_\x00abc"])
def test_keys_no_stripe_key_could_have_are_refused(bad: str) -> None:
    with pytest.raises(AuthenticationError) as info:
        StripeClient(bad)
    assert bad not in str(info.value)


def test_config_repr_never_shows_the_key() -> None:
    client = StripeClient("sk_live_SECRETVALUE123")
    assert "SECRETVALUE123" not in repr(client._requester.config)
    assert "SECRETVALUE123" not in repr(client)


async def test_a_closed_client_raises_a_stripe_error(api: respx.MockRouter) -> None:
    from stripe_async import APIConnectionError

    async with StripeClient(KEY, rate_limit=None) as client:
        pass
    with pytest.raises(APIConnectionError, match="closed"):
        await client.customers.create(email="a@b.co")
    assert not api.calls


async def test_os_errors_from_a_transport_are_connection_errors(sleeps: Any) -> None:
    from stripe_async import APIConnectionError

    calls = 0

    class Broken(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal calls
            calls += 1
            raise ConnectionResetError("reset by peer")

    async with StripeClient(KEY, rate_limit=None, transport=Broken(), sleep=sleeps) as client:
        with pytest.raises(APIConnectionError, match="ConnectionResetError"):
            await client.balance.retrieve()
    assert calls == 3


# --- client.request: the escape hatch -----------------------------------------


async def test_request_reaches_any_endpoint_through_the_loop(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.post("/v1/some/new_endpoint").mock(
        side_effect=[
            httpx.Response(500, json={"error": {"type": "api_error", "message": "try again"}}),
            httpx.Response(200, json={"id": "new_1", "object": "new_thing", "flag": True}),
        ]
    )
    obj = await client.with_options(max_retries=1).request(
        "post",
        "/v1/some/new_endpoint",
        params={"amount": 5, "nested": {"a": "b"}},
        idempotency_key="idem-escape-1",
        stripe_account="acct_9",
    )
    from stripe_async.models import StripeObject

    assert isinstance(obj, StripeObject)
    assert obj.id == "new_1"
    assert obj.model_extra is not None and obj.model_extra["flag"] is True
    assert obj.last_response is not None and obj.last_response.http_status == 200
    first, second = (call.request for call in route.calls)
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"] == "idem-escape-1"
    assert second.headers["Stripe-Account"] == "acct_9"
    assert parse_qs(second.content.decode()) == {"amount": ["5"], "nested[a]": ["b"]}


async def test_request_parses_into_the_given_model_and_maps_errors(
    client: StripeClient, api: respx.MockRouter
) -> None:
    from stripe_async import NotFoundError
    from stripe_async.models import Customer

    api.get("/v1/customers/cus_1", params={"expand[0]": "default_source"}).respond(
        200, json={"id": "cus_1", "object": "customer", "email": "a@example.com"}
    )
    customer = await client.request(
        "GET", "/v1/customers/cus_1", params={"expand": ["default_source"]}, model=Customer
    )
    assert isinstance(customer, Customer)
    assert customer.email == "a@example.com"
    api.delete("/v1/things/missing").respond(
        404, json={"error": {"type": "invalid_request_error", "message": "No such thing"}}
    )
    with pytest.raises(NotFoundError, match="No such thing"):
        await client.request("delete", "/v1/things/missing")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/v1/customers"),
        ("get", "https://evil.example/v1/customers"),
        ("get", "//evil.example/v1"),
        ("get", "v1/customers"),
        (None, "/v1/customers"),
    ],
)
async def test_request_refuses_what_would_leave_the_api(
    client: StripeClient, api: respx.MockRouter, method: Any, path: str
) -> None:
    from stripe_async import InvalidArgumentError

    with pytest.raises(InvalidArgumentError):
        await client.request(method, path)
    assert not api.calls


async def test_request_refuses_non_mapping_params(client: StripeClient) -> None:
    from stripe_async import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match="mapping"):
        await client.request("post", "/v1/customers", params=[("a", "b")])  # type: ignore[call-overload]


# --- the service tree is built on first use -----------------------------------


def test_services_are_created_on_first_access_and_kept() -> None:
    client = StripeClient(KEY)
    assert "checkout" not in vars(client)
    sessions = client.checkout.sessions
    assert client.checkout.sessions is sessions
    assert type(sessions).__name__ == "CheckoutSessionsService"
    assert client.invoices.lines is client.invoices.line_items
    assert client.with_options(stripe_account="acct_1").checkout.sessions is not sessions


def test_a_new_client_imports_and_builds_nothing_it_has_not_used() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from stripe_async import StripeClient\n"
        "client = StripeClient('sk_test_lazy')\n"
        "before = set(sys.modules)\n"
        "client.checkout.sessions\n"
        "after = set(sys.modules)\n"
        "print(sorted(m for m in before if m.startswith(('httpcore', 'pydantic.main', "
        "'stripe_async.models.', 'stripe_async.resources.'))))\n"
        "print('stripe_async.resources.checkout.sessions' in after, "
        "'stripe_async.resources.customers' in after)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["['stripe_async.resources._services']", "True False"]


async def test_the_pool_is_built_by_the_first_request_and_never_after_close(
    api: respx.MockRouter,
) -> None:
    from stripe_async import APIConnectionError

    api.get("/v1/balance").respond(200, json={"object": "balance"})
    client = StripeClient(KEY, rate_limit=None)
    pool = client._requester.pool
    assert pool._client is None and not client.is_closed
    await client.balance.retrieve()
    assert pool._client is not None
    copy = client.with_options(stripe_account="acct_1")
    assert copy._requester.pool is pool
    await client.aclose()
    assert client.is_closed and copy.is_closed
    unused = StripeClient(KEY)
    await unused.aclose()
    assert unused._requester.pool._client is None
    with pytest.raises(APIConnectionError, match="closed"):
        await unused.balance.retrieve()
    assert unused._requester.pool._client is None


def test_unknown_attributes_are_attribute_errors() -> None:
    client = StripeClient(KEY)
    with pytest.raises(AttributeError, match="custmers"):
        client.custmers  # type: ignore[attr-defined]  # noqa: B018
    assert not hasattr(client, "_not_a_service")
    assert client.customers is client.customers
    assert "customers" in vars(client)
