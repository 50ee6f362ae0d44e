"""Every v1 operation of the official SDK is a method here, and every method sends what it says.

The test walks the client's service tree as a user reaches it (attributes,
sub-services, methods), calls every method against a mock transport with
placeholder ids, and checks the verb, the path and that the parameters given
were encoded. The (verb, path) set reached must equal the one the installed
official `stripe` package (16.1.0, a dev dependency used here as an oracle)
reaches through its v1 client.
"""

from __future__ import annotations

import importlib
import inspect
import re
import typing
import warnings
from collections.abc import Iterator
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, unquote

import httpx
import pytest
from typing_extensions import Required

from stripe_async import StripeClient
from stripe_async.resources import Service

PROBE = "parity_probe"
PAGE = {"object": "list", "data": [], "has_more": False, "url": "/v1/x"}
# `type` and `data` because an Event needs them; every other model keeps them as extras.
OBJECT = {"id": "ph_reply", "object": "placeholder", "type": "placeholder", "data": {"object": {}}}


def attributes(root: object) -> Iterator[str]:
    """The service attributes a user sees: the client's annotated ones, a service's properties."""
    for cls in type(root).__mro__:
        for name, value in vars(cls).items():
            if isinstance(value, cached_property):
                yield name
        for name, kind in vars(cls).get("__annotations__", {}).items():
            if str(kind).endswith("Service"):
                yield name


def service_tree(root: object, prefix: str = "") -> Iterator[tuple[str, Service]]:
    """(dotted attribute path, service) for every service reachable from `root`."""
    for name in attributes(root):
        service = getattr(root, name)
        if isinstance(service, Service):
            path = f"{prefix}{name}"
            yield path, service
            yield from service_tree(service, f"{path}.")


def methods(service: Service) -> Iterator[tuple[str, Any]]:
    seen: set[Any] = set()
    for cls in type(service).__mro__:
        if cls is Service or cls is object:
            continue
        for name, value in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(value) or value in seen:
                continue
            seen.add(value)
            yield name, getattr(service, name)


def required_keys(method: Any) -> frozenset[str]:
    # Parameter types are imported for type checkers only; the module hands them out.
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


def official_v1_operations() -> set[tuple[str, str]]:
    """(VERB, path template) of every v1 call the official package's v1 client can make."""
    stripe = pytest.importorskip("stripe")
    assert stripe.VERSION == "16.1.0"
    calls = re.compile(r'self\._request(?:_stream)?\(\s*"(\w+)",\s*"(/v1/[^"]*)"')
    found: set[tuple[str, str]] = set()
    pending = [type(stripe.StripeClient("sk_test_oracle").v1)]
    done: set[type] = set()
    while pending:
        cls = pending.pop()
        if cls in done:
            continue
        done.add(cls)
        module = importlib.import_module(cls.__module__)
        source = inspect.getsource(cls)
        found |= {(verb.upper(), path) for verb, path in calls.findall(source)}
        for sub_module, sub_cls in getattr(module, "_subservices", {}).values():
            pending.append(getattr(importlib.import_module(sub_module), sub_cls))
    return found


def template_of(path: str, ids: dict[str, str]) -> str:
    for placeholder, value in ids.items():
        path = path.replace(f"/{value}", f"/{{{placeholder}}}")
    return path


async def test_every_official_v1_operation_is_reached_with_its_params() -> None:
    recorder = Recorder()
    client = StripeClient("sk_test_parity", transport=recorder, rate_limit=None, max_retries=0)
    reached: dict[tuple[str, str], str] = {}
    problems: list[str] = []
    async with client:
        for service_path, service in service_tree(client):
            for name, method in methods(service):
                signature = inspect.signature(method)
                ids = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
                values = {p.name: f"ph_{i}_{p.name}" for i, p in enumerate(ids)}
                params: dict[str, Any] = {key: "x" for key in required_keys(method)}
                params[PROBE] = "1"
                before = len(recorder.requests)
                pager = "Pager[" in str(signature.return_annotation)
                recorder.reply = PAGE if pager else OBJECT
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)  # invoices.upcoming
                    await method(*values.values(), **params)
                sent = recorder.requests[before:]
                label = f"{service_path}.{name}"
                if len(sent) != 1:
                    problems.append(f"{label}: {len(sent)} requests")
                    continue
                request = sent[0]
                if request.method in ("GET", "DELETE"):
                    encoded = parse_qs(request.url.query.decode())
                    ok = encoded.get(PROBE) == ["1"]
                else:
                    body = request.content.decode("latin-1")
                    ok = f"{PROBE}=1" in body or f'name="{PROBE}"\r\n\r\n1\r\n' in body
                if not ok:
                    problems.append(f"{label}: the params were not encoded")
                for value in values.values():
                    if value not in unquote(request.url.path):
                        problems.append(f"{label}: {value} is not in {request.url.path}")
                placeholders = {p.name: v for p, v in zip(ids, values.values(), strict=True)}
                key = (request.method, template_of(unquote(request.url.path), placeholders))
                reached.setdefault(key, label)
    official = official_v1_operations()
    normalised = {(verb, re.sub(r"\{[^}]+\}", "{}", path)) for verb, path in official}
    ours = {(verb, re.sub(r"\{[^}]+\}", "{}", path)) for verb, path in reached}
    missing = sorted(normalised - ours)
    extra = sorted(ours - normalised)
    assert not problems, "\n".join(problems)
    assert not missing, f"{len(missing)} official operations unreached: {missing}"
    assert not extra, f"operations the official SDK does not make: {extra}"
    assert len(ours) == len(normalised) == 557
    # Every top-level attribute of the client was walked (and holds at least one call).
    assert {path.split(".")[0] for path in reached.values()} == set(attributes(client))
    print(f"parity: {len(ours & normalised)}/{len(normalised)} v1 operations")


def test_every_method_says_what_it_does_and_links_its_reference_page() -> None:
    client = StripeClient("sk_test_docs")
    undocumented: list[str] = []
    for service_path, service in service_tree(client):
        assert type(service).__doc__, service_path
        for name, method in methods(service):
            doc = inspect.getdoc(method) or ""
            summary = doc.splitlines()[0] if doc else ""
            if not summary.endswith((".", ")")):
                undocumented.append(f"{service_path}.{name}: no summary line")
            generated = "under its earlier name" not in doc and name != "upcoming"
            if generated and "https://docs.stripe.com/api/" not in doc:
                undocumented.append(f"{service_path}.{name}: no API reference link")
    assert not undocumented, "\n".join(undocumented)
