"""invoice_items (/v1/invoiceitems): every method's request and reply, ids, paging."""

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
)

from stripe_async import StripeClient
from stripe_async.models import DeletedObject, InvoiceItem

P = "/v1/invoiceitems"
case = CaseMaker("invoice_items", "invoiceitem", InvoiceItem, "ii_1")

CASES = [
    case(
        "create",
        (),
        {
            "customer": "cus_1",
            "amount": 1000,
            "currency": "usd",
            "description": "Setup fee",
            "period": {"start": 1700000000, "end": 1700003600},
            "pricing": {"price": "price_1"},
            "quantity_decimal": Decimal("1.5"),
            "discountable": False,
            "tax_rates": ["txr_1"],
        },
        "POST",
        P,
        [
            ("customer", "cus_1"),
            ("amount", "1000"),
            ("currency", "usd"),
            ("description", "Setup fee"),
            ("period[start]", "1700000000"),
            ("period[end]", "1700003600"),
            ("pricing[price]", "price_1"),
            ("quantity_decimal", "1.5"),
            ("discountable", "false"),
            ("tax_rates[0]", "txr_1"),
        ],
    ),
    case("retrieve", ("ii_1",), {}, "GET", f"{P}/ii_1", []),
    case(
        "update",
        ("ii_1",),
        {
            "description": "Setup",
            "price_data": {"currency": "usd", "product": "prod_1", "unit_amount": 5},
        },
        "POST",
        f"{P}/ii_1",
        [
            ("description", "Setup"),
            ("price_data[currency]", "usd"),
            ("price_data[product]", "prod_1"),
            ("price_data[unit_amount]", "5"),
        ],
    ),
    case("delete", ("ii_1",), {}, "DELETE", f"{P}/ii_1", [], model=DeletedObject),
    case(
        "list",
        (),
        {"customer": "cus_1", "pending": True},
        "GET",
        P,
        [("customer", "cus_1"), ("pending", "true")],
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


async def test_list_pages_through_every_item(stripe: StripeClient, api: respx.MockRouter) -> None:
    await check_list_paging(stripe, api, "invoice_items", "list", P, "invoiceitem", pending="true")
