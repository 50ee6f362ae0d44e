"""Checked by mypy (see test_typed_v2.py), never run: v2 calls and notification handlers.

The first half must type-check cleanly; every line of the second half must
produce exactly the error its `# type: ignore[code]` names (mypy runs with
--warn-unused-ignores, so a mistake that stopped being caught fails the check).
"""

from __future__ import annotations

from stripe_async import StripeClient
from stripe_async.models.billing.meter import Meter
from stripe_async.models.v2._base import DeletedObject
from stripe_async.models.v2.core.event import Event
from stripe_async.models.v2.core.event_destination import EventDestination
from stripe_async.webhooks import WebhookRouter
from stripe_async.webhooks.notification_types import (
    V1BillingMeterErrorReportTriggeredEventNotification,
    V2CoreAccountCreatedEventNotification,
)
from stripe_async.webhooks.notifications import EventNotification, parse_event_notification


async def accepted(stripe: StripeClient, router: WebhookRouter, body: bytes) -> None:
    destination: EventDestination = await stripe.v2.core.event_destinations.create(
        name="orders",
        type="webhook_endpoint",
        event_payload="thin",
        enabled_events=["v1.billing.meter.error_report_triggered"],
        webhook_endpoint={"url": "https://example.com/webhooks/stripe"},
        metadata={"team": "billing"},
        stripe_context="acct_123",
    )
    gone: DeletedObject = await stripe.v2.core.event_destinations.delete(destination.id)
    async for event in stripe.v2.core.events.list(limit=10):
        first: Event = event
    await stripe.v2.billing.meter_events.create(
        event_name="api_calls", payload={"stripe_customer_id": "cus_1", "value": "1"}
    )
    notification = parse_event_notification(body, "t=1,v1=x", "whsec_x")
    if isinstance(notification, V1BillingMeterErrorReportTriggeredEventNotification):
        meter: Meter = await notification.fetch_related_object()
    fetched: Event = await stripe.parse_event_notification(body, "", "").fetch_event()

    @router.on_notification("v1.billing.meter.error_report_triggered")
    async def on_meter_error(n: V1BillingMeterErrorReportTriggeredEventNotification) -> None:
        print(n.related_object.id)

    @router.on_notification("v9.unknown.type")
    async def on_anything(n: EventNotification) -> None:
        print(n.type, gone, first, meter, fetched)


async def rejected(stripe: StripeClient, router: WebhookRouter) -> None:
    await stripe.v2.core.event_destinations.create(
        name="orders",
        type="webhook_endpoint",
        event_payload="thin",
        enabled_events="v1.billing.meter.error_report_triggered",  # type: ignore[arg-type]
    )
    await stripe.v2.core.event_destinations.create(  # type: ignore[call-arg]
        type="webhook_endpoint", event_payload="thin", enabled_events=[]
    )
    await stripe.v2.core.event_destinations.create(
        name="orders",
        type="webhook_endpoint",
        event_payload="thin",
        enabled_events=[],
        no_such_param=True,  # type: ignore[call-arg]
    )
    wrong: Meter = await stripe.v2.core.event_destinations.retrieve("ed_1")  # type: ignore[assignment]

    @router.on_notification("v1.billing.meter.error_report_triggered")  # type: ignore[arg-type]
    async def on_wrong_class(n: V2CoreAccountCreatedEventNotification) -> None:
        print(n, wrong)
