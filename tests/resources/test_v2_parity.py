"""Every v2 operation sends what the official SDK sends for the same call.

Each method reachable under `client.v2` is called against a mock transport, and
the installed official `stripe` package (16.1.0, a dev dependency used as an
oracle) makes the same call through a recording HTTP client. Verb, host, path,
query, JSON body and the headers that carry meaning (Content-Type,
Stripe-Context, Stripe-Version, Idempotency-Key) must agree, and the reached
(verb, path) set must equal the official v2 set.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import typing
from collections.abc import Iterator
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from typing_extensions import Required

from stripe_async import InvalidArgumentError, StripeClient
from stripe_async.resources import Service

stripe = pytest.importorskip("stripe")

PAGE = {"object": "list", "data": [], "next_page_url": None}
OBJECT = {"id": "ph_reply", "object": "placeholder"}
HEADERS = ("content-type", "stripe-context", "stripe-version", "idempotency-key")
# A nested value exercises the JSON body (and the query encoding on GET).
EXTRA = {"parity_probe": "1", "parity_nested": {"a": [1, {"b": True}], "s": "x y"}}


def attributes(root: object) -> Iterator[str]:
    for cls in type(root).__mro__:
        for name, value in vars(cls).items():
            if isinstance(value, cached_property):
                yield name


def service_tree(root: object, prefix: str) -> Iterator[tuple[str, Service]]:
    for name in attributes(root):
        service = getattr(root, name)
        if isinstance(service, Service):
            path = f"{prefix}{name}"
            yield path, service
            yield from service_tree(service, f"{path}.")


def methods(service: Service) -> Iterator[tuple[str, Any]]:
    for name, value in vars(type(service)).items():
        if not name.startswith("_") and inspect.isfunction(value):
            yield name, getattr(service, name)


def required_keys(method: Any) -> frozenset[str]:
    module = importlib.import_module(method.__module__)
    names = {name: getattr(module, name) for name in module.__all__}
    hints = typing.get_type_hints(method, localns=names, include_extras=True)
    unpacked = typing.get_args(hints["params"])[0]
    fields = typing.get_type_hints(unpacked, include_extras=True)
    return frozenset(k for k, v in fields.items() if typing.get_origin(v) is Required)


class Recorder(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.reply: dict[str, Any] = OBJECT

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return httpx.Response(200, json=self.reply)


class OfficialRecorder(stripe.HTTPClient):  # type: ignore[misc,name-defined]
    """The official client's HTTP layer, recording instead of sending."""

    name = "parity-recorder"

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str, dict[str, str], Any]] = []
        self.reply: dict[str, Any] = OBJECT

    def request(
        self, method: str, url: str, headers: Any, post_data: Any = None
    ) -> tuple[str, int, dict[str, str]]:
        self.calls.append((method.upper(), url, dict(headers or {}), post_data))
        return json.dumps(self.reply), 200, {}

    def close(self) -> None:
        pass


def official_v2_operations() -> set[tuple[str, str]]:
    """(VERB, path template) of every v2 call the official package's v2 client can make."""
    assert stripe.VERSION == "16.1.0"
    calls = re.compile(r'self\._request\(\s*"(\w+)",\s*"(/v2/[^"]*)"')
    found: set[tuple[str, str]] = set()
    pending = [type(stripe.StripeClient("sk_test_oracle").v2)]
    done: set[type] = set()
    while pending:
        cls = pending.pop()
        if cls in done:
            continue
        done.add(cls)
        module = importlib.import_module(cls.__module__)
        found |= {(v.upper(), p) for v, p in calls.findall(inspect.getsource(cls))}
        for sub_module, sub_cls in getattr(module, "_subservices", {}).values():
            pending.append(getattr(importlib.import_module(sub_module), sub_cls))
    return found


def normalised(request_line: tuple[str, str, dict[str, str], Any]) -> dict[str, Any]:
    method, url, headers, body = request_line
    parts = urlsplit(url)
    lowered = {k.lower(): v for k, v in headers.items()}
    return {
        "method": method,
        "host": parts.netloc,
        "path": parts.path,
        "query": parse_qs(parts.query),
        "body": json.loads(body) if body else None,
        "headers": {name: lowered.get(name) for name in HEADERS},
    }


