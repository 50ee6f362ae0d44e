"""payment_methods: every method's request and reply, ids, paging, idempotency."""

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
from stripe_async.models import PaymentMethod

P = "/v1/payment_methods"
case = CaseMaker("payment_methods", "payment_method", PaymentMethod, "pm_1")

CASES = [
    case(
        "create",
        (),
        {
            "type": "sepa_debit",
            "sepa_debit": {"iban": "DE89370400440532013000"},
            "billing_details": {
                "name": "Jenny",
                "email": "j@example.com",
                "address": {"country": "DE"},
            },
            "allow_redisplay": "limited",
            "metadata": {"k": "v"},
        },
        "POST",
        P,
        [
            ("type", "sepa_debit"),
            ("sepa_debit[iban]", "DE89370400440532013000"),
            ("billing_details[name]", "Jenny"),
            ("billing_details[email]", "j@example.com"),
            ("billing_details[address][country]", "DE"),
            ("allow_redisplay", "limited"),
            ("metadata[k]", "v"),
        ],
    ),
    case(
        "retrieve",
        ("pm_1",),
        {"expand": ["customer"]},
        "GET",
        f"{P}/pm_1",
        [("expand[0]", "customer")],
    ),
    case(
        "update",
        ("pm_1",),
        {"card": {"exp_month": 12, "exp_year": 2030}, "billing_details": {"phone": ""}},
        "POST",
        f"{P}/pm_1",
        [("card[exp_month]", "12"), ("card[exp_year]", "2030"), ("billing_details[phone]", "")],
    ),
    case(
        "attach",
        ("pm_1",),
        {"customer": "cus_1"},
        "POST",
        f"{P}/pm_1/attach",
        [("customer", "cus_1")],
    ),
    case("detach", ("pm_1",), {}, "POST", f"{P}/pm_1/detach", []),
    case(
        "list",
        (),
        {"customer": "cus_1", "type": "card", "limit": 10},
        "GET",
        P,
        [("customer", "cus_1"), ("type", "card"), ("limit", "10")],
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


async def test_list_pages_through_every_payment_method(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    await check_list_paging(
        stripe, api, "payment_methods", "list", P, "payment_method", customer="cus_1"
    )


async def test_raw_card_numbers_are_refused_before_sending(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    from stripe_async import PCIComplianceError

    with pytest.raises(PCIComplianceError):
        await stripe.payment_methods.create(
            type="card", card={"number": "4242424242424242", "exp_month": 1, "exp_year": 2030}
        )
    assert len(api.calls) == 0
