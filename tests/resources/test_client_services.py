"""StripeClient exposes every service, and `with_options` copies carry their settings."""

from __future__ import annotations

import pytest
import respx

from stripe_async import StripeClient
from stripe_async.resources import (
    BalanceService,
    ChargesService,
    CustomersService,
    EventsService,
    InvoiceItemsService,
    InvoicesService,
    PaymentIntentsService,
    PaymentMethodsService,
    PricesService,
    ProductsService,
    RefundsService,
    SubscriptionItemsService,
    SubscriptionsService,
    WebhookEndpointsService,
)

SERVICES = {
    "customers": CustomersService,
    "payment_intents": PaymentIntentsService,
    "payment_methods": PaymentMethodsService,
    "charges": ChargesService,
    "refunds": RefundsService,
    "products": ProductsService,
    "prices": PricesService,
    "subscriptions": SubscriptionsService,
    "subscription_items": SubscriptionItemsService,
    "invoices": InvoicesService,
    "invoice_items": InvoiceItemsService,
    "events": EventsService,
    "webhook_endpoints": WebhookEndpointsService,
    "balance": BalanceService,
}


@pytest.mark.parametrize(("name", "cls"), SERVICES.items())
async def test_client_has_every_service(stripe: StripeClient, name: str, cls: type) -> None:
    assert isinstance(getattr(stripe, name), cls)
    copy = stripe.with_options(stripe_account="acct_1")
    assert isinstance(getattr(copy, name), cls)
    assert getattr(copy, name) is not getattr(stripe, name)


async def test_with_options_services_use_the_copy_settings(
    stripe: StripeClient, api: respx.MockRouter
) -> None:
    route = api.get("/v1/customers/cus_1").respond(200, json={"id": "cus_1", "object": "customer"})
    connected = stripe.with_options(stripe_account="acct_7", api_key="sk_test_other")
    await connected.customers.retrieve("cus_1")
    await stripe.customers.retrieve("cus_1")
    first, second = (call.request for call in route.calls)
    assert first.headers["Stripe-Account"] == "acct_7"
    assert first.headers["Authorization"] == "Bearer sk_test_other"
    assert "Stripe-Account" not in second.headers
    assert second.headers["Authorization"] == "Bearer sk_test_resources"
