"""Every parameter the SDK documents is one the emulator accepts.

The SDK's typed parameters (a TypedDict per method) list what the current API
takes. A user calling one of them against the emulator must not get a 400
`parameter_unknown` Stripe would never send, and every SDK method must reach
an emulator route. The check walks the services on a StripeClient, captures
the request each method sends (an httpx.MockTransport, nothing reaches the
emulator) and looks that method + path up in the emulator's Router.
"""

from __future__ import annotations

import inspect
import typing
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from stripe_async import StripeClient, StripeError
from stripe_async.resources._base import RequestOptions, Service
from stripe_async.resources._params.invoices import InvoiceUpcomingParams
from stripe_async.resources.invoices import upcoming_to_preview_params
from stripe_async.testing import StripeEmulator
from stripe_async.testing._errors import EmulatorError
from stripe_async.testing._params import Obj
from stripe_async.testing._router import Route, Router
from stripe_async.testing._routes import ROUTES

#: Per-call options and `expand`, which the emulator's app handles for every route.
NOT_API_PARAMS = frozenset(RequestOptions.__annotations__) | {"expand"}
#: Parameters the SDK itself insists on before it sends anything.
SDK_CHECKED = {"query": "status:'active'", "subscription": "sub_123"}
#: invoices.upcoming is a deprecated shim: it renames its legacy parameters and
#: posts to create_preview, so its own TypedDict names never reach Stripe. The
#: translated request is checked by test_upcoming_translated_params_are_accepted.
TRANSLATED_BY_SDK = {("invoices", "upcoming")}

ROUTER = Router(ROUTES)


def _services() -> dict[str, type[Service]]:
    hints = typing.get_type_hints(StripeClient, localns={"StripeEmulator": StripeEmulator})
    return {
        name: kind
        for name, kind in hints.items()
        if isinstance(kind, type) and issubclass(kind, Service)
    }


def _methods() -> Iterator[tuple[str, str]]:
    for service_name, service in sorted(_services().items()):
        for method_name, _ in inspect.getmembers(service, inspect.isfunction):
            if not method_name.startswith("_"):
                yield service_name, method_name


def _params_type(function: Callable[..., Any]) -> Any:
    """The TypedDict of a method's `**params: Unpack[...]`."""
    (var_kw,) = (
        p for p in inspect.signature(function).parameters.values() if p.kind == p.VAR_KEYWORD
    )
    unpacked = typing.get_type_hints(function, include_extras=True)[var_kw.name]
    return typing.get_args(unpacked)[0]


def _documented(function: Callable[..., Any]) -> set[str]:
    return set(typing.get_type_hints(_params_type(function))) - NOT_API_PARAMS


async def _request_of(service: str, method: str) -> httpx.Request:
    """The request an SDK method sends (answered with a 400, so it is sent once)."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(400, json={"error": {"type": "invalid_request_error"}})

    transport = httpx.MockTransport(answer)
    async with StripeClient(
        "sk_test_123", transport=transport, max_retries=0, rate_limit=None
    ) as client:
        bound = getattr(getattr(client, service), method)
        positional = [
            f"x_{name}"
            for name, p in inspect.signature(bound).parameters.items()
            if p.kind == p.POSITIONAL_OR_KEYWORD
        ]
        keys = set(typing.get_type_hints(_params_type(bound)))
        extra = {k: v for k, v in SDK_CHECKED.items() if k in keys}
        with warnings.catch_warnings(), pytest.raises(StripeError):
            warnings.simplefilter("ignore", DeprecationWarning)
            await bound(*positional, **extra)
    assert len(sent) == 1
    return sent[0]


def _route(request: httpx.Request) -> Route:
    try:
        route, _ = ROUTER.match(request.method, request.url.path)
    except EmulatorError:
        pytest.fail(f"the emulator has no route for {request.method} {request.url.path}")
    return route


def _rejected(spec: Obj, names: set[str]) -> list[str]:
    return sorted(name for name in names if not spec.accepts(name))


def test_the_walk_finds_every_service() -> None:
    # Guards the introspection itself: an empty walk would make the checks vacuous.
    methods = set(_methods())
    assert {("customers", "create"), ("payment_intents", "apply_customer_balance")} <= methods
    assert len(_services()) >= 14 and len(methods) > 80


@pytest.mark.parametrize(("service", "method"), list(_methods()))
async def test_sdk_method_reaches_a_route_that_accepts_its_parameters(
    service: str, method: str
) -> None:
    route = _route(await _request_of(service, method))
    if (service, method) in TRANSLATED_BY_SDK:
        return
    function = getattr(_services()[service], method)
    assert _rejected(route.params, _documented(function)) == []


def test_upcoming_translated_params_are_accepted() -> None:
    legacy = set(typing.get_type_hints(InvoiceUpcomingParams)) - NOT_API_PARAMS
    # No create_preview equivalent: the SDK refuses it with a ValueError.
    legacy.discard("subscription_trial_from_plan")
    # `coupon` becomes `discounts`; passing both is refused, so check them apart.
    legacy.discard("discounts")
    preview = upcoming_to_preview_params({name: "x" for name in legacy})
    spec = ROUTER.match("POST", "/v1/invoices/create_preview")[0].params
    assert _rejected(spec, set(preview)) == []
    details = spec.fields["subscription_details"]
    assert isinstance(details, Obj)
    assert _rejected(details, set(preview["subscription_details"])) == []
    assert spec.accepts("discounts")


def test_ignored_parameters_are_accepted_and_dropped() -> None:
    spec = Obj({"amount": Obj({"value": Obj()})}, ignored=("hooks",))
    assert spec.coerce({"amount": {"value": {}}, "hooks": {"inputs": "x"}}, "") == {
        "amount": {"value": {}}
    }
    with pytest.raises(EmulatorError, match="hookz"):
        spec.coerce({"hookz": "x"}, "")
