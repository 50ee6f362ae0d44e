"""prices: every method's request and reply, ids, paging, idempotency."""

from __future__ import annotations

from decimal import Decimal

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
from stripe_async.models import Price

P = "/v1/prices"
case = CaseMaker("prices", "price", Price, "price_1")

CASES = [
    case(
        "create",
        (),
        {
            "currency": "usd",
            "product": "prod_1",
            "unit_amount_decimal": Decimal("0.0125"),
            "recurring": {"interval": "month", "interval_count": 3, "usage_type": "licensed"},
            "lookup_key": "pro_quarterly",
            "transfer_lookup_key": True,
            "tax_behavior": "exclusive",
            "currency_options": {"eur": {"unit_amount": 1400}},
            "tiers": [{"up_to": 10, "unit_amount": 100}, {"up_to": "inf", "unit_amount": 80}],
            "tiers_mode": "graduated",
            "billing_scheme": "tiered",
        },
        "POST",
        P,
        [
            ("currency", "usd"),
            ("product", "prod_1"),
            ("unit_amount_decimal", "0.0125"),
            ("recurring[interval]", "month"),
            ("recurring[interval_count]", "3"),
            ("recurring[usage_type]", "licensed"),
            ("lookup_key", "pro_quarterly"),
            ("transfer_lookup_key", "true"),
            ("tax_behavior", "exclusive"),
            ("currency_options[eur][unit_amount]", "1400"),
            ("tiers[0][up_to]", "10"),
            ("tiers[0][unit_amount]", "100"),
            ("tiers[1][up_to]", "inf"),
            ("tiers[1][unit_amount]", "80"),
            ("tiers_mode", "graduated"),
            ("billing_scheme", "tiered"),
        ],
    ),
    case(
        "retrieve",
        ("price_1",),
        {"expand": ["product"]},
        "GET",
        f"{P}/price_1",
        [("expand[0]", "product")],
    ),
    case(
        "update",
        ("price_1",),
        {"active": False, "nickname": "old", "metadata": {"a": "b"}},
        "POST",
        f"{P}/price_1",
        [("active", "false"), ("nickname", "old"), ("metadata[a]", "b")],
    ),
    case(
        "list",
        (),
        {
            "product": "prod_1",
            "type": "recurring",
            "lookup_keys": ["a", "b"],
            "recurring": {"interval": "year"},
        },
        "GET",
        P,
        [
            ("product", "prod_1"),
            ("type", "recurring"),
            ("lookup_keys[0]", "a"),
            ("lookup_keys[1]", "b"),
            ("recurring[interval]", "year"),
        ],
    ),
    case(
        "search",
        (),
        {"query": "lookup_key:'a'"},
        "GET",
        f"{P}/search",
        [("query", "lookup_key:'a'")],
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


async def test_list_pages_through_every_price(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_list_paging(stripe, api, "prices", "list", P, "price", product="prod_1")


async def test_search_follows_next_page(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_search_paging(stripe, api, "prices", f"{P}/search", "price")
