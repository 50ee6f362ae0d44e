"""events: retrieve and list."""

from __future__ import annotations

import pytest
import respx
from resource_cases import (
    Case,
    CaseMaker,
    check_case,
    check_empty_id_rejected,
    check_list_paging,
)

from stripe_async import StripeClient
from stripe_async.models import Event

P = "/v1/events"
EVENT_FIELDS = {"type": "charge.succeeded", "data": {"object": {"id": "ch_1", "object": "charge"}}}
case = CaseMaker("events", "event", Event, "evt_1", EVENT_FIELDS)

CASES = [
    case("retrieve", ("evt_1",), {}, "GET", f"{P}/evt_1", []),
    case(
        "list",
        (),
        {"types": ["invoice.paid", "invoice.payment_failed"], "delivery_success": False},
        "GET",
        P,
        [
            ("types[0]", "invoice.paid"),
            ("types[1]", "invoice.payment_failed"),
            ("delivery_success", "false"),
        ],
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


async def test_list_pages_through_every_event(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_list_paging(
        stripe, api, "events", "list", P, "event", item_fields=EVENT_FIELDS, type="charge.succeeded"
    )
