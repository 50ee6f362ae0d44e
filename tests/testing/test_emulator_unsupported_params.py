"""Never silently wrong: each parameter Stripe accepts on a modelled operation is
honoured or refused with `emulator_unsupported`, never accepted and dropped."""

from __future__ import annotations

import json
import re
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from stripe_async import InvalidRequestError, StripeClient
from stripe_async.testing import StripeEmulator
from stripe_async.testing._params import Kind, ListOf, Obj, Refused
from stripe_async.testing._router import Route, Router, operation_name, stripe_params
from stripe_async.testing._routes import ROUTES
from stripe_async.testing._stripe_params import ACCEPTED, PATHS

ROOT = Path(__file__).resolve().parents[2]
ROUTER = Router(ROUTES)
#: The modelled v1 operations (the emulator's own `/_emulator/...` helpers are not v1).
MODELLED = [route for route in ROUTER.routes if stripe_params(route) is not None]


def _lists(route: Route) -> tuple[set[str], set[str]]:
    """(honoured, refused) among the parameters Stripe accepts on this route."""
    accepted = stripe_params(route)
    assert accepted is not None
    honoured = {name for name in accepted if name in route.params.fields}
    refused = {name for name in accepted if name in route.params.unsupported}
    return honoured | {"expand"}, refused


def _call(emulator: StripeEmulator, route: Route, params: dict[str, str]) -> Any:
    path = re.sub(r"{[^}]+}", "x_1", route.pattern)
    form = urlencode(params)
    query, body = (form, b"") if route.method != "POST" else ("", form.encode())
    reply = emulator.handle(
        route.method,
        path,
        query,
        {
            "authorization": "Bearer sk_test_walk",
            "content-type": "application/x-www-form-urlencoded",
        },
        body,
    )
    return reply.status, json.loads(reply.body)


def test_the_table_of_stripe_parameters_is_current() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "gen_emulator_params.py"))
    fresh = {key: " ".join(names) for key, names in script["accepted"]().items()}
    assert fresh == ACCEPTED
    assert script["paths"]() == PATHS and PATHS.keys() == ACCEPTED.keys()


def test_every_parameter_is_honoured_or_refused_never_both() -> None:
    assert len(MODELLED) >= 130
    honoured_total = refused_total = 0
    for route in MODELLED:
        accepted = stripe_params(route)
        assert accepted is not None
        honoured, refused = _lists(route)
        where = f"{route.method} {route.pattern}"
        assert not honoured & refused, where
        assert honoured | refused == accepted | {"expand"}, where
        # What Stripe does not accept here is parameter_unknown, never "unsupported".
        assert route.params.unsupported <= accepted, where
        honoured_total += len(honoured)
        refused_total += len(refused)
    # The counts this change reports; a drop in honoured ones is a regression.
    assert honoured_total >= 800 and refused_total >= 250, (honoured_total, refused_total)


@pytest.mark.parametrize("route", MODELLED, ids=lambda r: f"{r.method} {r.pattern}")
def test_each_refused_parameter_answers_emulator_unsupported(route: Route) -> None:
    emulator = StripeEmulator(seed=1)
    for name in sorted(_lists(route)[1]):
        status, body = _call(emulator, route, {name: "x"})
        error = body["error"]
        assert status == 400, (name, body)
        assert error["type"] == "invalid_request_error"
        assert error["code"] == "emulator_unsupported" and error["param"] == name
        assert name in error["message"] and "emulator" in error["message"]
        # ... and the operation, as the API reference writes it.
        assert operation_name(route) in error["message"], error["message"]
    # A name Stripe does not know stays Stripe's parameter_unknown.
    status, body = _call(emulator, route, {"not_a_stripe_parameter": "x"})
    assert status == 400 and body["error"]["code"] == "parameter_unknown"


def _refused_values(kind: Kind, param: str) -> list[tuple[str, Any]]:
    """Every (bracketed name, value) a spec refuses as unsupported (`automatic_tax[enabled]`)."""
    if isinstance(kind, Refused):
        return [(param, value) for value in kind.values]
    if isinstance(kind, ListOf):
        return _refused_values(kind.item, f"{param}[0]")
    if isinstance(kind, Obj):
        found = [(f"{param}[{name}]" if param else name, None) for name in kind.unsupported]
        for name, field in kind.fields.items():
            found += _refused_values(field, f"{param}[{name}]" if param else name)
        return found
    return []


def _form_value(value: Any) -> str:
    return {True: "true", False: "false", None: "x"}.get(value, value)


@pytest.mark.parametrize("route", MODELLED, ids=lambda r: f"{r.method} {r.pattern}")
def test_each_refused_value_answers_emulator_unsupported(route: Route) -> None:
    # Nested parameters and values the emulator cannot honour (`automatic_tax[enabled]=true`,
    # `final_capture=false`, ...) are refused by name too.
    emulator = StripeEmulator(seed=1)
    for param, value in _refused_values(route.params, ""):
        if "[" not in param and value is None:
            continue  # top-level names: test_each_refused_parameter_answers_emulator_unsupported
        status, body = _call(emulator, route, {param: _form_value(value)})
        assert status == 400, (param, value, body)
        assert body["error"]["code"] == "emulator_unsupported", (param, body)
        assert body["error"]["param"] == param
        named = param if value is None else f"{param}={_form_value(value)}"
        assert named in body["error"]["message"], body