def official_method(client: Any, service_path: str, name: str) -> Any:
    target = client
    for part in service_path.split("."):
        target = getattr(target, part)
    return getattr(target, name)


async def test_every_official_v2_operation_is_sent_as_the_official_sdk_sends_it() -> None:
    recorder = Recorder()
    client = StripeClient("sk_test_parity", transport=recorder, rate_limit=None, max_retries=0)
    official_http = OfficialRecorder()
    official = stripe.StripeClient("sk_test_parity", http_client=official_http)
    reached: set[tuple[str, str]] = set()
    problems: list[str] = []
    async with client:
        for service_path, service in service_tree(client.v2, "v2."):
            for name, method in methods(service):
                signature = inspect.signature(method)
                ids = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
                values = [f"ph_{i}_{p.name}" for i, p in enumerate(ids)]
                params: dict[str, Any] = {key: "x" for key in required_keys(method)}
                params.update(EXTRA)
                pager = "Pager[" in str(signature.return_annotation)
                recorder.reply = official_http.reply = PAGE if pager else OBJECT
                verb_probe = official_method(official, service_path, name)
                options: dict[str, Any] = {"stripe_context": "ctx_parity"}
                ours_options: dict[str, Any] = {"stripe_context": "ctx_parity"}
                before = len(recorder.requests)
                result = method(*values, **params, **ours_options)
                if inspect.isawaitable(result):
                    await result
                sent = recorder.requests[before:]
                label = f"{service_path}.{name}"
                if len(sent) != 1:
                    problems.append(f"{label}: {len(sent)} requests")
                    continue
                request = sent[0]
                if request.method in ("POST", "DELETE"):
                    # Both make a key per call; the same given key must be sent as given.
                    key = f"idem-{label}"
                    ours_options["idempotency_key"] = options["idempotency_key"] = key
                    before = len(recorder.requests)
                    result = method(*values, **params, **ours_options)
                    if inspect.isawaitable(result):
                        await result
                    request = recorder.requests[before]
                official_http.calls.clear()
                verb_probe(*values, dict(params), options)
                assert len(official_http.calls) == 1, label
                theirs = normalised(official_http.calls[0])
                ours = normalised(
                    (
                        request.method,
                        str(request.url),
                        dict(request.headers),
                        request.content.decode() or None,
                    )
                )
                if ours != theirs:
                    problems.append(f"{label}:\n  ours   {ours}\n  theirs {theirs}")
                path = request.url.path
                for i, value in enumerate(values):
                    path = path.replace(f"/{value}", "/{" + ids[i].name + "}")
                reached.add((request.method, re.sub(r"\{[^}]+\}", "{}", path)))
    expected = {(v, re.sub(r"\{[^}]+\}", "{}", p)) for v, p in official_v2_operations()}
    assert not problems, "\n".join(problems)
    assert reached == expected, (sorted(expected - reached), sorted(reached - expected))
    assert len(reached) == 91
    print(f"v2 parity: {len(reached)}/{len(expected)} operations")


async def test_a_v2_list_walks_next_page_url_and_keeps_the_call_options() -> None:
    seen: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.params.get("page") == "p2":
            return httpx.Response(200, json={"data": [{"id": "ev_3"}], "next_page_url": None})
        return httpx.Response(
            200,
            json={
                "data": [{"id": "ev_1"}, {"id": "ev_2"}],
                "next_page_url": "/v2/core/events?page=p2",
            },
        )

    async with StripeClient(
        "sk_test_pages", transport=httpx.MockTransport(reply), rate_limit=None
    ) as client:
        pager = client.v2.core.events.list(limit=2, stripe_context="acct_ctx")
        first = await pager
        assert [e.id for e in first.data] == ["ev_1", "ev_2"]
        assert first.next_page_url == "/v2/core/events?page=p2"
        seen.clear()
        ids = [event.id async for event in client.v2.core.events.list(limit=2)]
        assert ids == ["ev_1", "ev_2", "ev_3"]
        assert [r.url.query.decode() for r in seen] == ["limit=2", "page=p2"]
        seen.clear()
        listed = await client.v2.core.events.list(limit=2, stripe_context="acct_ctx").to_list()
        assert [e.id for e in listed] == ["ev_1", "ev_2", "ev_3"]
        assert {r.headers["stripe-context"] for r in seen} == {"acct_ctx"}


