"""webhook_endpoints: every method's request and reply, ids, paging, idempotency."""

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
from stripe_async.models import DeletedObject, WebhookEndpoint

P = "/v1/webhook_endpoints"
case = CaseMaker("webhook_endpoints", "webhook_endpoint", WebhookEndpoint, "we_1")

CASES = [
    case(
        "create",
        (),
        {
            "url": "https://example.com/hooks",
            "enabled_events": ["payment_intent.succeeded", "invoice.paid"],
            "api_version": "2026-10-28.endive",
            "connect": False,
            "description": "prod",
        },
        "POST",
        P,
        [
            ("url", "https://example.com/hooks"),
            ("enabled_events[0]", "payment_intent.succeeded"),
            ("enabled_events[1]", "invoice.paid"),
            ("api_version", "2026-10-28.endive"),
            ("connect", "false"),
            ("description", "prod"),
        ],
    ),
    case("retrieve", ("we_1",), {}, "GET", f"{P}/we_1", []),
    case(
        "update",
        ("we_1",),
        {"disabled": True, "enabled_events": ["*"], "description": ""},
        "POST",
        f"{P}/we_1",
        [("disabled", "true"), ("enabled_events[0]", "*"), ("description", "")],
    ),
    case("delete", ("we_1",), {}, "DELETE", f"{P}/we_1", [], model=DeletedObject),
    case("list", (), {"limit": 50}, "GET", P, [("limit", "50")]),
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


async def test_list_pages_through_every_endpoint(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    await check_list_paging(stripe, api, "webhook_endpoints", "list", P, "webhook_endpoint")
