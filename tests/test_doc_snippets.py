"""Every Python block in README.md and docs/ runs against the emulator.

Blocks of one page build on each other, so a block's test runs the page's earlier
blocks first, in one namespace, then the block itself. The namespace starts with
what the prose assumes exists (`stripe`, `emulator`, `customer`, a signed webhook
body, ...). `StripeClient` is swapped for a subclass that, when given neither a
transport nor an http client, talks to the page's emulator, so `sk_test_...` and
`StripeClient.from_env()` blocks run with no network and no key. Blocks that
cannot run say why in SKIP.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import httpx
import pytest

import stripe_async
import stripe_async.client
from stripe_async import StripeClient
from stripe_async.errors import SignatureVerificationError
from stripe_async.testing import StripeEmulator
from stripe_async.webhooks import WebhookRouter, create_app, generate_test_header
from stripe_async.webhooks.events import InvalidPayloadError

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
SECRET = "whsec_..."

#: (page, a line of the block, why it cannot run). Shown as the skip reason.
SKIP = [
    (
        "docs/webhooks.md",
        "# ... the handler raises: the receiver answers 500",
        "an outline around the reader's own failing handler; tests/testing/"
        "test_emulator_stripe_python_time.py runs a receiver that fails twice",
    ),
    (
        "docs/testing.md",
        "receiver_fails = True",
        "an outline with the reader's own failing receiver; tests/testing/"
        "test_emulator_time.py::test_a_failed_delivery_is_retried_on_the_emulator_clock"
        " runs it with one",
    ),
    (
        "docs/integrations/stripe-setup.md",
        'proxy="http://proxy.internal:3128"',
        "needs the reader's own HTTP proxy; tests/test_requester.py and "
        "tests/faults/test_log_redaction.py drive user-supplied clients over loopback",
    ),
    (
        "README.md",
        '"/v1/some/new_endpoint"',
        "calls a made-up endpoint to show the escape hatch; "
        "tests/test_client.py sends such calls through the request loop",
    ),
    (
        "docs/testing.md",
        'base_addresses={"api": "http://127.0.0.1:12111"}',
        "needs the emulator served on port 12111; "
        "tests/testing/test_emulator_stripe_python.py makes these calls against a served one",
    ),
    (
        "docs/integrations/stripe-setup.md",
        "rate_limit=<key-aware>",
        "a signature listing with placeholders, not code",
    ),
    (
        "docs/integrations/stripe-setup.md",
        'stripe.oauth.token(grant_type="authorization_code", code=code)',
        "needs a platform's client_id and a code from Connect's redirect; "
        "tests/test_oauth.py makes these calls against a mock of connect.stripe.com",
    ),
    (
        "docs/integrations/stripe-pci-compliance.md",
        "PCIComplianceError: Refusing",
        "elides the card fields (`...` in a dict) to show the error it raises",
    ),
]


def _blocks(page: Path) -> list[str]:
    return [match.group(1) for match in BLOCK.finditer(page.read_text())]


def _cases() -> Iterator[Any]:
    for page in PAGES:
        name = page.relative_to(ROOT).as_posix()
        for index, code in enumerate(_blocks(page)):
            reason = next((why for p, line, why in SKIP if p == name and line in code), None)
            marks = [pytest.mark.skip(reason=reason)] if reason else []
            yield pytest.param(name, index, id=f"{name}#{index + 1}", marks=marks)


class _Orders:
    def __init__(self) -> None:
        self.paid: list[str] = []

    async def mark_paid(self, intent_id: str) -> None:
        self.paid.append(intent_id)


class _Redis:
    """The two calls the webhooks page makes, in memory."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    async def exists(self, key: str) -> int:
        return int(key in self.data)

    async def set(self, key: str, value: Any, ex: int | None = None) -> bool:
        self.data[key] = value
        return True


