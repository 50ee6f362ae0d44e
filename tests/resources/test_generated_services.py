"""What the generated services add beyond a plain call: uploads, downloads, unions, aliases."""

from __future__ import annotations

import io

import httpx
import pytest
import respx

from stripe_async import InvalidArgumentError, StripeClient
from stripe_async.models import BankAccount, Card, File, Invoice, StripeObject
from stripe_async.resources import CustomersService, InvoicesService


async def test_file_upload_is_multipart_to_the_files_host(stripe: StripeClient) -> None:
    with respx.mock(base_url="https://files.stripe.com") as files:
        route = files.post("/v1/files").respond(
            200, json={"id": "file_1", "object": "file", "purpose": "dispute_evidence"}
        )
        uploaded = await stripe.files.create(
            file=("receipt.pdf", b"%PDF-1.4 body", "application/pdf"),
            purpose="dispute_evidence",
            file_link_data={"create": True},
        )
    assert isinstance(uploaded, File)
    request = route.calls.last.request
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert "Idempotency-Key" in request.headers
    body = request.content
    assert b'name="file"; filename="receipt.pdf"\r\nContent-Type: application/pdf' in body
    assert b"%PDF-1.4 body" in body
    assert b'name="purpose"\r\n\r\ndispute_evidence\r\n' in body
    assert b'name="file_link_data[create]"\r\n\r\ntrue\r\n' in body


async def test_upload_accepts_an_open_file_and_plain_bytes(stripe: StripeClient) -> None:
    with respx.mock(base_url="https://files.stripe.com") as files:
        route = files.post("/v1/files").respond(200, json={"id": "file_2", "object": "file"})
        handle = io.BytesIO(b"image bytes")
        handle.name = "/tmp/dir/logo.png"
        await stripe.files.create(file=handle, purpose="business_logo")
        await stripe.files.create(file=b"raw", purpose="business_logo")
    first, second = (call.request.content for call in route.calls)
    assert b'filename="logo.png"' in first and b"image bytes" in first
    assert b'filename="upload"' in second and b"raw" in second


async def test_quote_pdf_is_downloaded_as_bytes_from_the_files_host(stripe: StripeClient) -> None:
    with respx.mock(base_url="https://files.stripe.com") as files:
        files.get("/v1/quotes/qt_1/pdf").respond(200, content=b"%PDF-quote")
        assert await stripe.quotes.pdf("qt_1") == b"%PDF-quote"


async def test_files_calls_stay_on_a_custom_base_url() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=b"pdf")

    async with StripeClient(
        "sk_test_base", base_url="http://127.0.0.1:12111", transport=httpx.MockTransport(handler)
    ) as client:
        await client.quotes.pdf("qt_2")
    assert seen == ["http://127.0.0.1:12111/v1/quotes/qt_2/pdf"]


