"""payment_intents: every method's request and reply, ids, paging, idempotency."""

from __future__ import annotations

import httpx
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
    sent_pairs,
)

from stripe_async import StripeClient
from stripe_async.models import PaymentIntent

PI = {"id": "pi_1", "object": "payment_intent"}
P = "/v1/payment_intents"


case = CaseMaker("payment_intents", "payment_intent", PaymentIntent, "pi_1")

CASES = [
    case(
        "create",
        (),
        {
            "amount": 2000,
            "currency": "eur",
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
            "customer": "cus_1",
            "capture_method": "manual",
            "confirm": False,
            "description": "Order 42",
            "metadata": {"order": "42"},
            "payment_method_options": {"card": {"request_three_d_secure": "any"}},
            "shipping": {"name": "Jenny", "address": {"line1": "1 Main St"}},
            "statement_descriptor_suffix": "ORDER42",
            "expand": ["latest_charge"],
        },
        "POST",
        P,
        [
            ("amount", "2000"),
            ("currency", "eur"),
            ("automatic_payment_methods[enabled]", "true"),
            ("automatic_payment_methods[allow_redirects]", "never"),
            ("customer", "cus_1"),
            ("capture_method", "manual"),
            ("confirm", "false"),
            ("description", "Order 42"),
            ("metadata[order]", "42"),
            ("payment_method_options[card][request_three_d_secure]", "any"),
            ("shipping[name]", "Jenny"),
            ("shipping[address][line1]", "1 Main St"),
            ("statement_descriptor_suffix", "ORDER42"),
            ("expand[0]", "latest_charge"),
        ],
    ),
    case(
        "retrieve",
        ("pi_1",),
        {"expand": ["customer"]},
        "GET",
        f"{P}/pi_1",
        [("expand[0]", "customer")],
    ),
    case(
        "update",
        ("pi_1",),
        {"amount": 2500, "receipt_email": "", "setup_future_usage": "off_session"},
        "POST",
        f"{P}/pi_1",
        [("amount", "2500"), ("receipt_email", ""), ("setup_future_usage", "off_session")],
    ),
    case(
        "confirm",
        ("pi_1",),
        {
            "payment_method": "pm_card_visa",
            "return_url": "https://example.com/done",
            "mandate_data": {"customer_acceptance": {"type": "online"}},
            "off_session": True,
        },
        "POST",
        f"{P}/pi_1/confirm",
        [
            ("payment_method", "pm_card_visa"),
            ("return_url", "https://example.com/done"),
            ("mandate_data[customer_acceptance][type]", "online"),
            ("off_session", "true"),
        ],
    ),
    case(
        "capture",
        ("pi_1",),
        {"amount_to_capture": 1500, "final_capture": True, "metadata": {"k": "v"}},
        "POST",
        f"{P}/pi_1/capture",
        [("amount_to_capture", "1500"), ("final_capture", "true"), ("metadata[k]", "v")],
    ),
    case(
        "cancel",
        ("pi_1",),
        {"cancellation_reason": "requested_by_customer"},
        "POST",
        f"{P}/pi_1/cancel",
        [("cancellation_reason", "requested_by_customer")],
    ),
    case(
        "increment_authorization",
        ("pi_1",),
        {"amount": 3000, "description": "tip", "transfer_data": {"amount": 100}},
        "POST",
        f"{P}/pi_1/increment_authorization",
        [("amount", "3000"), ("description", "tip"), ("transfer_data[amount]", "100")],
    ),
    case(
        "apply_customer_balance",
        ("pi_1",),
        {"amount": 500, "currency": "eur"},
        "POST",
        f"{P}/pi_1/apply_customer_balance",
        [("amount", "500"), ("currency", "eur")],
    ),
    case(
        "list",
        (),
        {"customer": "cus_1", "created": {"lt": 1700000000}, "limit": 2},
        "GET",
        P,
        [("customer", "cus_1"), ("created[lt]", "1700000000"), ("limit", "2")],
    ),
    case(
        "search",
        (),
        {"query": "status:'succeeded'"},
        "GET",
        f"{P}/search",
        [("query", "status:'succeeded'")],
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


async def test_list_pages_through_every_intent(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_list_paging(stripe, api, "payment_intents", "list", P, "payment_intent")


async def test_search_follows_next_page(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_search_paging(stripe, api, "payment_intents", f"{P}/search", "payment_intent")


async def test_create_payment_intent_convenience_normalises_currency(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    route = api.post(P).respond(200, json=PI)
    pi = await stripe.create_payment_intent(1000, " USD ", customer="cus_1")
    assert isinstance(pi, PaymentIntent)
    assert sent_pairs(route.calls.last.request) == [
        ("amount", "1000"),
        ("currency", "usd"),
        ("customer", "cus_1"),
    ]


async def test_generated_key_is_reused_across_retries(api: respx.MockRouter) -> None:
    route = api.post(P).mock(
        side_effect=[
            httpx.Response(500, json={"error": {"type": "api_error"}}),
            httpx.Response(200, json=PI),
        ]
    )

    async def no_sleep(_: float) -> None:
        return None

    async with StripeClient("sk_test_r", rate_limit=None, max_retries=1, sleep=no_sleep) as client:
        await client.payment_intents.create(amount=100, currency="usd")
    keys = [c.request.headers["Idempotency-Key"] for c in route.calls]
    assert len(keys) == 2
    assert keys[0] == keys[1]
