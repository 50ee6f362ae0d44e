"""products: every method's request and reply, ids, paging, idempotency."""

from __future__ import annotations

import pytest
import respx
from resource_cases import (
    Case,
    CaseMaker,
    check_case,
    check_empty_id_rejected,
    check_idempotency_key,
    check_list_paging,
    check_search_paging,
)

from stripe_async import StripeClient
from stripe_async.models import DeletedObject, Product

P = "/v1/products"
case = CaseMaker("products", "product", Product, "prod_1")

CASES = [
    case(
        "create",
        (),
        {
            "name": "Pro plan",
            "id": "pro",
            "active": True,
            "default_price_data": {
                "currency": "usd",
                "unit_amount": 1500,
                "recurring": {"interval": "month"},
            },
            "images": ["https://example.com/a.png"],
            "marketing_features": [{"name": "Unlimited seats"}],
            "package_dimensions": {"height": 1.5, "length": 2, "weight": 0.25, "width": 3},
            "tax_code": "txcd_10000000",
            "type": "service",
        },
        "POST",
        P,
        [
            ("name", "Pro plan"),
            ("id", "pro"),
            ("active", "true"),
            ("default_price_data[currency]", "usd"),
            ("default_price_data[unit_amount]", "1500"),
            ("default_price_data[recurring][interval]", "month"),
            ("images[0]", "https://example.com/a.png"),
            ("marketing_features[0][name]", "Unlimited seats"),
            ("package_dimensions[height]", "1.5"),
            ("package_dimensions[length]", "2"),
            ("package_dimensions[weight]", "0.25"),
            ("package_dimensions[width]", "3"),
            ("tax_code", "txcd_10000000"),
            ("type", "service"),
        ],
    ),
    case("retrieve", ("prod_1",), {}, "GET", f"{P}/prod_1", []),
    case(
        "update",
        ("prod_1",),
        {"active": False, "default_price": "price_2", "url": ""},
        "POST",
        f"{P}/prod_1",
        [("active", "false"), ("default_price", "price_2"), ("url", "")],
    ),
    case("delete", ("prod_1",), {}, "DELETE", f"{P}/prod_1", [], model=DeletedObject),
    case(
        "list",
        (),
        {"active": True, "ids": ["prod_1", "prod_2"]},
        "GET",
        P,
        [("active", "true"), ("ids[0]", "prod_1"), ("ids[1]", "prod_2")],
    ),
    case(
        "search", (), {"query": "active:'true'"}, "GET", f"{P}/search", [("query", "active:'true'")]
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


async def test_list_pages_through_every_product(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    await check_list_paging(stripe, api, "products", "list", P, "product")


async def test_search_follows_next_page(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_search_paging(stripe, api, "products", f"{P}/search", "product")
