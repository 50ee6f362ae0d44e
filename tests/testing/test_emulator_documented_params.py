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
import sys
import typing
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from stripe_async import StripeClient, StripeError
from stripe_async.resources._base import RequestOptions, Service
from stripe_async.resources.invoices import InvoiceUpcomingParams, upcoming_to_preview_params
from stripe_async.testing._errors import EmulatorError
from stripe_async.testing._params import Obj
from stripe_async.testing._router import Route, Router
from stripe_async.testing._routes import ROUTES

#: Per-call options and `expand`, which the emulator's app handles for every route.
NOT_API_PARAMS = frozenset(RequestOptions.__annotations__) | {"expand"}
#: Parameters the SDK itself insists on before it sends anything.
SDK_CHECKED = {
    "query": "status:'active'",
    "subscription": "sub_123",
    "setup_intent": "seti_123",
    "customer": "cus_123",
    "start_time": 1_700_000_000,
    "end_time": 1_700_003_600,
    "invoice": "in_123",
}
#: invoices.upcoming is a deprecated shim: it renames its legacy parameters and
#: posts to create_preview, so its own TypedDict names never reach Stripe. The
#: translated request is checked by test_upcoming_translated_params_are_accepted.
TRANSLATED_BY_SDK = {("invoices", "upcoming")}

ROUTER = Router(ROUTES)

#: The services and methods the emulator simulates (the SDK has every v1 method;
#: the emulator covers the payments, billing and webhook core).
EMULATED = {
    "balance": "retrieve",
    "charges": "create retrieve update capture list search",
    "customers": "create retrieve update delete list search list_payment_methods",
    "events": "retrieve list",
    "invoice_items": "create retrieve update delete list",
    "invoice_payments": "retrieve list",
    "invoices": "create retrieve update delete finalize send pay void mark_uncollectible "
    "list search list_lines list_line_items create_preview upcoming",
    "payment_intents": "create retrieve update confirm capture cancel increment_authorization "
    "apply_customer_balance list search",
    "payment_methods": "create retrieve update list attach detach",
    "prices": "create retrieve update list search",
    "products": "create retrieve update delete list search",
    "refunds": "create retrieve update list cancel",
    "subscription_items": "create retrieve update delete list",
    "subscriptions": "create retrieve update cancel resume list search",
    "webhook_endpoints": "create retrieve update delete list",
    # The SaaS flows.
    "account_links": "create",
    "accounts": "create retrieve update delete list",
    "application_fees": "retrieve list",
    "balance_transactions": "retrieve list",
    "billing_portal.configurations": "create retrieve update list",
    "billing_portal.sessions": "create",
    "checkout.sessions": "create retrieve update list expire",
    "coupons": "create retrieve update delete list",
    "promotion_codes": "create retrieve update list",
    "setup_attempts": "list",
    "setup_intents": "create retrieve update confirm cancel list",
    "transfers": "create retrieve update list",
    # Billing over time.
    "billing.meters": "create retrieve update list deactivate reactivate",
    "billing.meter_events": "create",
    "billing.meter_event_adjustments": "create",
    "billing.meters.event_summaries": "list",
    "tax_rates": "create retrieve update list",
    "credit_notes": "create retrieve update list preview void_credit_note",
    "credit_notes.line_items": "list",
    "credit_notes.preview_lines": "list",
    "customers.balance_transactions": "create retrieve update list",
    "disputes": "retrieve update list close",
    "subscription_schedules": "create retrieve update list cancel release",
}


def _service(client: Any, name: str) -> Any:
    """`client.checkout.sessions` for "checkout.sessions"."""
    for part in name.split("."):
        client = getattr(client, part)
    return client


def _services() -> dict[str, type[Service]]:
    client = StripeClient("sk_test_walk")
    return {name: type(_service(client, name)) for name in EMULATED}


def _methods() -> Iterator[tuple[str, str]]:
    for service_name, service in sorted(_services().items()):
        for method_name in EMULATED[service_name].split():
            assert inspect.isfunction(getattr(service, method_name))
            yield service_name, method_name


def _params_type(function: Callable[..., Any]) -> Any:
    """The TypedDict of a method's `**params: Unpack[...]`."""
    (var_kw,) = (
        p for p in inspect.signature(function).parameters.values() if p.kind == p.VAR_KEYWORD
    )
    # Parameter types are imported for type checkers; the service module hands them out.
    module = sys.modules[function.__module__]
    names = {name: getattr(module, name) for name in getattr(module, "__all__", ())}
    unpacked = typing.get_type_hints(function, localns=names, include_extras=True)[var_kw.name]
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
        bound = getattr(_service(client, service), method)
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
    # create_preview's own object, which the legacy flat parameters are merged into.
    legacy.discard("subscription_details")
    preview = upcoming_to_preview_params({name: "x" for name in legacy})
    spec = ROUTER.match("POST", "/v1/invoices/create_preview")[0].params
    assert _rejected(spec, set(preview)) == []
    details = spec.fields["subscription_details"]
    assert isinstance(details, Obj)
    assert _rejected(details, set(preview["subscription_details"])) == []
    assert spec.accepts("discounts")


def test_unsupported_parameters_are_refused_by_name() -> None:
    spec = Obj({"amount": Obj({"value": Obj()}, unsupported=("tip",))}, unsupported=("hooks",))
    assert spec.coerce({"amount": {"value": {}}}, "") == {"amount": {"value": {}}}
    with pytest.raises(EmulatorError) as info:
        spec.coerce({"hooks": {"inputs": "x"}}, "")
    assert info.value.code == "emulator_unsupported" and info.value.param == "hooks"
    with pytest.raises(EmulatorError) as info:
        spec.coerce({"amount": {"tip": "1"}}, "")
    assert info.value.code == "emulator_unsupported" and info.value.param == "amount[tip]"
    with pytest.raises(EmulatorError, match="hookz") as info:
        spec.coerce({"hookz": "x"}, "")
    assert info.value.code == "parameter_unknown"
