"""examples/checkout/server.py without a browser: the page, the one Stripe call, the CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from checkout_support import CHECKOUT_SERVER, checkout, harness

from stripe_async import StripeClient

PK = harness.PUBLISHABLE_KEY


@pytest.fixture(scope="module")
def localstripe() -> Iterator[Any]:
    with harness.LocalStripe() as server:
        yield server


@pytest.fixture
async def stripe(localstripe: Any) -> AsyncIterator[StripeClient]:
    localstripe.flush()
    async with harness.make_client(localstripe) as client:
        yield client


def shop(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test")


async def test_page_loads_stripe_js_and_the_publishable_key(stripe: StripeClient) -> None:
    app = checkout.create_app(stripe, publishable_key=PK)
    async with shop(app) as client:
        page = await client.get("/")
        script = await client.get("/static/checkout.js")
    assert page.status_code == 200
    assert '<script src="https://js.stripe.com/v3/"></script>' in page.text
    assert f'data-publishable-key="{PK}"' in page.text
    assert script.status_code == 200
    assert 'elements.create("payment")' in script.text and "confirmPayment" in script.text


async def test_stripe_js_url_is_configurable_and_escaped(stripe: StripeClient) -> None:
    app = checkout.create_app(
        stripe, publishable_key='pk_test_"x', stripe_js_url="http://127.0.0.1:1/v3/?a=1&b=2"
    )
    async with shop(app) as client:
        page = (await client.get("/")).text
    assert '<script src="http://127.0.0.1:1/v3/?a=1&amp;b=2"></script>' in page
    assert 'data-publishable-key="pk_test_&quot;x"' in page


async def test_create_payment_intent_prices_on_the_server(
    stripe: StripeClient, localstripe: Any
) -> None:
    app = checkout.create_app(stripe, publishable_key=PK)
    order = {"items": [{"id": "tshirt", "quantity": 2}, {"id": "mug"}], "amount": 1}
    async with shop(app) as client:
        reply = await client.post("/create-payment-intent", json=order)
    assert reply.status_code == 200
    secret = reply.json()["clientSecret"]
    assert list(reply.json()) == ["clientSecret"]

    intent_id = secret.split("_secret_")[0]
    intent = localstripe.api("GET", f"/v1/payment_intents/{intent_id}").json()
    assert intent["client_secret"] == secret
    # 2 x 1999 + 1200 from the catalog; the "amount" the page sent is ignored.
    assert (intent["amount"], intent["currency"]) == (5198, "usd")
    assert intent["status"] == "requires_payment_method"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        b'{"items": []}',
        b'{"items": [{"id": "yacht"}]}',
        b'{"items": [{"id": "mug", "quantity": 0}]}',
        b'{"items": [{"id": "mug", "quantity": true}]}',
        b'{"items": [{"id": "mug", "quantity": 1000}]}',
        b'["tshirt"]',
    ],
)
async def test_bad_orders_are_refused_without_calling_stripe(
    stripe: StripeClient, localstripe: Any, body: bytes
) -> None:
    app = checkout.create_app(stripe, publishable_key=PK)
    async with shop(app) as client:
        reply = await client.post("/create-payment-intent", content=body)
    assert reply.status_code == 400
    assert reply.json()["error"]["message"].startswith("Bad order")
    assert localstripe.api("GET", "/v1/payment_intents").json()["data"] == []


async def test_stripe_failure_is_a_502_without_details() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    async with harness.make_client_for(dead) as stripe:
        app = checkout.create_app(stripe, publishable_key=PK)
        async with shop(app) as client:
            reply = await client.post("/create-payment-intent", json={"items": [{"id": "mug"}]})
    assert reply.status_code == 502
    assert reply.json() == {"error": {"message": "Could not start the payment; please try again."}}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_script(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHECKOUT_SERVER)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_runs_as_a_script_against_a_stripe_api(localstripe: Any) -> None:
    port = _free_port()
    env = {
        "STRIPE_API_KEY": harness.SECRET_KEY,
        "STRIPE_API_BASE": localstripe.url,
        "STRIPE_PUBLISHABLE_KEY": PK,
        "STRIPE_JS_URL": f"{localstripe.url}/js.stripe.com/v3/",
        "PORT": str(port),
    }
    proc = _run_script(env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                page = httpx.get(url + "/", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[0]
                assert time.monotonic() < deadline, "the example server did not start"
                time.sleep(0.1)
        assert f'<script src="{localstripe.url}/js.stripe.com/v3/"></script>' in page.text
        reply = httpx.post(
            url + "/create-payment-intent", json={"items": [{"id": "tshirt"}]}, timeout=10
        )
        assert reply.status_code == 200, reply.text
        assert reply.json()["clientSecret"].startswith("pi_")
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert harness.SECRET_KEY not in output


def test_script_refuses_live_keys() -> None:
    proc = _run_script({"STRIPE_API_KEY": "sk_live_" + "x" * 24, "PORT": str(_free_port())})
    output = proc.communicate(timeout=20)[0]
    assert proc.returncode != 0
    assert "test mode only" in output
    assert "sk_live_" not in output


def test_no_key_uses_the_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    testing = pytest.importorskip("stripe_async.testing")
    if not hasattr(testing, "StripeEmulator"):
        pytest.skip("the emulator is not merged yet")
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    client = checkout.client_from_env()
    assert client.emulator is not None