async def test_a_v2_page_that_links_to_itself_ends_the_walk() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"data": [{"id": "ev_1"}], "next_page_url": "/v2/core/events?page=same"}
        )

    async with StripeClient(
        "sk_test_loop", transport=httpx.MockTransport(reply), rate_limit=None
    ) as client:
        items = await client.v2.core.events.list().to_list()
    assert [e.id for e in items] == ["ev_1", "ev_1"]


async def test_a_v2_error_reply_is_a_stripe_error_with_its_type_and_code() -> None:
    from stripe_async import StripeError

    def reply(request: httpx.Request) -> httpx.Response:
        error = {"type": "temporary_session_expired", "code": "session_expired", "message": "m"}
        return httpx.Response(400, json={"error": error})

    async with StripeClient(
        "sk_test_err", transport=httpx.MockTransport(reply), rate_limit=None, max_retries=0
    ) as client:
        with pytest.raises(StripeError) as caught:
            await client.v2.billing.meter_event_session.create()
    # v2's error type names the class, as stripe-python raises it.
    from stripe_async.errors import TemporarySessionExpiredError

    assert type(caught.value) is TemporarySessionExpiredError
    assert caught.value.http_status == 400
    assert caught.value.code == "session_expired"
    assert caught.value.idempotency_key  # v2 POSTs carry one


async def test_request_sends_json_to_v2_paths_and_keys_v2_deletes_only() -> None:
    recorder = Recorder()
    async with StripeClient(
        "sk_test_raw", transport=recorder, rate_limit=None, max_retries=0
    ) as client:
        await client.request(
            "post", "/v2/core/event_destinations", params={"name": "n", "description": None}
        )
        await client.request("delete", "/v2/core/event_destinations/ed_1")
        await client.request("post", "/v1/customers", params={"name": "n"})
        await client.request("delete", "/v1/customers/cus_1")
        with pytest.raises(InvalidArgumentError):  # a v1 DELETE takes no key
            await client.customers.delete("cus_1", idempotency_key="k")
    v2_post, v2_delete, v1_post, v1_delete = recorder.requests
    assert v2_post.headers["content-type"] == "application/json"
    assert json.loads(v2_post.content) == {"name": "n", "description": None}  # null clears
    assert v2_delete.headers.get("idempotency-key")
    assert v1_post.headers["content-type"] == "application/x-www-form-urlencoded"
    assert v1_post.content == b"name=n"
    assert "idempotency-key" not in v1_delete.headers


def test_a_client_builds_nothing_of_v2_until_client_v2_is_touched() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from stripe_async import StripeClient\n"
        "from stripe_async.webhooks import WebhookRouter\n"
        "client = StripeClient('sk_test_lazy')\n"
        "WebhookRouter('whsec_x')\n"
        "v2 = lambda: sorted(m for m in sys.modules if '.v2' in m or 'notification_types' in m)\n"
        "print(v2())\n"
        "client.v2.core.event_destinations\n"
        "print(len(v2()) > 0)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "True"


async def test_a_v2_body_writes_times_in_utc_and_decimals_as_strings() -> None:
    import datetime as dt
    from decimal import Decimal

    recorder = Recorder()
    async with StripeClient("sk_test_json", transport=recorder, rate_limit=None) as client:
        moment = dt.datetime(2026, 12, 1, 13, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        await client.request(
            "post",
            "/v2/billing/meter_events",
            params={"timestamp": moment, "value": Decimal("1.50"), "day": dt.date(2026, 12, 1)},
        )
        with pytest.raises(InvalidArgumentError):
            await client.request("post", "/v2/billing/meter_events", params={"x": object()})
    body = json.loads(recorder.requests[0].content)
    assert body == {"timestamp": "2026-12-01T12:30:00Z", "value": "1.50", "day": "2026-12-01"}
    assert len(recorder.requests) == 1
