"""The served emulator answers this machine only: Host, Origin, CORS and webhook targets.

Each test talks to a real `python -m stripe_async emulator` on a 127.0.0.1 port.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from served_emulator import free_port, serve_emulator

from stripe_async import InvalidRequestError, StripeClient
from stripe_async.testing import StripeEmulator
from stripe_async.testing._front import LocalFront

KEY = ("sk_test_local", "")
EVIL = "https://evil.example"
APP = "https://app.example:8443"


def _serve(*extra: str) -> Iterator[str]:
    yield from serve_emulator(*extra, start_within=20)


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    yield from _serve("--seed", "5")


@pytest.fixture(scope="module")
def served_open() -> Iterator[str]:
    yield from _serve(
        "--allow-host",
        "emulator.test",
        "--allow-host",
        "stripe.internal",
        "--allow-origin",
        APP,
        "--allow-webhook-host",
        "receiver.test",
    )


def _refusal(reply: httpx.Response, status: int) -> str:
    assert reply.status_code == status, reply.text
    assert "access-control-allow-origin" not in reply.headers
    error = reply.json()["error"]
    assert error["type"] == "invalid_request_error"
    message: str = error["message"]
    return message


def _customers(base: str, **headers: str) -> httpx.Response:
    return httpx.post(
        base + "/v1/customers", data={"email": "a@example.com"}, auth=KEY, headers=headers
    )


def _preflight(base: str, origin: str, **headers: str) -> httpx.Response:
    return httpx.options(
        base + "/v1/customers",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
            **headers,
        },
    )


def test_a_foreign_host_is_refused(served: str) -> None:
    # DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1.
    port = served.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}"):
        message = _refusal(_customers(served, Host=host), 400)
        assert "--allow-host" in message
    refused = httpx.get(served + "/v1/customers", auth=KEY, headers={"Host": "evil.example"})
    _refusal(refused, 400)


def test_loopback_hosts_are_answered(served: str) -> None:
    port = served.rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST"):
        reply = _customers(served, Host=host)
        assert reply.status_code == 200, (host, reply.text)
        # No Origin, no CORS: a script or SDK needs none.
        assert "access-control-allow-origin" not in reply.headers


def test_a_foreign_preflight_gets_no_cors(served: str) -> None:
    message = _refusal(_preflight(served, EVIL), 403)
    assert "evil.example" in message and "--allow-origin" in message
    # The private-network question is not answered either.
    refused = _preflight(served, EVIL, **{"Access-Control-Request-Private-Network": "true"})
    _refusal(refused, 403)
    assert "access-control-allow-private-network" not in refused.headers


def test_cross_site_requests_are_refused(served: str) -> None:
    before = len(httpx.get(served + "/v1/customers?limit=100", auth=KEY).json()["data"])
    _refusal(_customers(served, Origin=EVIL), 403)
    _refusal(_customers(served, Origin="null"), 403)  # sandboxed frames, file:// pages
    # No Origin (a no-cors GET from an <img> or <script> tag), but the browser says it.
    _refusal(httpx.get(served + "/v1/customers", headers={"Sec-Fetch-Site": "cross-site"}), 403)
    after = len(httpx.get(served + "/v1/customers?limit=100", auth=KEY).json()["data"])
    assert after == before  # the refused POSTs created nothing


def test_pages_on_this_machine_get_their_own_origin_back(served: str) -> None:
    origin = "http://localhost:3000"
    preflight = _preflight(served, origin)
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "Authorization" in preflight.headers["access-control-allow-headers"]
    assert "Origin" in preflight.headers["vary"]
    reply = _customers(served, Origin=origin, **{"Sec-Fetch-Site": "cross-site"})
    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == origin


def test_allowed_hosts_and_origins(served_open: str) -> None:
    for host in ("emulator.test", "STRIPE.internal:12111", "localhost"):
        assert _customers(served_open, Host=host).status_code == 200, host
    _refusal(_customers(served_open, Host="evil.example"), 400)

    preflight = _preflight(served_open, APP, **{"Access-Control-Request-Private-Network": "true"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == APP
    assert preflight.headers["access-control-allow-private-network"] == "true"
    reply = _customers(served_open, Origin=APP, **{"Sec-Fetch-Site": "cross-site"})
    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == APP
    assert "request-id" in reply.headers["access-control-expose-headers"].lower()
    # Only that origin: not another port, scheme or name.
    for other in ("https://app.example", "http://app.example:8443", EVIL):
        _refusal(_customers(served_open, Origin=other), 403)
        _refusal(_preflight(served_open, other), 403)


def _endpoint(base: str, url: str) -> httpx.Response:
    return httpx.post(
        base + "/v1/webhook_endpoints",
        data={"url": url, "enabled_events[]": "customer.created"},
        auth=KEY,
    )


def test_webhooks_to_other_hosts_are_refused(served: str) -> None:
    for url in ("http://evil.example/hook", "http://10.0.0.5:6379/", "http://receiver.test/"):
        refused = _endpoint(served, url)
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"]["param"] == "url"
    listed = httpx.get(served + "/v1/webhook_endpoints", auth=KEY).json()["data"]
    assert [e["url"] for e in listed] == []
    created = _endpoint(served, "http://127.0.0.1:9/hook").json()
    moved = httpx.post(
        f"{served}/v1/webhook_endpoints/{created['id']}",
        data={"url": "https://evil.example/hook"},
        auth=KEY,
    )
    assert moved.status_code == 400
    httpx.delete(f"{served}/v1/webhook_endpoints/{created['id']}", auth=KEY)


def test_allow_webhook_host(served_open: str) -> None:
    # --allow-webhook-host names a host that may receive them; others stay refused.
    assert _endpoint(served_open, "http://receiver.test:8000/hook").status_code == 200
    assert _endpoint(served_open, "http://evil.example/hook").status_code == 400


class _Receiver:
    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[tuple[_Receiver, str]]:
    app = _Receiver()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.ensure_future(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield app, f"http://127.0.0.1:{port}/webhooks"
    finally:
        server.should_exit = True
        await task


async def test_loopback_webhooks_are_still_delivered(
    served: str, receiver: tuple[_Receiver, str]
) -> None:
    app, url = receiver
    async with httpx.AsyncClient(base_url=served, auth=KEY) as http:
        endpoint = await http.post(
            "/v1/webhook_endpoints", data={"url": url, "enabled_events[]": "customer.created"}
        )
        assert endpoint.status_code == 200
        await http.post("/v1/customers", data={"email": "hook@example.com"})
        # The served emulator delivers after its reply has gone out.
        for _ in range(500):
            if app.bodies:
                break
            await asyncio.sleep(0.01)
        await http.delete(f"/v1/webhook_endpoints/{endpoint.json()['id']}")
    assert len(app.bodies) == 1 and b"hook@example.com" in app.bodies[0]


async def test_the_in_process_emulator_is_unchanged() -> None:
    # No Host or Origin rules in process: the transport's base URL is not loopback.
    async with StripeClient.for_emulator(StripeEmulator(seed=1), max_retries=0) as stripe:
        endpoint = await stripe.webhook_endpoints.create(
            url="https://shop.test/webhooks", enabled_events=["*"]
        )
        assert endpoint.url == "https://shop.test/webhooks"
        await stripe.customers.create(email="in@process.test")
        assert stripe.emulator is not None
        [delivery] = stripe.emulator.deliveries
        assert delivery.status_code is None and (delivery.error or "").startswith("refused")


async def test_webhook_hosts_in_process() -> None:
    emulator = StripeEmulator(seed=2, webhook_hosts=["shop.test"], check_webhook_urls=True)
    async with StripeClient.for_emulator(emulator, max_retries=0) as stripe:
        raw = stripe.emulator
        assert raw is not None
        ok = await stripe.webhook_endpoints.create(url="https://shop.test/x", enabled_events=["*"])
        assert ok.url == "https://shop.test/x"
        with pytest.raises(InvalidRequestError):
            await stripe.webhook_endpoints.create(url="https://a.test/x", enabled_events=["*"])


@pytest.mark.parametrize(
    "headers",
    [
        [(b"host", b"evil.example@127.0.0.1")],
        [(b"host", b"127.0.0.1"), (b"host", b"evil.example")],
        [(b"host", b"127.0.0.1:99999")],
        [],
    ],
)
async def test_odd_host_headers_are_refused(headers: list[tuple[bytes, bytes]]) -> None:
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/v1/customers", "headers": headers}
    await LocalFront(StripeEmulator(seed=3))(scope, receive, send)
    assert sent[0]["status"] == 400


def test_allow_origin_must_be_an_origin() -> None:
    with pytest.raises(ValueError):
        LocalFront(StripeEmulator(), allowed_origins=["not an origin"])