async def test_a_reply_of_several_kinds_parses_into_the_named_one(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    api.get("/v1/accounts/acct_1/external_accounts/ba_1").respond(
        200, json={"id": "ba_1", "object": "bank_account", "last4": "6789"}
    )
    api.get("/v1/accounts/acct_1/external_accounts/card_1").respond(
        200, json={"id": "card_1", "object": "card", "last4": "4242"}
    )
    api.get("/v1/accounts/acct_1/external_accounts/x_1").respond(
        200, json={"id": "x_1", "object": "brand_new_kind"}
    )
    api.get("/v1/accounts/acct_1/external_accounts").respond(
        200,
        json={
            "object": "list",
            "has_more": False,
            "url": "/v1/accounts/acct_1/external_accounts",
            "data": [{"id": "card_2", "object": "card"}, {"id": "ba_2", "object": "bank_account"}],
        },
    )
    bank = await stripe.accounts.external_accounts.retrieve("acct_1", "ba_1")
    card = await stripe.accounts.external_accounts.retrieve("acct_1", "card_1")
    unknown = await stripe.accounts.external_accounts.retrieve("acct_1", "x_1")
    assert isinstance(bank, BankAccount) and bank.last4 == "6789"
    assert isinstance(card, Card) and card.last4 == "4242"
    assert type(unknown) is StripeObject and unknown.id == "x_1"
    assert card.last_response is not None
    page = await stripe.accounts.external_accounts.list("acct_1")
    assert [type(item) for item in page.data] == [Card, BankAccount]


async def test_sub_resources_take_the_parent_id_first(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    route = api.post("/v1/customers/cus_1/tax_ids").respond(
        200, json={"id": "txi_1", "object": "tax_id", "type": "eu_vat", "value": "DE123"}
    )
    tax_id = await stripe.customers.tax_ids.create("cus_1", type="eu_vat", value="DE123")
    assert tax_id.id == "txi_1"
    assert route.calls.last.request.content == b"type=eu_vat&value=DE123"
    with pytest.raises(InvalidArgumentError):
        await stripe.customers.tax_ids.create("", type="eu_vat", value="DE123")


async def test_earlier_names_still_work(stripe: StripeClient, api: respx.MockRouter) -> None:
    finalize = api.post("/v1/invoices/in_1/finalize").respond(
        200, json={"id": "in_1", "object": "invoice", "status": "open"}
    )
    assert isinstance(await stripe.invoices.finalize("in_1"), Invoice)
    assert isinstance(await stripe.invoices.finalize_invoice("in_1"), Invoice)
    assert finalize.call_count == 2
    assert InvoicesService.finalize_invoice is InvoicesService.finalize
    lines = api.get("/v1/invoices/in_1/lines").respond(
        200,
        json={"object": "list", "data": [], "has_more": False, "url": "/v1/invoices/in_1/lines"},
    )
    await stripe.invoices.list_lines("in_1", limit=3)
    await stripe.invoices.list_line_items("in_1")
    await stripe.invoices.lines.list("in_1")
    assert lines.call_count == 3
    methods = api.get("/v1/customers/cus_1/payment_methods").respond(
        200, json={"object": "list", "data": [], "has_more": False, "url": "/v1/x"}
    )
    await stripe.customers.list_payment_methods("cus_1", type="card")
    assert methods.calls.last.request.url.params["type"] == "card"
    assert hasattr(CustomersService, "list_payment_methods")


def test_earlier_param_names_are_still_exported() -> None:
    from stripe_async.resources.customers import CustomerListPaymentMethodsParams
    from stripe_async.resources.invoices import (
        InvoiceFinalizeParams,
        InvoiceListLinesParams,
        InvoiceUpcomingParams,
        upcoming_to_preview_params,
    )
    from stripe_async.resources.payment_intents import (
        PaymentIntentCreateOptions,
        PaymentIntentCreateParams,
    )

    assert "limit" in InvoiceListLinesParams.__annotations__
    assert "type" in CustomerListPaymentMethodsParams.__annotations__
    assert {"amount", "currency"} <= set(PaymentIntentCreateParams.__annotations__)
    assert "amount" not in PaymentIntentCreateOptions.__annotations__
    assert "subscription_items" in InvoiceUpcomingParams.__annotations__
    assert InvoiceFinalizeParams is not None
    assert upcoming_to_preview_params({"coupon": "c"}) == {"discounts": [{"coupon": "c"}]}


async def test_a_list_missing_its_required_id_fails_before_sending(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    with pytest.raises(InvalidArgumentError, match="card="):
        stripe.issuing.tokens.list()
    assert not api.calls


async def test_an_endpoint_stripe_deprecated_still_works_and_warns(stripe: StripeClient) -> None:
    with respx.mock(base_url="https://api.stripe.com") as api:
        api.get("/v1/exchange_rates/usd").respond(
            200, json={"id": "usd", "object": "exchange_rate", "rates": {"eur": 0.9}}
        )
        with pytest.warns(DeprecationWarning, match="Deprecated by Stripe"):
            rate = await stripe.exchange_rates.retrieve("usd")
    assert rate.id == "usd"
    assert "Deprecated by Stripe" in (type(stripe.exchange_rates).retrieve.__doc__ or "")
    # Only what the facts mark: the services beside it carry no warning.
    assert not hasattr(type(stripe.customers).retrieve, "__deprecated__")
