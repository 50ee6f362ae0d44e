"""invoices: every method's request and reply, ids, paging, idempotency, previews."""

from __future__ import annotations

from typing import Any

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
from stripe_async.models import DeletedObject, Invoice, InvoiceLineItem, InvoicePreview
from stripe_async.resources.invoices import upcoming_to_preview_params

P = "/v1/invoices"
case = CaseMaker("invoices", "invoice", Invoice, "in_1")

CASES = [
    case(
        "create",
        (),
        {
            "customer": "cus_1",
            "collection_method": "send_invoice",
            "days_until_due": 30,
            "auto_advance": False,
            "custom_fields": [{"name": "PO", "value": "123"}],
            "rendering": {"amount_tax_display": "include_inclusive_tax"},
            "discounts": "",
            "pending_invoice_items_behavior": "exclude",
            "metadata": {"k": "v"},
        },
        "POST",
        P,
        [
            ("customer", "cus_1"),
            ("collection_method", "send_invoice"),
            ("days_until_due", "30"),
            ("auto_advance", "false"),
            ("custom_fields[0][name]", "PO"),
            ("custom_fields[0][value]", "123"),
            ("rendering[amount_tax_display]", "include_inclusive_tax"),
            ("discounts", ""),
            ("pending_invoice_items_behavior", "exclude"),
            ("metadata[k]", "v"),
        ],
    ),
    case(
        "retrieve",
        ("in_1",),
        {"expand": ["subscription"]},
        "GET",
        f"{P}/in_1",
        [("expand[0]", "subscription")],
    ),
    case(
        "update",
        ("in_1",),
        {"description": "Thanks!", "footer": "", "due_date": 1800000000},
        "POST",
        f"{P}/in_1",
        [("description", "Thanks!"), ("footer", ""), ("due_date", "1800000000")],
    ),
    case("delete", ("in_1",), {}, "DELETE", f"{P}/in_1", [], model=DeletedObject),
    case(
        "finalize",
        ("in_1",),
        {"auto_advance": True},
        "POST",
        f"{P}/in_1/finalize",
        [("auto_advance", "true")],
    ),
    case("send", ("in_1",), {}, "POST", f"{P}/in_1/send", []),
    case(
        "pay",
        ("in_1",),
        {"payment_method": "pm_1", "off_session": True, "paid_out_of_band": False},
        "POST",
        f"{P}/in_1/pay",
        [("payment_method", "pm_1"), ("off_session", "true"), ("paid_out_of_band", "false")],
    ),
    case("void", ("in_1",), {}, "POST", f"{P}/in_1/void", []),
    case("mark_uncollectible", ("in_1",), {}, "POST", f"{P}/in_1/mark_uncollectible", []),
    case(
        "list",
        (),
        {"customer": "cus_1", "status": "open", "due_date": {"lt": 1800000000}},
        "GET",
        P,
        [("customer", "cus_1"), ("status", "open"), ("due_date[lt]", "1800000000")],
    ),
    case(
        "search", (), {"query": "status:'open'"}, "GET", f"{P}/search", [("query", "status:'open'")]
    ),
    case(
        "list_lines",
        ("in_1",),
        {"limit": 100},
        "GET",
        f"{P}/in_1/lines",
        [("limit", "100")],
        model=InvoiceLineItem,
        reply={
            "object": "list",
            "has_more": False,
            "data": [{"id": "il_1", "object": "line_item"}],
        },
    ),
    case(
        "create_preview",
        (),
        {
            "customer": "cus_1",
            "subscription": "sub_1",
            "subscription_details": {
                "items": [{"id": "si_1", "price": "price_2"}],
                "proration_date": 1700000000,
                "proration_behavior": "create_prorations",
            },
            "preview_mode": "next",
        },
        "POST",
        f"{P}/create_preview",
        [
            ("customer", "cus_1"),
            ("subscription", "sub_1"),
            ("subscription_details[items][0][id]", "si_1"),
            ("subscription_details[items][0][price]", "price_2"),
            ("subscription_details[proration_date]", "1700000000"),
            ("subscription_details[proration_behavior]", "create_prorations"),
            ("preview_mode", "next"),
        ],
        reply={"object": "invoice", "id": "upcoming_in_1"},
        model=InvoicePreview,
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


async def test_list_pages_through_every_invoice(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    await check_list_paging(stripe, api, "invoices", "list", P, "invoice", customer="cus_1")


async def test_list_lines_pages_through_every_line(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    await check_list_paging(
        stripe, api, "invoices", "list_lines", f"{P}/in_1/lines", "line_item", "in_1"
    )


async def test_search_follows_next_page(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_search_paging(stripe, api, "invoices", f"{P}/search", "invoice")


async def test_upcoming_warns_and_posts_a_translated_create_preview(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    """GET /v1/invoices/upcoming is gone on the pinned version: upcoming() previews instead."""
    preview = api.post(f"{P}/create_preview").respond(200, json={"object": "invoice", "id": "x"})
    with pytest.warns(DeprecationWarning, match="create_preview"):
        invoice = await stripe.invoices.upcoming(
            customer="cus_1",
            subscription="sub_1",
            subscription_items=[{"id": "si_1", "quantity": 2}],
            subscription_proration_date=1700000000,
            coupon="SPRING",
            idempotency_key="preview-1",
        )
    assert isinstance(invoice, InvoicePreview)
    request = preview.calls.last.request
    assert request.headers["Idempotency-Key"] == "preview-1"
    assert sorted(check_pairs(request)) == sorted(
        [
            ("customer", "cus_1"),
            ("subscription", "sub_1"),
            ("subscription_details[items][0][id]", "si_1"),
            ("subscription_details[items][0][quantity]", "2"),
            ("subscription_details[proration_date]", "1700000000"),
            ("discounts[0][coupon]", "SPRING"),
        ]
    )


def check_pairs(request: Any) -> list[tuple[str, str]]:
    from resource_cases import sent_pairs

    return sent_pairs(request)


def test_upcoming_translation_moves_every_subscription_param() -> None:
    legacy = {
        "subscription_billing_cycle_anchor": "now",
        "subscription_cancel_at": 1,
        "subscription_cancel_at_period_end": True,
        "subscription_cancel_now": False,
        "subscription_default_tax_rates": ["txr_1"],
        "subscription_items": [{"price": "p"}],
        "subscription_proration_behavior": "none",
        "subscription_proration_date": 2,
        "subscription_resume_at": "now",
        "subscription_start_date": 3,
        "subscription_trial_end": "now",
        "customer_details": {"tax_exempt": "none"},
        "timeout": 5.0,
    }
    assert upcoming_to_preview_params(legacy) == {
        "customer_details": {"tax_exempt": "none"},
        "timeout": 5.0,
        "subscription_details": {
            "billing_cycle_anchor": "now",
            "cancel_at": 1,
            "cancel_at_period_end": True,
            "cancel_now": False,
            "default_tax_rates": ["txr_1"],
            "items": [{"price": "p"}],
            "proration_behavior": "none",
            "proration_date": 2,
            "resume_at": "now",
            "start_date": 3,
            "trial_end": "now",
        },
    }


def test_upcoming_translation_refuses_what_has_no_equivalent() -> None:
    with pytest.raises(ValueError, match="trial_end"):
        upcoming_to_preview_params({"subscription_trial_from_plan": True})
    with pytest.raises(ValueError, match="not both"):
        upcoming_to_preview_params({"coupon": "A", "discounts": [{"coupon": "B"}]})
