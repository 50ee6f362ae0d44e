"""Event notifications (thin events): signed as Stripe signs them, parsed into their classes.

The installed official `stripe` package (16.1.0) is the oracle for which class each
type parses into; `fetch_event` / `fetch_related_object` are checked for the paths
and headers they send; the router and the ASGI receiver take a mix of thin and
snapshot deliveries at one URL, each handled once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from webhook_helpers import SECRET, event_body, signed

from stripe_async import StripeClient
from stripe_async.models.billing.meter import Meter
from stripe_async.models.v2.core.account import Account as V2Account
from stripe_async.models.v2.core.event import Event as V2Event
from stripe_async.webhooks import (
    EventNotification,
    InvalidPayloadError,
    SignatureVerificationError,
    UnknownEventNotification,
    WebhookRouter,
    create_app,
    generate_test_header,
    parse_event_notification,
)
from stripe_async.webhooks.notification_types import (
    V1BillingMeterErrorReportTriggeredEventNotification,
    V2CoreAccountUpdatedEventNotification,
)

FACTS = Path(__file__).resolve().parents[2] / "scripts" / "api" / "v2.json"
NOTIFICATIONS: list[dict[str, Any]] = json.loads(FACTS.read_text())["notifications"]


def thin_body(
    event_type: str, *, event_id: str = "evt_thin_1", related: bool = True, context: str = ""
) -> bytes:
    body: dict[str, Any] = {
        "id": event_id,
        "object": "v2.core.event",
        "type": event_type,
        "created": "2026-11-01T12:00:00.000Z",
        "livemode": False,
        "reason": {"type": "request", "request": {"id": "req_1", "idempotency_key": "k"}},
    }
    if context:
        body["context"] = context
    if related:
        body["related_object"] = {
            "id": "mtr_123",
            "type": "billing.meter",
            "url": "/v1/billing/meters/mtr_123",
        }
    return json.dumps(body).encode()


def test_every_notification_type_parses_into_the_class_the_official_sdk_picks() -> None:
    stripe = pytest.importorskip("stripe")
    assert stripe.VERSION == "16.1.0"
    official = stripe.StripeClient("sk_test_oracle")
    parsed = 0
    for entry in NOTIFICATIONS:
        body = thin_body(entry["type"], related=entry["related"] is not None)
        header = generate_test_header(body, SECRET)
        ours = parse_event_notification(body, header, SECRET)
        theirs = official.parse_event_notification(body, header, SECRET)
        assert type(ours).__name__ == type(theirs).__name__ == entry["class"], entry["type"]
        assert (ours.id, ours.type, ours.created) == (theirs.id, theirs.type, theirs.created)
        assert isinstance(ours, EventNotification)
        if entry["related"]:
            assert ours.related_object is not None
            assert ours.related_object.url == theirs.related_object.url
            assert hasattr(ours, "fetch_related_object")
        parsed += 1
    assert parsed == len(NOTIFICATIONS) == 326
    print(f"notifications: {parsed}/326 types parse into their class")


def test_an_unknown_type_parses_as_a_generic_notification_never_an_error() -> None:
    body = thin_body("v9.brand_new.thing_happened")
    notification = parse_event_notification(body, generate_test_header(body, SECRET), SECRET)
    assert type(notification) is UnknownEventNotification
    assert notification.type == "v9.brand_new.thing_happened"
    assert notification.reason is not None and notification.reason.request_id == "req_1"


async def test_an_unknown_notification_still_fetches_its_related_object() -> None:
    import httpx as _httpx

    seen: list[str] = []

    def reply(request: _httpx.Request) -> _httpx.Response:
        seen.append(request.url.path)
        return _httpx.Response(200, json={"id": "thing_1", "object": "brand_new_thing"})

    raw = json.loads(thin_body("v9.brand_new.thing_happened"))
    raw["related_object"] = {"id": "thing_1", "type": "thing", "url": "/v2/things/thing_1"}
    body = json.dumps(raw).encode()
    async with StripeClient(
        "sk_test_unknown", transport=_httpx.MockTransport(reply), rate_limit=None
    ) as client:
        notification = client.parse_event_notification(
            body, generate_test_header(body, SECRET), SECRET
        )
        assert isinstance(notification, UnknownEventNotification)
        thing = await notification.fetch_related_object()
        assert thing is not None and thing.id == "thing_1"
        bare = parse_event_notification(
            thin_body("v9.x", related=False),
            generate_test_header(thin_body("v9.x", related=False), SECRET),
            SECRET,
        )
        assert isinstance(bare, UnknownEventNotification)
        assert await bare.fetch_related_object(client) is None
    assert seen == ["/v2/things/thing_1"]


def test_a_bad_signature_a_snapshot_event_and_junk_are_refused() -> None:
    body = thin_body("v1.billing.meter.error_report_triggered")
    with pytest.raises(SignatureVerificationError):
        parse_event_notification(body, generate_test_header(body, "whsec_other"), SECRET)
    snapshot = event_body("customer.created", obj={"id": "cus_1", "object": "customer"})
    with pytest.raises(InvalidPayloadError, match="construct_event"):
        parse_event_notification(snapshot, generate_test_header(snapshot, SECRET), SECRET)
    for junk in (b"not json", b"[1]", b'{"object": "v2.core.event"}'):
        with pytest.raises(InvalidPayloadError):
            parse_event_notification(junk, generate_test_header(junk, SECRET), SECRET)


async def test_fetch_event_and_fetch_related_object_go_through_the_client() -> None:
    seen: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.startswith("/v2/core/events/"):
            return httpx.Response(
                200,
                json={
                    "id": "evt_thin_1",
                    "object": "v2.core.event",
                    "type": "v1.billing.meter.error_report_triggered",
                    "data": {"developer_message_summary": "oops"},
                },
            )
        if request.url.path.startswith("/v2/core/accounts/"):
            return httpx.Response(200, json={"id": "acct_9", "object": "v2.core.account"})
        return httpx.Response(200, json={"id": "mtr_123", "object": "billing.meter"})

    async with StripeClient(
        "sk_test_fetch", transport=httpx.MockTransport(reply), rate_limit=None
    ) as client:
        body = thin_body("v1.billing.meter.error_report_triggered", context="acct_ctx")
        notification = client.parse_event_notification(
            body, generate_test_header(body, SECRET), SECRET
        )
        assert isinstance(notification, V1BillingMeterErrorReportTriggeredEventNotification)
        meter = await notification.fetch_related_object()
        assert isinstance(meter, Meter) and meter.id == "mtr_123"
        event = await notification.fetch_event()
        assert isinstance(event, V2Event) and event.id == "evt_thin_1"
        assert [(r.method, r.url.path) for r in seen] == [
            ("GET", "/v1/billing/meters/mtr_123"),
            ("GET", "/v2/core/events/evt_thin_1"),
        ]
        assert [r.headers.get("stripe-context") for r in seen] == ["acct_ctx", "acct_ctx"]
        assert [r.headers.get("stripe-request-trigger") for r in seen] == [
            f"event={notification.id}"
        ] * 2

        # Parsed without a client: each fetch names one.
        raw = json.loads(thin_body("v2.core.account.updated"))
        raw["related_object"] = {
            "id": "acct_9",
            "type": "v2.core.account",
            "url": "/v2/core/accounts/acct_9",
        }
        raw_body = json.dumps(raw).encode()
        unbound = parse_event_notification(raw_body, generate_test_header(raw_body, SECRET), SECRET)
        assert isinstance(unbound, V2CoreAccountUpdatedEventNotification)
        from stripe_async.errors import InvalidArgumentError

        with pytest.raises(InvalidArgumentError):
            await unbound.fetch_related_object()
        account = await unbound.fetch_related_object(client)
        assert isinstance(account, V2Account) and account.id == "acct_9"
        assert seen[-1].url.path == "/v2/core/accounts/acct_9"
        assert "stripe-context" not in seen[-1].headers


async def test_a_related_object_url_off_the_api_is_never_fetched() -> None:
    raw = json.loads(thin_body("v1.billing.meter.error_report_triggered"))
    raw["related_object"]["url"] = "https://evil.example/steal"
    body = json.dumps(raw).encode()
    calls: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: calls.append(r) or httpx.Response(200, json={}))
    async with StripeClient("sk_test_evil", transport=transport, rate_limit=None) as client:
        notification = client.parse_event_notification(
            body, generate_test_header(body, SECRET), SECRET
        )
        with pytest.raises(InvalidPayloadError):
            await notification.fetch_related_object()  # type: ignore[union-attr]
    assert calls == []


async def test_the_router_runs_thin_and_snapshot_handlers_once_each() -> None:
    router = WebhookRouter(SECRET)
    ran: list[str] = []

    @router.on_notification("v1.billing.meter.error_report_triggered")
    async def meter_error(
        notification: V1BillingMeterErrorReportTriggeredEventNotification,
    ) -> None:
        ran.append(f"thin:{notification.id}:{notification.related_object.id}")

    @router.on_notification("v2.core.*")
    def any_core(notification: EventNotification) -> None:  # sync: runs in a thread
        ran.append(f"core:{notification.type}")

    @router.on("customer.created")
    async def customer(event: Any) -> None:
        ran.append(f"snapshot:{event.id}")

    thin = thin_body("v1.billing.meter.error_report_triggered", event_id="evt_thin_a")
    core = thin_body("v2.core.account.created", event_id="evt_thin_b", related=False)
    snapshot = event_body(
        "customer.created", event_id="evt_snap_1", obj={"id": "cus_1", "object": "customer"}
    )
    results = []
    for body in (thin, snapshot, core, thin, snapshot, core):
        results.append(await router.dispatch(body, generate_test_header(body, SECRET)))
    assert ran == ["thin:evt_thin_a:mtr_123", "snapshot:evt_snap_1", "core:v2.core.account.created"]
    assert [r.duplicate for r in results] == [False, False, False, True, True, True]
    assert isinstance(results[0].event, V1BillingMeterErrorReportTriggeredEventNotification)


async def test_the_receiver_takes_both_kinds_at_one_url_exactly_once() -> None:
    router = WebhookRouter(SECRET)
    ran: list[str] = []

    @router.on_notification("v1.billing.meter.error_report_triggered")
    async def meter_error(
        notification: V1BillingMeterErrorReportTriggeredEventNotification,
    ) -> None:
        ran.append(notification.id)

    @router.on("customer.created")
    async def customer(event: Any) -> None:
        ran.append(event.id)

    thin = thin_body("v1.billing.meter.error_report_triggered", event_id="evt_thin_r")
    snapshot = event_body(
        "customer.created", event_id="evt_snap_r", obj={"id": "cus_1", "object": "customer"}
    )
    app = create_app(router)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        statuses = []
        for body in (thin, snapshot, thin, snapshot):
            reply = await http.post(
                "/webhooks/stripe",
                content=body,
                headers={"stripe-signature": signed(body), "content-type": "application/json"},
            )
            statuses.append(reply.status_code)
        bad = await http.post(
            "/webhooks/stripe",
            content=thin,
            headers={"stripe-signature": generate_test_header(thin, "whsec_other")},
        )
    assert statuses == [200, 200, 200, 200]
    assert bad.status_code == 400
    assert ran == ["evt_thin_r", "evt_snap_r"]


def test_every_related_object_names_a_model_that_exists() -> None:
    import importlib

    from pydantic import BaseModel

    from stripe_async.webhooks.notification_types import NOTIFICATION_CLASSES
    from stripe_async.webhooks.notifications import RelatedEventNotification

    related = [c for c in NOTIFICATION_CLASSES.values() if issubclass(c, RelatedEventNotification)]
    assert len(related) == sum(1 for entry in NOTIFICATIONS if entry["related"]) == 313
    for cls in related:
        module, name = cls.related_model
        model = getattr(importlib.import_module(f"stripe_async.models.{module}"), name)
        assert issubclass(model, BaseModel), cls.__name__
