"""subscriptions: every method's request and reply, ids, paging, idempotency."""

from __future__ import annotations

import datetime as dt

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
from stripe_async.models import Subscription

P = "/v1/subscriptions"
case = CaseMaker("subscriptions", "subscription", Subscription, "sub_1")

CASES = [
    case(
        "create",
        (),
        {
            "customer": "cus_1",
            "items": [
                {"price": "price_1", "quantity": 2},
                {
                    "price_data": {
                        "currency": "usd",
                        "product": "prod_1",
                        "unit_amount": 500,
                        "recurring": {"interval": "month"},
                    }
                },
            ],
            "trial_end": dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
            "payment_behavior": "default_incomplete",
            "payment_settings": {"save_default_payment_method": "on_subscription"},
            "automatic_tax": {"enabled": True},
            "discounts": [{"coupon": "SPRING"}],
            "billing_cycle_anchor_config": {"day_of_month": 1},
            "metadata": {"plan": "pro"},
            "expand": ["latest_invoice.payment_intent"],
        },
        "POST",
        P,
        [
            ("customer", "cus_1"),
            ("items[0][price]", "price_1"),
            ("items[0][quantity]", "2"),
            ("items[1][price_data][currency]", "usd"),
            ("items[1][price_data][product]", "prod_1"),
            ("items[1][price_data][unit_amount]", "500"),
            ("items[1][price_data][recurring][interval]", "month"),
            ("trial_end", "1893456000"),
            ("payment_behavior", "default_incomplete"),
            ("payment_settings[save_default_payment_method]", "on_subscription"),
            ("automatic_tax[enabled]", "true"),
            ("discounts[0][coupon]", "SPRING"),
            ("billing_cycle_anchor_config[day_of_month]", "1"),
            ("metadata[plan]", "pro"),
            ("expand[0]", "latest_invoice.payment_intent"),
        ],
    ),
    case("retrieve", ("sub_1",), {}, "GET", f"{P}/sub_1", []),
    case(
        "update",
        ("sub_1",),
        {
            "items": [{"id": "si_1", "deleted": True}, {"price": "price_2"}],
            "proration_behavior": "always_invoice",
            "cancel_at_period_end": True,
            "trial_end": "now",
            "pause_collection": "",
        },
        "POST",
        f"{P}/sub_1",
        [
            ("items[0][id]", "si_1"),
            ("items[0][deleted]", "true"),
            ("items[1][price]", "price_2"),
            ("proration_behavior", "always_invoice"),
            ("cancel_at_period_end", "true"),
            ("trial_end", "now"),
            ("pause_collection", ""),
        ],
    ),
    case(
        "cancel",
        ("sub_1",),
        {
            "invoice_now": True,
            "prorate": False,
            "cancellation_details": {"feedback": "too_expensive"},
        },
        "DELETE",
        f"{P}/sub_1",
        [
            ("invoice_now", "true"),
            ("prorate", "false"),
            ("cancellation_details[feedback]", "too_expensive"),
        ],
    ),
    case(
        "resume",
        ("sub_1",),
        {"billing_cycle_anchor": "now", "proration_behavior": "none"},
        "POST",
        f"{P}/sub_1/resume",
        [("billing_cycle_anchor", "now"), ("proration_behavior", "none")],
    ),
    case(
        "list",
        (),
        {"customer": "cus_1", "status": "all", "price": "price_1"},
        "GET",
        P,
        [("customer", "cus_1"), ("status", "all"), ("price", "price_1")],
    ),
    case(
        "search",
        (),
        {"query": "status:'active'"},
        "GET",
        f"{P}/search",
        [("query", "status:'active'")],
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


async def test_list_pages_through_every_subscription(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    await check_list_paging(stripe, api, "subscriptions", "list", P, "subscription", status="all")


async def test_search_follows_next_page(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_search_paging(stripe, api, "subscriptions", f"{P}/search", "subscription")
