"""subscription_items: every method's request and reply, ids, paging, idempotency."""

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
from stripe_async.models import DeletedObject, SubscriptionItem

P = "/v1/subscription_items"
case = CaseMaker("subscription_items", "subscription_item", SubscriptionItem, "si_1")

CASES = [
    case(
        "create",
        (),
        {
            "subscription": "sub_1",
            "price": "price_1",
            "quantity": 3,
            "proration_behavior": "create_prorations",
            "tax_rates": ["txr_1"],
            "metadata": {"seat": "extra"},
        },
        "POST",
        P,
        [
            ("subscription", "sub_1"),
            ("price", "price_1"),
            ("quantity", "3"),
            ("proration_behavior", "create_prorations"),
            ("tax_rates[0]", "txr_1"),
            ("metadata[seat]", "extra"),
        ],
    ),
    case("retrieve", ("si_1",), {}, "GET", f"{P}/si_1", []),
    case(
        "update",
        ("si_1",),
        {"quantity": 5, "proration_date": 1700000000, "tax_rates": ""},
        "POST",
        f"{P}/si_1",
        [("quantity", "5"), ("proration_date", "1700000000"), ("tax_rates", "")],
    ),
    case(
        "delete",
        ("si_1",),
        {"clear_usage": True, "proration_behavior": "none"},
        "DELETE",
        f"{P}/si_1",
        [("clear_usage", "true"), ("proration_behavior", "none")],
        model=DeletedObject,
    ),
    case("list", (), {"subscription": "sub_1"}, "GET", P, [("subscription", "sub_1")]),
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


async def test_list_pages_through_every_item(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_list_paging(
        stripe, api, "subscription_items", "list", P, "subscription_item", subscription="sub_1"
    )


async def test_list_needs_a_subscription(stripe: StripeClient, api: respx.MockRouter) -> None:
    with pytest.raises(ValueError, match="subscription="):
        stripe.subscription_items.list()  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="subscription="):
        stripe.subscription_items.list(subscription="")
    assert len(api.calls) == 0
