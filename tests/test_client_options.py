"""Client options: app_info in the User-Agent headers, a caller's User-Agent, proxy=, hosts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import respx
import stripe
from client_support import TEST_KEY
from loop_backends import on_both_loops
from stripe._api_requestor import _APIRequestor

from stripe_async import InvalidArgumentError, StripeClient, __version__
from stripe_async._options import format_app_info

APP = {
    "name": "MyCartPlugin",
    "version": "1.2.0",
    "url": "https://cart.example",
    "partner_id": "pp_partner_1",
}


def official_app_info(**info: str) -> dict[str, str | None]:
    """app_info as stripe-python keeps it once set (set_app_info)."""
    saved = stripe.app_info
    try:
        stripe.set_app_info(**info)  # type: ignore[arg-type]
        return dict(stripe.app_info)  # type: ignore[arg-type]
    finally:
        stripe.app_info = saved


@pytest.mark.parametrize(
    "info",
    [
        APP,
        {"name": "Bare"},
        {"name": "NoUrl", "version": "2"},
        {"name": "NoVersion", "url": "https://x"},
    ],
)
async def test_app_info_is_formatted_as_stripes_sdks_do(info: dict[str, str]) -> None:
    theirs = official_app_info(**info)
    with respx.mock(base_url="https://api.stripe.com") as mock:
        route = mock.get("/v1/balance").respond(200, json={"object": "balance"})
        async with StripeClient(TEST_KEY, rate_limit=None, app_info=info) as client:  # type: ignore[arg-type]
            await client.balance.retrieve()
    headers = route.calls.last.request.headers
    suffix = _APIRequestor._format_app_info(theirs)
    assert format_app_info(theirs) == suffix
    assert headers["User-Agent"].endswith(" " + suffix)
    assert headers["User-Agent"].startswith(f"stripe-async/{__version__} ")
    facts = json.loads(headers["X-Stripe-Client-User-Agent"])
    assert facts["application"] == theirs
    assert facts["bindings_version"] == __version__
    assert facts["lang"] == "python"


async def test_without_app_info_no_application_is_sent(
    client: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/balance").respond(200, json={"object": "balance"})
    await client.balance.retrieve()
    facts = json.loads(route.calls.last.request.headers["X-Stripe-Client-User-Agent"])
    assert "application" not in facts


@pytest.mark.parametrize(
    "info",
    [
        {},
        {"version": "1"},
        {"name": ""},
        {"name": "x", "colour": "red"},
        {"name": "a\nb"},
        "MyPlugin",
    ],
)
def test_bad_app_info_is_refused(info: object) -> None:
    with pytest.raises(InvalidArgumentError):
        StripeClient(TEST_KEY, app_info=info)  # type: ignore[arg-type]


async def test_a_user_agent_on_the_callers_http_client_comes_first() -> None:
    with respx.mock(base_url="https://api.stripe.com") as mock:
        route = mock.get("/v1/balance").respond(200, json={"object": "balance"})
        async with httpx.AsyncClient(headers={"User-Agent": "acme-billing/3.1"}) as http:
            client = StripeClient(
                TEST_KEY, rate_limit=None, http_client=http, app_info={"name": "P"}
            )
            await client.balance.retrieve()
            agent = route.calls.last.request.headers["User-Agent"]
            assert agent.startswith("acme-billing/3.1 stripe-async/")
            assert agent.endswith(" P")
            # A per-call header is the caller's final word.
            await client.balance.retrieve(headers={"User-Agent": "just-me"})
            assert route.calls.last.request.headers.get_list("User-Agent") == ["just-me"]
        async with httpx.AsyncClient() as plain:  # httpx's default agent is not the caller's
            await StripeClient(TEST_KEY, rate_limit=None, http_client=plain).balance.retrieve()
            assert route.calls.last.request.headers["User-Agent"].startswith("stripe-async/")


class _Proxy(BaseHTTPRequestHandler):
    seen: list[str]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.seen.append(self.requestline)  # type: ignore[attr-defined]
        body = json.dumps({"id": "cus_1", "object": "customer"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@on_both_loops
async def test_proxy_routes_the_clients_own_pool_through_it(
    proxy_server: ThreadingHTTPServer,
) -> None:
    host, port = proxy_server.server_address[:2]
    # A name that never resolves: only a proxy can answer for it.
    async with StripeClient(
        TEST_KEY,
        rate_limit=None,
        max_retries=0,
        base_url="http://stripe-api.invalid",
        proxy=f"http://{host}:{port}",
    ) as client:
        customer = await client.customers.create(email="a@b.co")
        assert customer.id == "cus_1"
    assert proxy_server.seen == [  # type: ignore[attr-defined]
        "POST http://stripe-api.invalid/v1/customers HTTP/1.1"
    ]


def test_proxy_with_a_callers_client_or_transport_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="proxy"):
        StripeClient(TEST_KEY, proxy="http://127.0.0.1:1", http_client=httpx.AsyncClient())
    with pytest.raises(InvalidArgumentError, match="proxy"):
        StripeClient(
            TEST_KEY,
            proxy="http://127.0.0.1:1",
            transport=httpx.MockTransport(lambda r: httpx.Response(200)),
        )


@on_both_loops
async def test_base_addresses_move_every_host() -> None:
    hosts = {
        "api": "http://api.test",
        "files": "http://files.test",
        "connect": "http://connect.test",
        "meter_events": "http://meters.test",
    }
    with respx.mock(assert_all_called=True) as mock:
        routes = {
            base: mock.post(f"{host}/v1/x").respond(200, json={"object": "x"})
            for base, host in hosts.items()
        }
        async with StripeClient(TEST_KEY, rate_limit=None, base_addresses=hosts) as client:  # type: ignore[arg-type]
            for base in hosts:
                await client.request("post", "/v1/x", base=base)  # type: ignore[arg-type]
    assert [route.call_count for route in routes.values()] == [1, 1, 1, 1]


async def test_one_moved_host_leaves_the_others_on_stripe() -> None:
    with respx.mock(assert_all_called=True) as mock:
        files = mock.post("http://127.0.0.1:9/v1/files").respond(
            200, json={"id": "file_1", "object": "file"}
        )
        api = mock.get("https://api.stripe.com/v1/balance").respond(200, json={"object": "balance"})
        async with StripeClient(
            TEST_KEY, rate_limit=None, base_addresses={"files": "http://127.0.0.1:9"}
        ) as client:
            await client.files.create(file=b"x", purpose="dispute_evidence")
            await client.balance.retrieve()
    assert files.called and api.called


async def test_a_custom_api_host_takes_every_kind_not_moved_itself() -> None:
    # The emulator and stripe-mock answer uploads and OAuth on their one address.
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post("http://localhost:12111/oauth/token").respond(200, json={})
        async with StripeClient(
            TEST_KEY, rate_limit=None, base_url="http://localhost:12111"
        ) as client:
            await client.request("post", "/oauth/token", base="connect")
    assert route.called


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_addresses": {"apis": "https://x"}},
        {"base_addresses": {"files": "ftp://x"}},
        {"base_addresses": "https://x"},
        {"base_addresses": {"api": "https://a.test"}, "base_url": "https://b.test"},
    ],
)
def test_bad_base_addresses_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidArgumentError):
        StripeClient(TEST_KEY, **kwargs)  # type: ignore[arg-type]
