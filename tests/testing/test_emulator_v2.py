"""The emulator's v2 API through `client.v2`: event destinations, v2 events and thin
deliveries, meter events and sessions, v2 accounts; everything else v2 is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio

from stripe_async import StripeClient, StripeError
from stripe_async.models.v2.core.account import Account
from stripe_async.models.v2.core.event_destination import EventDestination
from stripe_async.testing import StripeEmulator
from stripe_async.webhooks import WebhookRouter, create_app
from stripe_async.webhooks.notification_types import (
    V1BillingMeterNoMeterFoundEventNotification,
    V2CoreAccountCreatedEventNotification,
    V2CoreEventDestinationPingEventNotification,
)
from stripe_async.webhooks.notifications import EventNotification

HOOK = "https://shop.test/stripe/thin"


@pytest_asyncio.fixture
async def emulated() -> AsyncIterator[tuple[StripeEmulator, StripeClient]]:
    emulator = StripeEmulator()
    async with StripeClient.for_emulator(emulator) as client:
        yield emulator, client


async def destination(client: StripeClient, events: list[str], url: str = HOOK) -> EventDestination:
    return await client.v2.core.event_destinations.create(
        name="thin events",
        type="webhook_endpoint",
        event_payload="thin",
        enabled_events=events,
        webhook_endpoint={"url": url},
        include=["webhook_endpoint.signing_secret", "webhook_endpoint.url"],
    )


async def test_event_destinations_are_created_listed_updated_and_deleted(
    emulated: tuple[StripeEmulator, StripeClient],
) -> None:
    _, client = emulated
    made = [await destination(client, ["v2.core.account.created"]) for _ in range(3)]
    assert all(d.status == "enabled" and d.object == "v2.core.event_destination" for d in made)
    assert made[0].webhook_endpoint is not None
    assert (made[0].webhook_endpoint.signing_secret or "").startswith("whsec_")
    hidden = await client.v2.core.event_destinations.retrieve(made[0].id)
    assert hidden.webhook_endpoint is not None and hidden.webhook_endpoint.signing_secret is None
    first = await client.v2.core.event_destinations.list(limit=2)
    assert len(first.data) == 2 and first.next_page_url is not None
    every = await client.v2.core.event_destinations.list(limit=2).to_list()
    assert [d.id for d in every] == [d.id for d in reversed(made)]
    renamed = await client.v2.core.event_destinations.update(made[0].id, name="renamed")
    assert renamed.name == "renamed"
    disabled = await client.v2.core.event_destinations.disable(made[0].id)
    assert disabled.status == "disabled"
    assert (await client.v2.core.event_destinations.enable(made[0].id)).status == "enabled"
    gone = await client.v2.core.event_destinations.delete(made[0].id)
    assert gone.id == made[0].id
    with pytest.raises(StripeError) as caught:
        await client.v2.core.event_destinations.retrieve(made[0].id)
    assert caught.value.http_status == 404


async def test_thin_events_reach_the_destination_once_and_fetch_back_through_the_client(
    emulated: tuple[StripeEmulator, StripeClient],
) -> None:
    emulator, client = emulated
    made = await destination(client, ["v2.core.account.created", "v2.core.event_destination.ping"])
    assert made.webhook_endpoint is not None and made.webhook_endpoint.signing_secret
    router = WebhookRouter(made.webhook_endpoint.signing_secret)
    got: list[EventNotification] = []

    @router.on_notification("v2.core.account.created")
    async def created(notification: V2CoreAccountCreatedEventNotification) -> None:
        got.append(notification)

    @router.on_notification("v2.core.event_destination.ping")
    async def pinged(notification: V2CoreEventDestinationPingEventNotification) -> None:
        got.append(notification)

    emulator.register_asgi_endpoint(HOOK, create_app(router, webhook_path="/stripe/thin"))
    account = await client.v2.core.accounts.create(
        display_name="Acme", contact_email="ops@acme.test", configuration={"customer": {}}
    )
    assert isinstance(account, Account) and account.applied_configurations == ["customer"]
    ping = await client.v2.core.event_destinations.ping(made.id)
    assert ping.type == "v2.core.event_destination.ping"
    assert [n.type for n in got] == ["v2.core.account.created", "v2.core.event_destination.ping"]
    assert [d.status_code for d in emulator.deliveries] == [200, 200]
    notification = got[0]
    assert isinstance(notification, V2CoreAccountCreatedEventNotification)
    fetched = await notification.fetch_related_object(client)
    assert isinstance(fetched, Account) and fetched.id == account.id
    event = await notification.fetch_event(client)
    assert event.id == notification.id and event.type == "v2.core.account.created"
    listed = await client.v2.core.events.list(object_id=account.id).to_list()
    assert [e.id for e in listed] == [notification.id]


async def test_meter_events_sessions_and_the_stream(
    emulated: tuple[StripeEmulator, StripeClient],
) -> None:
    _, client = emulated
    event = await client.v2.billing.meter_events.create(
        event_name="api_calls", payload={"stripe_customer_id": "cus_1", "value": "3"}
    )
    assert event.event_name == "api_calls" and event.payload == {
        "stripe_customer_id": "cus_1",
        "value": "3",
    }
    # No meter counts `api_calls`: Stripe reports that as a thin event.
    reported = await client.v2.core.events.list(types=["v1.billing.meter.no_meter_found"])
    assert len(reported.data) == 1
    adjustment = await client.v2.billing.meter_event_adjustments.create(
        event_name="api_calls", type="cancel", cancel={"identifier": event.identifier or ""}
    )
    assert adjustment.status == "pending"
    session = await client.v2.billing.meter_event_session.create()
    assert session.authentication_token
    streaming = client.with_options(api_key=session.authentication_token)
    await streaming.v2.billing.meter_event_stream.create(
        events=[{"event_name": "api_calls", "payload": {"stripe_customer_id": "cus_1"}}]
    )
    with pytest.raises(StripeError) as caught:
        await client.v2.billing.meter_event_stream.create(
            events=[{"event_name": "api_calls", "payload": {"stripe_customer_id": "cus_1"}}]
        )
    assert caught.value.http_status == 401


async def test_v2_operations_not_modelled_are_refused_by_name(
    emulated: tuple[StripeEmulator, StripeClient],
) -> None:
    _, client = emulated
    account = await client.v2.core.accounts.create(display_name="Acme")
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: client.v2.money_management.financial_accounts.list(),
        lambda: client.v2.core.accounts.persons.create(account.id),
        lambda: client.v2.core.vault.us_bank_accounts.retrieve("usba_1"),
    ]
    for call in calls:
        with pytest.raises(StripeError) as caught:
            await call()
        assert caught.value.http_status == 400
        assert caught.value.code == "emulator_unsupported"
        assert "v2" in caught.value.message
    with pytest.raises(StripeError) as unknown:
        await client.request("get", "/v2/core/no_such_thing")
    assert unknown.value.http_status == 404
    with pytest.raises(StripeError) as snapshot:
        await client.v2.core.event_destinations.create(
            name="s",
            type="webhook_endpoint",
            event_payload="snapshot",
            enabled_events=["customer.created"],
            webhook_endpoint={"url": HOOK},
        )
    assert snapshot.value.code == "emulator_unsupported"
    closed = await client.v2.core.accounts.close(account.id)
    assert closed.closed is True


async def test_a_meter_event_for_a_known_meter_raises_no_thin_event(
    emulated: tuple[StripeEmulator, StripeClient],
) -> None:
    _, client = emulated
    await client.billing.meters.create(
        display_name="API calls",
        event_name="api_calls",
        default_aggregation={"formula": "sum"},
    )
    await client.v2.billing.meter_events.create(
        event_name="api_calls", payload={"stripe_customer_id": "cus_1", "value": "1"}
    )
    assert (await client.v2.core.events.list()).data == []
    assert V1BillingMeterNoMeterFoundEventNotification.lookup_type.startswith("v1.")


async def test_a_repeated_idempotency_key_replays_the_first_v2_reply(
    emulated: tuple[StripeEmulator, StripeClient],
) -> None:
    _, client = emulated
    first = await client.v2.core.accounts.create(display_name="Acme", idempotency_key="k-1")
    again = await client.v2.core.accounts.create(display_name="Acme", idempotency_key="k-1")
    assert again.id == first.id
    assert again.last_response is not None
    assert again.last_response.headers.get("idempotent-replayed") == "true"
    listed = await client.v2.core.accounts.list().to_list()
    assert [a.id for a in listed] == [first.id]
    created = await client.v2.core.events.list(types=["v2.core.account.created"])
    assert len(created.data) == 1
    with pytest.raises(StripeError) as caught:
        await client.v2.core.accounts.create(display_name="Other", idempotency_key="k-1")
    assert caught.value.http_status == 400


async def test_v2_accounts_update_merge_metadata_and_show_what_include_names(
    emulated: tuple[StripeEmulator, StripeClient],
) -> None:
    _, client = emulated
    account = await client.v2.core.accounts.create(
        display_name="Acme",
        identity={"country": "us", "entity_type": "company"},
        metadata={"a": "1"},
    )
    assert account.identity is None  # not included
    updated = await client.v2.core.accounts.update(
        account.id,
        display_name="Acme Inc",
        configuration={"merchant": {}},
        metadata={"b": "2"},
        include=["identity"],
    )
    assert updated.display_name == "Acme Inc"
    assert updated.metadata == {"a": "1", "b": "2"}
    assert updated.applied_configurations == ["merchant"]
    assert updated.identity is not None and updated.identity.country == "us"
    fetched = await client.v2.core.accounts.retrieve(account.id, include=["configuration.merchant"])
    assert fetched.configuration is not None
    await client.v2.core.accounts.close(account.id)
    with pytest.raises(StripeError):
        await client.v2.core.accounts.update(account.id, display_name="late")
    with pytest.raises(StripeError) as unknown:
        await client.v2.core.accounts.create(display_name="x", brand_new_field=1)  # type: ignore[call-arg]
    assert unknown.value.code == "emulator_unsupported"
    types = [e.type for e in (await client.v2.core.events.list(object_id=account.id)).data]
    assert types == ["v2.core.account.closed", "v2.core.account.updated", "v2.core.account.created"]
