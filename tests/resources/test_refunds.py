"""refunds: every method's request and reply, ids, paging, idempotency."""

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
)

from stripe_async import StripeClient
from stripe_async.models import Refund

P = "/v1/refunds"
case = CaseMaker("refunds", "refund", Refund, "re_1")

CASES = [
    case(
        "create",
        (),
        {
            "payment_intent": "pi_1",
            "amount": 300,
            "reason": "requested_by_customer",
            "metadata": {"ticket": "T-1"},
            "refund_application_fee": True,
        },
        "POST",
        P,
        [
            ("payment_intent", "pi_1"),
            ("amount", "300"),
            ("reason", "requested_by_customer"),
            ("metadata[ticket]", "T-1"),
            ("refund_application_fee", "true"),
        ],
    ),
    case(
        "retrieve", ("re_1",), {"expand": ["charge"]}, "GET", f"{P}/re_1", [("expand[0]", "charge")]
    ),
    case("update", ("re_1",), {"metadata": {"k": ""}}, "POST", f"{P}/re_1", [("metadata[k]", "")]),
    case("cancel", ("re_1",), {}, "POST", f"{P}/re_1/cancel", []),
    case(
        "list",
        (),
        {"charge": "ch_1", "created": {"gt": 1, "lte": 2}},
        "GET",
        P,
        [("charge", "ch_1"), ("created[gt]", "1"), ("created[lte]", "2")],
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


async def test_list_pages_through_every_refund(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_list_paging(stripe, api, "refunds", "list", P, "refund", payment_intent="pi_1")
