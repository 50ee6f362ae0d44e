"""charges: every method's request and reply, ids, paging, idempotency."""

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
from stripe_async.models import Charge

P = "/v1/charges"
case = CaseMaker("charges", "charge", Charge, "ch_1")

CASES = [
    case(
        "create",
        (),
        {
            "amount": 999,
            "currency": "usd",
            "source": "tok_visa",
            "capture": False,
            "description": "Legacy charge",
            "metadata": {"order": "7"},
            "shipping": {"name": "J", "address": {"line1": "x"}},
            "transfer_data": {"destination": "acct_1", "amount": 100},
            "expand": ["balance_transaction"],
        },
        "POST",
        P,
        [
            ("amount", "999"),
            ("currency", "usd"),
            ("source", "tok_visa"),
            ("capture", "false"),
            ("description", "Legacy charge"),
            ("metadata[order]", "7"),
            ("shipping[name]", "J"),
            ("shipping[address][line1]", "x"),
            ("transfer_data[destination]", "acct_1"),
            ("transfer_data[amount]", "100"),
            ("expand[0]", "balance_transaction"),
        ],
    ),
    case("retrieve", ("ch_1",), {}, "GET", f"{P}/ch_1", []),
    case(
        "update",
        ("ch_1",),
        {"description": "x", "fraud_details": {"user_report": "safe"}, "receipt_email": "a@b.co"},
        "POST",
        f"{P}/ch_1",
        [("description", "x"), ("fraud_details[user_report]", "safe"), ("receipt_email", "a@b.co")],
    ),
    case(
        "capture",
        ("ch_1",),
        {"amount": 500, "statement_descriptor_suffix": "CAP"},
        "POST",
        f"{P}/ch_1/capture",
        [("amount", "500"), ("statement_descriptor_suffix", "CAP")],
    ),
    case(
        "list",
        (),
        {"payment_intent": "pi_1", "limit": 1},
        "GET",
        P,
        [("payment_intent", "pi_1"), ("limit", "1")],
    ),
    case("search", (), {"query": "amount>999"}, "GET", f"{P}/search", [("query", "amount>999")]),
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


async def test_list_pages_through_every_charge(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_list_paging(stripe, api, "charges", "list", P, "charge")


async def test_search_follows_next_page(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_search_paging(stripe, api, "charges", f"{P}/search", "charge")