async def _namespace(emulator: StripeEmulator, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    class PageClient(StripeClient):
        """`StripeClient` as the page sees it: the emulator unless told otherwise."""

        def __init__(self, api_key: str | None = None, **kwargs: Any) -> None:
            if kwargs.get("transport") is None and kwargs.get("http_client") is None:
                kwargs["transport"] = emulator.transport()
                kwargs.setdefault("rate_limit", None)
                if api_key is not None and "..." in api_key:
                    api_key = "sk_test_emulator"  # the docs' placeholder key
            super().__init__(api_key, **kwargs)

    monkeypatch.setattr(stripe_async, "StripeClient", PageClient)
    monkeypatch.setattr(stripe_async.client, "StripeClient", PageClient)
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_emulator")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET_OLD", "whsec_old")
    monkeypatch.delenv("STRIPE_API_BASE", raising=False)
    monkeypatch.delenv("STRIPE_ACCOUNT", raising=False)

    stripe = PageClient.for_emulator(emulator)
    customer = await stripe.customers.create(
        email="jenny@example.com",
        payment_method="pm_card_visa",
        invoice_settings={"default_payment_method": "pm_card_visa"},
    )
    price = await stripe.prices.create(
        unit_amount=1500,
        currency="usd",
        recurring={"interval": "month"},
        product_data={"name": "Pro"},
    )
    pi = await stripe.payment_intents.create(
        amount=1000,
        currency="usd",
        payment_method="pm_card_authenticationRequired",
        confirm=True,
        return_url="https://example.com/return",
    )
    succeeded = await stripe.payment_intents.create(
        amount=1000, currency="usd", payment_method_types=["card"]
    )
    event = {
        "id": "evt_docs",
        "object": "event",
        "api_version": stripe_async.API_VERSION,
        "created": 1_700_000_000,
        "data": {"object": succeeded.to_dict()},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "payment_intent.succeeded",
    }
    raw_body = json.dumps(event).encode()
    sig_header = generate_test_header(raw_body, SECRET)
    from fastapi import HTTPException, Request

    return {
        "__name__": "docs_snippet",
        "asyncio": asyncio,
        "asynccontextmanager": asynccontextmanager,
        "body_bytes": raw_body,
        "create_app": create_app,
        "customer": customer,
        "emulator": emulator,
        "HTTPException": HTTPException,
        "http": httpx.AsyncClient(
            transport=emulator.transport(),
            base_url=emulator.base_url,
            headers={"Authorization": "Bearer sk_test_emulator"},
        ),
        "InvalidPayloadError": InvalidPayloadError,
        "logging": logging,
        "my_asgi_app": create_app(WebhookRouter(SECRET)),
        "orders": _Orders(),
        "os": os,
        "pi": pi,
        "price": price,
        "raw_body": raw_body,
        "redis": _Redis(),
        "request": SimpleNamespace(headers={"stripe-signature": sig_header}),
        "Request": Request,
        "router": WebhookRouter(SECRET),
        "secret": SECRET,
        "sig_header": sig_header,
        "SignatureVerificationError": SignatureVerificationError,
        "stripe": stripe,
        "StripeClient": PageClient,
        # What a block's test functions get for their pytest fixtures.
        "__fixtures__": {"stripe_client": stripe, "stripe_emulator": emulator},
    }


SERVICE = re.compile(r"(?<![\w.])stripe\.([a-z_]+)\b")


def missing_services(code: str, client: Any) -> list[str]:
    """Services a block calls that this client does not have (yet)."""
    return sorted({name for name in SERVICE.findall(code) if not hasattr(client, name)})


