"""A known webhook secret: a WebhookRouter built before any endpoint exists verifies
the emulator's deliveries, in process and served."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
import uvicorn
from served_emulator import free_port, serve_emulator

from stripe_async import StripeClient
from stripe_async.models import Customer, Event
from stripe_async.testing import StripeEmulator
from stripe_async.testing._delivery import chosen_secret
from stripe_async.webhooks import WebhookRouter, create_app

SECRET = "whsec_test_known_secret_0123456789"


def _router() -> tuple[WebhookRouter, list[str]]:
    # As an app builds it at import: from the secret alone, no endpoint in sight.
    router = WebhookRouter(SECRET)
    seen: list[str] = []

    @router.on("customer.created")
    async def created(event: Event[Customer]) -> None:
        seen.append(event.data.object.id)

    return router, seen


async def test_in_process_deliveries_verify_with_the_chosen_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    router, seen = _router()
    emulator = StripeEmulator(webhook_secret=SECRET)
    assert emulator.fixed_webhook_secret == SECRET
    emulator.register_asgi_endpoint("https://shop.test/webhooks/stripe", create_app(router))
    async with StripeClient.for_emulator(emulator) as stripe:
        endpoint = await stripe.webhook_endpoints.create(
            url="https://shop.test/webhooks/stripe", enabled_events=["customer.created"]
        )
        other = await stripe.webhook_endpoints.create(
            url="https://shop.test/other", enabled_events=["*"]
        )
        assert endpoint.secret == SECRET and other.secret == SECRET
        customer = await stripe.customers.create(email="known@example.com")
    assert seen == [customer.id]
    delivered = [d for d in emulator.deliveries if d.endpoint_id == endpoint.id]
    assert [d.status_code for d in delivered] == [200]


async def test_the_environment_variable_sets_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rotation lists (what serve accepts) sign with their first secret.
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", f"{SECRET}, whsec_old")
    router, seen = _router()
    emulator = StripeEmulator()
    emulator.register_asgi_endpoint("https://shop.test/webhooks/stripe", create_app(router))
    async with StripeClient.for_emulator(emulator) as stripe:
        endpoint = await stripe.webhook_endpoints.create(
            url="https://shop.test/webhooks/stripe", enabled_events=["customer.created"]
        )
        assert endpoint.secret == SECRET
        await stripe.customers.create()
    assert len(seen) == 1
    # An explicit value wins over the environment.
    assert StripeEmulator(webhook_secret="whsec_explicit").fixed_webhook_secret == (
        "whsec_explicit"
    )


async def test_without_one_each_endpoint_draws_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    emulator = StripeEmulator()
    assert emulator.fixed_webhook_secret is None
    async with StripeClient.for_emulator(emulator) as stripe:
        a = await stripe.webhook_endpoints.create(url="https://a.test/h", enabled_events=["*"])
        b = await stripe.webhook_endpoints.create(url="https://b.test/h", enabled_events=["*"])
    assert a.secret and b.secret and a.secret.startswith("whsec_") and a.secret != b.secret


@pytest.mark.parametrize("bad", ["sk_test_123", "whsec_", "whsec_with space", "secret"])
def test_the_format_is_checked(bad: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ValueError, match="whsec_"):
        StripeEmulator(webhook_secret=bad)
    with pytest.raises(ValueError, match="STRIPE_WEBHOOK_SECRET"):
        chosen_secret(None, {"STRIPE_WEBHOOK_SECRET": bad})
    assert chosen_secret(None, {"STRIPE_WEBHOOK_SECRET": " , "}) is None


def _serve(*extra: str, env: dict[str, str] | None = None) -> Iterator[str]:
    yield from serve_emulator(*extra, env=env, start_within=20)


@pytest_asyncio.fixture
async def app_server() -> AsyncIterator[tuple[list[str], str]]:
    router, seen = _router()
    port = free_port()
    config = uvicorn.Config(create_app(router), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve())
    for _ in range(1000):
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield seen, f"http://127.0.0.1:{port}/webhooks/stripe"
    finally:
        server.should_exit = True
        await task


async def _created_customer_reaches(base: str, seen: list[str], url: str) -> None:
    async with httpx.AsyncClient(base_url=base, auth=("sk_test_known", "")) as http:
        endpoint = await http.post(
            "/v1/webhook_endpoints", data={"url": url, "enabled_events[]": "customer.created"}
        )
        assert endpoint.status_code == 200 and endpoint.json()["secret"] == SECRET
        customer = (await http.post("/v1/customers", data={"email": "s@example.com"})).json()
        # The served emulator delivers after its reply has gone out.
        for _ in range(1000):
            if seen:
                break
            await asyncio.sleep(0.01)
    assert seen == [customer["id"]]


async def test_served_with_the_flag(app_server: tuple[list[str], str]) -> None:
    seen, url = app_server
    for base in _serve("--webhook-secret", SECRET):
        await _created_customer_reaches(base, seen, url)


async def test_served_with_the_environment(app_server: tuple[list[str], str]) -> None:
    import os

    seen, url = app_server
    for base in _serve(env={**os.environ, "STRIPE_WEBHOOK_SECRET": SECRET}):
        await _created_customer_reaches(base, seen, url)


def test_served_refuses_a_malformed_secret() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stripe_async", "emulator", "--webhook-secret", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "whsec_" in result.stderr
