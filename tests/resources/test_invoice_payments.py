"""invoice_payments: the current API's link from an invoice to what paid it."""

from __future__ import annotations

import pytest
import respx
from resource_cases import Case, CaseMaker, check_case, check_empty_id_rejected, check_list_paging

from stripe_async import StripeClient
from stripe_async.models import Invoice, InvoicePayment, PaymentIntent

P = "/v1/invoice_payments"
case = CaseMaker("invoice_payments", "invoice_payment", InvoicePayment, "inpay_1")

CASES = [
    case(
        "retrieve",
        ("inpay_1",),
        {"expand": ["payment.payment_intent"]},
        "GET",
        f"{P}/inpay_1",
        [("expand[0]", "payment.payment_intent")],
    ),
    case(
        "list",
        (),
        {"invoice": "in_1", "status": "paid", "payment": {"type": "payment_intent"}},
        "GET",
        P,
        [("invoice", "in_1"), ("status", "paid"), ("payment[type]", "payment_intent")],
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


async def test_list_pages_through_every_payment(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    await check_list_paging(
        stripe, api, "invoice_payments", "list", P, "invoice_payment", invoice="in_1"
    )


def test_an_invoices_payments_are_typed_down_to_the_payment_intent() -> None:
    invoice = Invoice.model_validate(
        {
            "id": "in_1",
            "object": "invoice",
            "payments": {
                "object": "list",
                "has_more": False,
                "data": [
                    {
                        "id": "inpay_1",
                        "object": "invoice_payment",
                        "payment": {
                            "type": "payment_intent",
                            "payment_intent": {"id": "pi_1", "object": "payment_intent"},
                        },
                    }
                ],
            },
        }
    )
    assert invoice.payments is not None
    payment = invoice.payments.data[0]
    assert isinstance(payment, InvoicePayment)
    assert payment.payment is not None and isinstance(payment.payment.payment_intent, PaymentIntent)
    assert payment.payment_intent_id == "pi_1"
    assert InvoicePayment.model_validate({"id": "inpay_2"}).payment_intent_id is None
