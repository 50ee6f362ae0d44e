"""The emulator's world: store, ids, clock, events, and the request being served."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._errors import not_found
from ._settings import BillingSettings
from ._store import ClockFn, IdMaker, Store

Hook = Callable[["State", dict[str, Any]], None]
#: Computes an includable field (absent unless expanded) of a stored object.
Includer = Callable[["State", dict[str, Any]], Any]


@dataclass
class Outgoing:
    """An event waiting to be delivered to one webhook endpoint."""

    event_id: str
    endpoint_id: str
    #: Which attempt this is (1: the first delivery, 2...: scheduled retries, 0: a resend
    #: asked for through the API) and the emulated time it is made at (None: the
    #: event's `created`).
    attempt: int = 1
    at: int | None = None


@dataclass
class State:
    """Everything a handler may touch. Handlers run one at a time (under a lock)."""

    ids: IdMaker
    clock: ClockFn
    api_version: str
    store: Store = field(default_factory=Store)
    outbox: list[Outgoing] = field(default_factory=list)
    #: Cross-resource reactions, by name: "payment_intent.changed" (a PaymentIntent
    #: succeeded, failed or needs action: invoices follow), "invoice.paid" (subscriptions
    #: activate), "customer.deleted" (subscriptions end).
    hooks: dict[str, list[Hook]] = field(default_factory=dict)
    #: Includable fields by (object kind, field): absent from replies unless named in
    #: expand[] (e.g. an invoice's `confirmation_secret` and `payments`).
    includes: dict[tuple[str, str], Includer] = field(default_factory=dict)
    #: Webhook endpoint secrets, kept out of the objects Stripe returns.
    secrets: dict[str, str] = field(default_factory=dict)
    #: The one signing secret every new endpoint gets, when the user chose it
    #: (`StripeEmulator(webhook_secret=...)`); else each endpoint draws its own.
    webhook_secret: str | None = None
    #: Emulator-only facts about objects (test card behaviour, links), by id.
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    request_id: str | None = None
    idempotency_key: str | None = None
    #: The request was made with a publishable key (client_secret checks apply).
    publishable: bool = False
    #: The request's expand[] paths (search handlers look for "total_count").
    expand: list[str] = field(default_factory=list)
    #: When set, webhook endpoint URLs it gives a reason for are refused at creation
    #: (the served emulator: nothing can register an ASGI app over HTTP).
    webhook_url_refusal: Callable[[str], str | None] | None = None
    #: Makes up the object an id names when the store has none (stripe-mock mode,
    #: which keeps nothing yet expands any id): (field, id) -> object or None.
    stand_in: Callable[[str, str], dict[str, Any] | None] | None = None
    #: The test clock (`clock_...`) the current request or billing step acts under: its
    #: frozen time is what `now()` answers, and new billing objects name it.
    test_clock: str | None = None
    settings: BillingSettings = field(default_factory=BillingSettings)
    #: Test clocks a request started advancing (the emulator makes them ready once the
    #: request's deliveries are done).
    advanced: list[str] = field(default_factory=list)
    #: Hooks the time engine installs (see `_flows/billing/clock.py`): which test clock
    #: a request acts under, and what happens to the events it records.
    on_request: Callable[[State, str, dict[str, Any], dict[str, str]], None] | None = None
    on_event: Callable[[State, dict[str, Any]], None] | None = None

    def now(self) -> int:
        if self.test_clock is not None:
            clock = self.store.find(self.test_clock)
            if clock is not None:
                return int(clock["frozen_time"])
        return int(self.clock())

    def new_id(self, prefix: str) -> str:
        return self.ids.new(prefix)

    def require(
        self, kind: str, object_id: Any, label: str, param: str | None = "id"
    ) -> dict[str, Any]:
        """The stored object of `kind` with that id, or Stripe's 404 naming `param`."""
        obj = self.store.get(object_id, kind) if isinstance(object_id, str) else None
        if obj is None:
            raise not_found(label, str(object_id), param=param)
        return obj

    def emit(
        self,
        event_type: str,
        obj: dict[str, Any],
        previous: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Record an event for a state change and queue it for matching endpoints."""
        data: dict[str, Any] = {"object": copy.deepcopy(obj)}
        if previous:
            data["previous_attributes"] = copy.deepcopy(previous)
        account = self.store.scope
        # Endpoints belong to the platform; `connect=true` ones get connected accounts' events.
        targets = [
            endpoint
            for endpoint in self.store.everything("webhook_endpoint")
            if endpoint["status"] == "enabled"
            and self.store.owner(endpoint["id"]) is None
            and bool(self.meta.get(endpoint["id"], {}).get("connect")) == (account is not None)
            and ("*" in endpoint["enabled_events"] or event_type in endpoint["enabled_events"])
        ]
        event: dict[str, Any] = {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": self.api_version,
            "created": self.now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": len(targets),
            "request": {"id": self.request_id, "idempotency_key": self.idempotency_key},
            "type": event_type,
        }
        if account is not None:
            event["account"] = account
        self.store.put(event)
        if self.on_event is not None:
            self.on_event(self, event)
        self.outbox.extend(Outgoing(event["id"], endpoint["id"]) for endpoint in targets)
        return event

    def emit_update(
        self, event_type: str, obj: dict[str, Any], before: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Emit `event_type` with previous_attributes when `obj` changed since `before`."""
        previous = {key: before.get(key) for key in obj if before.get(key) != obj.get(key)}
        if not previous:
            return None
        return self.emit(event_type, obj, previous)

    def on(self, name: str, hook: Hook) -> None:
        self.hooks.setdefault(name, []).append(hook)

    def run_hooks(self, name: str, obj: dict[str, Any]) -> None:
        for hook in self.hooks.get(name, []):
            hook(self, obj)


def set_metadata(obj: dict[str, Any], metadata: dict[str, str] | None) -> None:
    """Merge metadata as Stripe does: `{}` clears, a None value deletes a key."""
    if metadata is None:
        return
    if not metadata:
        obj["metadata"] = {}
        return
    merged = dict(obj.get("metadata") or {})
    for key, value in metadata.items():
        if value == "" or value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    obj["metadata"] = merged


def assign(obj: dict[str, Any], params: dict[str, Any], names: tuple[str, ...]) -> None:
    """Copy the given params onto the object (None from "" unsets the field)."""
    for name in names:
        if name in params:
            obj[name] = params[name]