async def _run(code: str, namespace: dict[str, Any]) -> None:
    compiled = compile(code, "<snippet>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    if "asyncio.run(" in code:
        # A block that starts its own event loops: run it where no loop is running.
        await asyncio.to_thread(exec, compiled, namespace)
        return
    result = eval(compiled, namespace)
    if inspect.iscoroutine(result):
        await result
    for name, value in list(namespace.items()):
        # A block that shows a test function: run it with the fixtures it names.
        if name.startswith("test_") and inspect.iscoroutinefunction(value):
            del namespace[name]
            fixtures = namespace["__fixtures__"]
            arguments = [fixtures[p] for p in inspect.signature(value).parameters]
            await value(*arguments)


@pytest.mark.parametrize(("page", "index"), list(_cases()))
async def test_snippet_runs(
    page: str, index: int, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    emulator = StripeEmulator(seed=0)
    namespace = await _namespace(emulator, monkeypatch)
    blocks = _blocks(ROOT / page)
    if any("REDIS_URL" in code for code in blocks[: index + 1]):
        # The multi-worker blocks run against a real redis-server, as in production.
        monkeypatch.setenv("REDIS_URL", request.getfixturevalue("redis_server").url)
    # `from myapp.webhooks import router` stands for the reader's own application.
    myapp = ModuleType("myapp")
    myapp.webhooks = ModuleType("myapp.webhooks")  # type: ignore[attr-defined]
    myapp.webhooks.router = namespace["router"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "myapp", myapp)
    monkeypatch.setitem(sys.modules, "myapp.webhooks", myapp.webhooks)  # type: ignore[attr-defined]
    for earlier in range(index + 1):
        code = blocks[earlier]
        if any(p == page and line in code for p, line, _ in SKIP):
            continue
        missing = missing_services(code, namespace["stripe"])
        if missing and earlier == index:
            pytest.skip(f"needs client services not generated on this tree yet: {missing}")
        if missing:
            continue
        try:
            await _run(code, namespace)
        except Exception as error:
            first = code.strip().splitlines()[0]
            raise AssertionError(f"{page} block {earlier + 1} ({first!r}) failed") from error
        if getattr(namespace.get("stripe"), "is_closed", False):
            # `async with StripeClient(...) as stripe:` closed it; later blocks mean an
            # open client, as the prose around them says.
            namespace["stripe"] = namespace["__fixtures__"]["stripe_client"]


def test_every_page_with_python_has_cases() -> None:
    assert sum(len(_blocks(page)) for page in PAGES) >= 20


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_the_documented_fastapi_factory_serves_webhooks_and_health(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from starlette.testclient import TestClient

    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_emulator")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    page = ROOT / "docs/integrations/stripe-setup.md"
    code = next(block for block in _blocks(page) if "def build_app" in block)
    namespace: dict[str, Any] = {"__name__": "docs_snippet"}
    exec(compile(code, str(page), "exec"), namespace)
    router = WebhookRouter(SECRET)
    seen: list[str] = []

    @router.on("customer.created")
    async def remember(event: Any) -> None:
        seen.append(event.id)

    made: list[StripeClient] = []

    def make_client() -> StripeClient:
        made.append(StripeClient.for_emulator(StripeEmulator(seed=5)))
        return made[-1]

    app = namespace["build_app"](make_client, router)
    for attempt in range(2):  # a test suite starts the app many times
        body = json.dumps(
            {
                "id": f"evt_factory_{attempt}",
                "object": "event",
                "api_version": stripe_async.API_VERSION,
                "created": 1_700_000_000,
                "data": {"object": {"id": "cus_1", "object": "customer"}},
                "livemode": False,
                "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
                "type": "customer.created",
            }
        ).encode()
        with TestClient(app) as http:
            health = http.get("/stripe/health/integrations/stripe")
            assert health.status_code == 200, health.text
            delivered = http.post(
                "/stripe/webhooks/stripe",
                content=body,
                headers={"stripe-signature": generate_test_header(body, SECRET)},
            )
            assert delivered.status_code == 200 and delivered.json() == {"received": True}
            assert app.state.stripe is made[-1]
        assert made[-1].is_closed  # the lifespan closed its pool
    assert seen == ["evt_factory_0", "evt_factory_1"]
    assert len(made) == 2
