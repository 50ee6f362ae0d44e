"""Products, plans, subscriptions, invoice items and invoices against localstripe.

localstripe predates Prices: it has Plans (created here with a raw POST, since our
client has no plans service) and subscriptions on `items[][plan]`. It has no
invoice finalize/send/mark_uncollectible, no search, no prices, and `pay` on a
declined card answers 200 with the invoice left open (Stripe answers 402).
"""

from __future__ import annotations

from typing import Any

import pytest
from localstripe_harness import object_id, require

from stripe_async import InvalidRequestError, StripeClient
from stripe_async.models import DeletedObject, StripeObject

DECLINED_ON_CHARGE = "pm_card_chargeCustomerFail"


async def create_plan(stripe: StripeClient, product: str, amount: int) -> StripeObject:
    params: dict[str, Any] = {
        "product": product,
        "amount": amount,
        "currency": "usd",
        "interval": "month",
        "nickname": "Monthly",
    }
    return await stripe._requester.request_model("POST", "/v1/plans", params, StripeObject)


async def customer_paying_with(stripe: StripeClient, test_pm: str) -> str:
    """A customer whose default PaymentMethod is a materialised `test_pm`."""
    pm = await stripe.payment_methods.retrieve(test_pm)
    customer = await stripe.customers.create(
        email="billing@example.com",
        payment_method=pm.id,
        invoice_settings={"default_payment_method": pm.id},
    )
    return customer.id


async def test_products(stripe: StripeClient) -> None:
    require(stripe, "products")
    product = await stripe.products.create(name="Gold plan", metadata={"sku": "gold"})
    assert product.id.startswith("prod_") and product.active is True

    assert (await stripe.products.retrieve(product.id)).name == "Gold plan"
    renamed = await stripe.products.update(product.id, name="Gold plan (2024)")
    assert renamed.name == "Gold plan (2024)"

    await stripe.products.create(name="Retired", active=False)
    active = [p.id async for p in stripe.products.list(active=True)]
    assert active == [product.id]

    deleted = await stripe.products.delete(product.id)
    assert isinstance(deleted, DeletedObject) and deleted.deleted is True


async def test_plan_via_raw_request(stripe: StripeClient) -> None:
    require(stripe, "products")
    product = await stripe.products.create(name="Seats")
    plan = await create_plan(stripe, product.id, 1500)
    assert plan.object == "plan"
    assert plan.id is not None and plan.id.startswith("plan_")
    assert plan["amount"] == 1500 and plan["product"] == product.id


async def test_subscription_lifecycle(stripe: StripeClient) -> None:
    for service in ("products", "payment_methods", "subscriptions", "invoices"):
        require(stripe, service)
    customer = await customer_paying_with(stripe, "pm_card_visa")
    plan = await create_plan(stripe, (await stripe.products.create(name="Pro")).id, 1500)

    sub = await stripe.subscriptions.create(customer=customer, items=[{"plan": plan.id}])
    assert sub.id.startswith("sub_")
    # The first invoice is created and paid from the default PaymentMethod.
    assert sub.status == "active"
    invoice = await stripe.invoices.retrieve(object_id(sub.latest_invoice) or "")
    assert invoice.status == "paid"
    assert invoice.amount_paid == 1500
    assert object_id(invoice.subscription) == sub.id

    # (localstripe silently drops metadata on subscription updates, so this
    # updates a field it does apply.)
    updated = await stripe.subscriptions.update(sub.id, cancel_at_period_end=True)
    assert updated.cancel_at_period_end is True
    assert (await stripe.subscriptions.retrieve(sub.id)).cancel_at_period_end is True
    assert [s.id async for s in stripe.subscriptions.list(customer=customer)] == [sub.id]

    canceled = await stripe.subscriptions.cancel(sub.id)
    assert canceled.status == "canceled"
    # Canceled subscriptions drop out of the default list, as on Stripe.
    assert [s.id async for s in stripe.subscriptions.list(customer=customer)] == []


async def test_subscription_with_declined_card_is_incomplete(stripe: StripeClient) -> None:
    for service in ("products", "payment_methods", "subscriptions", "invoices"):
        require(stripe, service)
    customer = await customer_paying_with(stripe, DECLINED_ON_CHARGE)
    plan = await create_plan(stripe, (await stripe.products.create(name="Pro")).id, 2000)

    sub = await stripe.subscriptions.create(customer=customer, items=[{"plan": plan.id}])
    assert sub.status == "incomplete"
    invoice = await stripe.invoices.retrieve(object_id(sub.latest_invoice) or "")
    assert invoice.status == "open"

    voided = await stripe.invoices.void(invoice.id)
    assert voided.status == "void"
    with pytest.raises(InvalidRequestError):
        await stripe.invoices.pay(invoice.id)  # a void invoice cannot be paid


async def subscribed_customer(stripe: StripeClient, amount: int) -> tuple[str, Any]:
    customer = await customer_paying_with(stripe, "pm_card_visa")
    plan = await create_plan(stripe, (await stripe.products.create(name="Basic")).id, amount)
    return customer, await stripe.subscriptions.create(customer=customer, items=[{"plan": plan.id}])


async def test_invoice_with_items_then_pay(stripe: StripeClient) -> None:
    for service in ("products", "payment_methods", "subscriptions", "invoice_items", "invoices"):
        require(stripe, service)
    # Deviation: localstripe only invoices customers with a subscription (its
    # POST /v1/invoices bills the next period plus pending items); Stripe also
    # makes one-off invoices from pending items alone.
    customer, sub = await subscribed_customer(stripe, 1500)
    item = await stripe.invoice_items.create(
        customer=customer, amount=2500, currency="usd", description="Setup fee"
    )
    assert item.id.startswith("ii_")

    invoice = await stripe.invoices.create(customer=customer)
    assert invoice.status == "draft"
    lines = [line async for line in stripe.invoices.list_lines(invoice.id)]
    assert (2500, "Setup fee") in [(line.amount, line.description) for line in lines]
    assert invoice.amount_due == sum(line.amount for line in lines) == 4000

    paid = await stripe.invoices.pay(invoice.id)
    assert paid.status == "paid"
    assert paid.amount_paid == 4000

    listed = {i.id async for i in stripe.invoices.list(customer=customer)}
    assert listed == {invoice.id, object_id(sub.latest_invoice)}


async def test_draft_invoice_delete(stripe: StripeClient) -> None:
    for service in ("products", "payment_methods", "subscriptions", "invoice_items", "invoices"):
        require(stripe, service)
    customer, _ = await subscribed_customer(stripe, 700)
    await stripe.invoice_items.create(customer=customer, amount=100, currency="usd")
    invoice = await stripe.invoices.create(customer=customer)

    deleted = await stripe.invoices.delete(invoice.id)
    assert isinstance(deleted, DeletedObject) and deleted.id == invoice.id