def test_refused_values_are_found() -> None:
    # Guards the walk above: an empty one would prove nothing.
    found = {p for route in MODELLED for p, v in _refused_values(route.params, "") if "[" in p}
    assert {"automatic_tax[enabled]"} <= found
    assert len(found) >= 20


async def test_automatic_tax_is_refused_when_enabled(stripe_client: StripeClient) -> None:
    customer = await stripe_client.customers.create()
    price = await stripe_client.prices.create(
        currency="usd",
        unit_amount=1000,
        recurring={"interval": "month"},
        product_data={"name": "P"},
    )
    calls: list[Any] = [
        lambda tax: stripe_client.invoices.create(customer=customer.id, automatic_tax=tax),
        lambda tax: stripe_client.subscriptions.create(
            customer=customer.id, items=[{"price": price.id}], automatic_tax=tax
        ),
        lambda tax: stripe_client.checkout.sessions.create(
            mode="subscription",
            line_items=[{"price": price.id, "quantity": 1}],
            success_url="https://example.com/done",
            automatic_tax=tax,
        ),
    ]
    for call in calls:
        with pytest.raises(InvalidRequestError) as info:
            await call({"enabled": True})
        assert info.value.code == "emulator_unsupported"
        assert info.value.param == "automatic_tax[enabled]"
        assert "tax" in str(info.value)
    invoice = await stripe_client.invoices.create(
        customer=customer.id, automatic_tax={"enabled": False}
    )
    assert invoice.automatic_tax.enabled is False


async def test_paying_a_zero_draft_answers_the_paid_invoice(raw: Any) -> None:
    customer = await raw.ok("POST", "/v1/customers", {})
    draft = await raw.ok("POST", "/v1/invoices", {"customer": customer["id"]})
    assert draft["status"] == "draft" and draft["amount_due"] == 0
    reply = await raw.post(f"/v1/invoices/{draft['id']}/pay")
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "paid" and reply.json()["amount_paid"] == 0
    # Paying it again is Stripe's 400: this time the call changes nothing.
    again = await raw.post(f"/v1/invoices/{draft['id']}/pay")
    assert again.status_code == 400 and "already paid" in again.json()["error"]["message"]


async def test_a_portal_that_would_prorate_a_cancel_is_refused(raw: Any) -> None:
    for feature, value in (("subscription_cancel", "always_invoice"),):
        reply = await raw.post(
            "/v1/billing_portal/configurations",
            {
                f"features[{feature}][enabled]": "true",
                f"features[{feature}][proration_behavior]": value,
            },
        )
        error = reply.json()["error"]
        assert reply.status_code == 400 and error["code"] == "emulator_unsupported"
        assert error["param"] == f"features[{feature}][proration_behavior]"
    ok = await raw.post(
        "/v1/billing_portal/configurations",
        {
            "features[subscription_cancel][enabled]": "true",
            "features[subscription_cancel][proration_behavior]": "none",
        },
    )
    assert ok.status_code == 200, ok.text


def test_the_served_emulator_refuses_the_same_way() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "stripe_async", "emulator", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "did not start"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, auth=("sk_test_served", "")) as http:
            customer = http.post("/v1/customers").json()
            reply = http.post(
                "/v1/invoices",
                data={"customer": customer["id"], "automatic_tax[enabled]": "true"},
            )
            assert reply.status_code == 400
            assert reply.json()["error"]["code"] == "emulator_unsupported"
            assert reply.json()["error"]["param"] == "automatic_tax[enabled]"
            reply = http.post("/v1/customers", data={"tax_id_data[0][type]": "eu_vat"})
            assert reply.json()["error"]["code"] == "emulator_unsupported"
            reply = http.post("/v1/customers", data={"no_such_param": "x"})
            assert reply.json()["error"]["code"] == "parameter_unknown"
            # Nothing was created by the refused calls.
            assert len(http.get("/v1/customers").json()["data"]) == 1
            assert http.get("/v1/invoices").json()["data"] == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def test_portal_login_page_follows_updates(raw: Any) -> None:
    created = await raw.ok(
        "POST",
        "/v1/billing_portal/configurations",
        {"features[invoice_history][enabled]": "true"},
    )
    assert created["login_page"] == {"enabled": False, "url": None}
    path = f"/v1/billing_portal/configurations/{created['id']}"
    updated = await raw.ok("POST", path, {"login_page[enabled]": "true"})
    assert updated["login_page"]["enabled"] is True
    assert updated["login_page"]["url"].startswith("https://billing.stripe.com/p/login/test_")
    updated = await raw.ok("POST", path, {"login_page[enabled]": "false"})
    assert updated["login_page"] == {"enabled": False, "url": None}
