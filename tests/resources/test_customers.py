"""customers: every method's request and reply, ids, paging, idempotency."""

from __future__ import annotations

from typing import Any

import pytest
import respx
from resource_cases import (
    Case,
    check_case,
    check_empty_id_rejected,
    check_idempotency_key,
    check_list_paging,
    check_search_paging,
    page_of,
    sent_pairs,
)

from stripe_async import StripeClient
from stripe_async.models import Customer, DeletedObject, PaymentMethod

CUS = {"id": "cus_1", "object": "customer"}

CASES = [
    Case(
        "customers",
        "create",
        (),
        {
            "email": "jenny@example.com",
            "name": "Jenny Rosen",
            "address": {"line1": "1 Main St", "city": "Berlin", "country": "DE"},
            "shipping": {"name": "Jenny", "address": {"city": "Berlin"}},
            "metadata": {"order": "42"},
            "preferred_locales": ["de", "en"],
            "invoice_settings": {"custom_fields": [{"name": "VAT", "value": "DE1"}]},
            "tax": {"validate_location": "immediately"},
            "tax_exempt": "none",
            "balance": -500,
            "business_name": "",
            "expand": ["tax"],
        },
        "POST",
        "/v1/customers",
        [
            ("email", "jenny@example.com"),
            ("name", "Jenny Rosen"),
            ("address[line1]", "1 Main St"),
            ("address[city]", "Berlin"),
            ("address[country]", "DE"),
            ("shipping[name]", "Jenny"),
            ("shipping[address][city]", "Berlin"),
            ("metadata[order]", "42"),
            ("preferred_locales[0]", "de"),
            ("preferred_locales[1]", "en"),
            ("invoice_settings[custom_fields][0][name]", "VAT"),
            ("invoice_settings[custom_fields][0][value]", "DE1"),
            ("tax[validate_location]", "immediately"),
            ("tax_exempt", "none"),
            ("balance", "-500"),
            ("business_name", ""),
            ("expand[0]", "tax"),
        ],
        CUS,
        Customer,
    ),
    Case(
        "customers",
        "retrieve",
        ("cus_1",),
        {"expand": ["default_source", "invoice_settings.default_payment_method"]},
        "GET",
        "/v1/customers/cus_1",
        [("expand[0]", "default_source"), ("expand[1]", "invoice_settings.default_payment_method")],
        CUS,
        Customer,
    ),
    Case(
        "customers",
        "update",
        ("cus_1",),
        {
            "description": "VIP",
            "metadata": "",
            "invoice_settings": {"default_payment_method": "pm_1"},
        },
        "POST",
        "/v1/customers/cus_1",
        [
            ("description", "VIP"),
            ("metadata", ""),
            ("invoice_settings[default_payment_method]", "pm_1"),
        ],
        CUS,
        Customer,
    ),
    Case(
        "customers",
        "delete",
        ("cus_1",),
        {},
        "DELETE",
        "/v1/customers/cus_1",
        [],
        {**CUS, "deleted": True},
        DeletedObject,
    ),
    Case(
        "customers",
        "list",
        (),
        {"email": "jenny@example.com", "created": {"gte": 1700000000}, "limit": 3},
        "GET",
        "/v1/customers",
        [("email", "jenny@example.com"), ("created[gte]", "1700000000"), ("limit", "3")],
        page_of("customer", ["cus_1", "cus_2"], False, "/v1/customers"),
        Customer,
    ),
    Case(
        "customers",
        "search",
        (),
        {"query": "email:'jenny@example.com'", "limit": 10},
        "GET",
        "/v1/customers/search",
        [("query", "email:'jenny@example.com'"), ("limit", "10")],
        {"object": "search_result", "has_more": False, "data": [CUS]},
        Customer,
    ),
    Case(
        "customers",
        "list_payment_methods",
        ("cus_1",),
        {"type": "card", "allow_redisplay": "always", "limit": 5},
        "GET",
        "/v1/customers/cus_1/payment_methods",
        [("type", "card"), ("allow_redisplay", "always"), ("limit", "5")],
        page_of("payment_method", ["pm_1"], False, "/v1/customers/cus_1/payment_methods"),
        PaymentMethod,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
async def test_method_sends_request_and_parses_reply(
    stripe: StripeClient, api: respx.MockRouter, case: Case
) -> None:
    await check_case(stripe, api, case)


@pytest.mark.parametrize("case", [c for c in CASES if c.args], ids=lambda c: c.id)
async def test_empty_id_is_rejected_before_sending(
    stripe: StripeClient, api: respx.MockRouter, case: Case
) -> None:
    await check_empty_id_rejected(stripe, api, case)


@pytest.mark.parametrize("case", [c for c in CASES if c.verb == "POST"], ids=lambda c: c.id)
async def test_post_sends_callers_idempotency_key(
    stripe: StripeClient, api: respx.MockRouter, case: Case
) -> None:
    await check_idempotency_key(stripe, api, case)


async def test_list_pages_through_every_customer(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    await check_list_paging(
        stripe, api, "customers", "list", "/v1/customers", "customer", email="a@b.co"
    )


async def test_list_payment_methods_pages(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_list_paging(
        stripe,
        api,
        "customers",
        "list_payment_methods",
        "/v1/customers/cus_1/payment_methods",
        "payment_method",
        "cus_1",
        type="card",
    )


async def test_search_follows_next_page(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_search_paging(stripe, api, "customers", "/v1/customers/search", "customer")


async def test_unknown_params_pass_through(stripe: StripeClient, api: respx.MockRouter) -> None:
    route = api.post("/v1/customers").respond(200, json=CUS)
    # How typed code passes a parameter the TypedDicts do not know yet.
    extra: dict[str, Any] = {"brand_new_param": {"nested": True}}
    await stripe.customers.create(email="a@b.co", **extra)
    assert sent_pairs(route.calls.last.request) == [
        ("email", "a@b.co"),
        ("brand_new_param[nested]", "true"),
    ]


async def test_ids_are_escaped_in_the_path(stripe: StripeClient, api: respx.MockRouter) -> None:
    route = api.get("/v1/customers/cus_1%2F..%2Fx").respond(200, json=CUS)
    await stripe.customers.retrieve("cus_1/../x")
    assert route.call_count == 1
