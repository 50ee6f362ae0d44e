"""v2 billing in the emulator: meter events, adjustments, sessions and the event stream.

Meter events are recorded (and listed by `StripeEmulator.events`-style helpers
through the store) but do not feed usage billing: the emulator bills licensed
prices only. An event whose `event_name` no active v1 meter has raises the thin
`v1.billing.meter.no_meter_found` event, as Stripe reports such events.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._errors import EmulatorError, authentication, invalid
from ._router import Route
from ._state import State
from ._v2_events import emit_thin, timestamp

STREAM = "/v2/billing/meter_event_stream"
SESSION = "v2.billing.meter_event_session"
EVENT = "v2.billing.meter_event"
ADJUSTMENT = "v2.billing.meter_event_adjustment"
#: How long a meter event session's token stays valid (Stripe: 15 minutes).
SESSION_SECONDS = 15 * 60

__all__ = ["ROUTES", "STREAM", "authenticate_stream"]


def _meter_event(state: State, params: Mapping[str, Any]) -> dict[str, Any]:
    for name in ("event_name", "payload"):
        if name not in params:
            raise invalid(f"Missing required param: {name}.", param=name)
    payload = params["payload"]
    if not isinstance(payload, dict) or not all(isinstance(v, str) for v in payload.values()):
        raise invalid("payload must be an object of string values", param="payload")
    now = state.now()
    event = {
        "id": state.new_id("mev"),  # the emulator's own key: Stripe's events have none
        "object": EVENT,
        "created": timestamp(now),
        "event_name": params["event_name"],
        "identifier": params.get("identifier") or state.new_id("mevid"),
        "livemode": False,
        "payload": dict(payload),
        "timestamp": params.get("timestamp") or timestamp(now),
    }
    state.store.put(event)
    meters = [
        m
        for m in state.store.all("billing.meter")
        if m.get("event_name") == params["event_name"] and m.get("status") == "active"
    ]
    if not meters:
        emit_thin(
            state,
            "v1.billing.meter.no_meter_found",
            None,
            None,
            data={"developer_message_summary": f"No meter for {params['event_name']!r}"},
        )
    return event


def create_meter_event(state: State, params: dict[str, Any]) -> dict[str, Any]:
    event = _meter_event(state, params)
    return {key: value for key, value in event.items() if key != "id"}


def create_adjustment(state: State, params: dict[str, Any]) -> dict[str, Any]:
    cancel = params.get("cancel")
    if params.get("type", "cancel") != "cancel" or not isinstance(cancel, dict):
        raise invalid("an adjustment needs type='cancel' and cancel.identifier", param="cancel")
    if "event_name" not in params:
        raise invalid("Missing required param: event_name.", param="event_name")
    adjustment = {
        "id": state.new_id("mea"),
        "object": ADJUSTMENT,
        "cancel": {"identifier": cancel.get("identifier")},
        "created": timestamp(state.now()),
        "event_name": params["event_name"],
        "livemode": False,
        "status": "pending",
        "type": "cancel",
    }
    return state.store.put(adjustment)


def create_session(state: State, params: dict[str, Any]) -> dict[str, Any]:
    now = state.now()
    session: dict[str, Any] = {
        "id": state.new_id("mes"),
        "object": SESSION,
        "authentication_token": "mes_tok_" + state.ids.token(32),
        "created": timestamp(now),
        "expires_at": timestamp(now + SESSION_SECONDS),
        "livemode": False,
    }
    state.store.put(session)
    state.meta[session["id"]] = {"expires": now + SESSION_SECONDS}
    return session


def authenticate_stream(state: State, headers: Mapping[str, str]) -> None:
    """The stream takes a session's token as its bearer key, until the session expires."""
    token = (headers.get("authorization") or "").removeprefix("Bearer ").strip()
    for session in state.store.everything(SESSION):
        if session["authentication_token"] == token:
            if state.now() >= state.meta[str(session["id"])]["expires"]:
                raise EmulatorError(
                    401,
                    "The meter event session has expired: create a new one",
                    type="temporary_session_expired",
                    code="billing_meter_event_session_expired",
                )
            return
    raise authentication(
        "The meter event stream takes a meter event session's authentication_token as its "
        "key (v2.billing.meter_event_session.create)"
    )


def stream(state: State, params: dict[str, Any]) -> dict[str, Any]:
    events = params.get("events")
    if not isinstance(events, list) or not events:
        raise invalid("events must be a non-empty list of meter events", param="events")
    for event in events:
        _meter_event(state, event if isinstance(event, dict) else {})
    return {}


ROUTES = [
    Route("POST", "/v2/billing/meter_events", create_meter_event),
    Route("POST", "/v2/billing/meter_event_adjustments", create_adjustment),
    Route("POST", "/v2/billing/meter_event_session", create_session),
    Route("POST", STREAM, stream),
]
