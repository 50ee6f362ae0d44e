"""Customers, payment methods, events and errors, through our client, against localstripe.

localstripe answers with older API shapes (e.g. `account_balance` instead of
`balance`, `sources`/`subscriptions` embedded in the customer, lists oldest-first
with a `total_count`); our models keep such fields as extras and must still parse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from localstripe_harness import LocalStripe, make_client, object_id, require

from stripe_async import (
    AuthenticationError,
    InvalidRequestError,
    NotFoundError,
    PCIComplianceError,
    StripeClient,
)
from stripe_async.models import Customer, DeletedObject

PICKLE = Path("/tmp/localstripe.pickle")


def _stat(path: Path) -> tuple[float, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_mtime, st.st_size


async def test_customer_lifecycle(stripe: StripeClient) -> None:
    created = await stripe.customers.create(
        email="jenny@example.com", name="Jenny Rosen", metadata={"order": "42"}
    )
    assert isinstance(created, Customer)
    assert created.id.startswith("cus_")
    assert created.email == "jenny@example.com"
    assert created.last_response is not None and created.last_response.http_status == 200

    fetched = await stripe.customers.retrieve(created.id)
    assert (fetched.id, fetched.name) == (created.id, "Jenny Rosen")
    assert fetched.metadata == {"order": "42"}

    updated = await stripe.customers.update(created.id, metadata={"tier": "gold"})
    # Stripe merges metadata keys on update; so does localstripe.
    assert updated.metadata == {"order": "42", "tier": "gold"}

    deleted = await stripe.customers.delete(created.id)
    assert isinstance(deleted, DeletedObject)
    assert deleted.id == created.id and deleted.deleted is True

    with pytest.raises(NotFoundError) as info:
        await stripe.customers.retrieve(created.id)
    assert info.value.http_status == 404


async def test_customer_list_filters_and_auto_pages(stripe: StripeClient) -> None:
    ids = {(await stripe.customers.create(email=f"c{i}@example.com")).id for i in range(5)}
    await stripe.customers.create(email="other@example.com")

    first = await stripe.customers.list(limit=2)
    assert len(first.data) == 2 and first.has_more is True

    # Auto-paging follows starting_after until has_more is false. (localstripe
    # lists oldest first; Stripe lists newest first. The walk works either way.)
    seen = [c.id async for c in stripe.customers.list(limit=2)]
    assert len(seen) == len(set(seen)) == 6
    assert ids < set(seen)

    only = [c async for c in stripe.customers.list(email="c3@example.com")]
    assert [c.email for c in only] == ["c3@example.com"]


async def test_payment_method_attach_list_detach(stripe: StripeClient) -> None:
    require(stripe, "payment_methods")
    customer = await stripe.customers.create(email="pm@example.com")
    # Stripe's test PaymentMethod ids; localstripe materialises a new pm_ on retrieve.
    visa = await stripe.payment_methods.retrieve("pm_card_visa")
    assert visa.id.startswith("pm_") and visa.id != "pm_card_visa"
    assert visa.type == "card"

    attached = await stripe.payment_methods.attach(visa.id, customer=customer.id)
    assert object_id(attached.customer) == customer.id

    listed = await stripe.payment_methods.list(customer=customer.id, type="card")
    assert [pm.id for pm in listed.data] == [visa.id]
    # (localstripe has no GET /v1/customers/{id}/payment_methods, so
    # customers.list_payment_methods is not exercised here.)

    detached = await stripe.payment_methods.detach(visa.id)
    assert detached.customer is None
    assert (await stripe.payment_methods.list(customer=customer.id, type="card")).data == []


async def test_raw_card_numbers_refused_unless_allowed(localstripe: LocalStripe) -> None:
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    async with make_client(localstripe) as client:
        require(client, "payment_methods")
        with pytest.raises(PCIComplianceError) as info:
            await client.payment_methods.create(type="card", card=card)
        assert "4242424242424242" not in str(info.value)
    # localstripe (like Stripe for accounts with raw card access) takes raw numbers.
    async with make_client(localstripe, allow_raw_card_data=True) as client:
        pm = await client.payment_methods.create(type="card", card=card)
        assert pm.id.startswith("pm_")
        assert pm.card is not None and pm.card["last4"] == "4242"


async def test_events_list_and_retrieve(stripe: StripeClient) -> None:
    require(stripe, "events")
    customer = await stripe.customers.create(email="events@example.com")
    page = await stripe.events.list(type="customer.created")
    matching = [e for e in page.data if e["data"]["object"]["id"] == customer.id]
    assert len(matching) == 1
    event = await stripe.events.retrieve(matching[0].id)
    assert event.type == "customer.created"
    # Deviation: localstripe stamps every event with api_version 2017-08-15.
    assert event.api_version


async def test_errors_are_mapped(stripe: StripeClient) -> None:
    with pytest.raises(NotFoundError):
        await stripe.customers.retrieve("cus_doesnotexist")
    with pytest.raises(InvalidRequestError) as info:
        await stripe.customers.create(address={"planet": "Mars"})  # unknown param
    assert info.value.http_status == 400
    # localstripe only accepts sk_ keys; a publishable key is refused with 401.
    with pytest.raises(AuthenticationError) as auth:
        await stripe.customers.list(api_key="pk_test_localstripe")
    assert auth.value.http_status == 401


async def test_health_check_against_localstripe(stripe: StripeClient) -> None:
    health = await stripe.health_check()
    assert health.ok, health.error
    assert health.livemode is False


async def test_no_state_written_to_tmp(localstripe: LocalStripe, stripe: StripeClient) -> None:
    before = _stat(PICKLE)
    await stripe.customers.create(email="disk@example.com")
    assert _stat(PICKLE) == before, "localstripe must keep its state in memory"
    assert localstripe.url.startswith("http://127.0.0.1:")
