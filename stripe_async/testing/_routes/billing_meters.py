"""Routes of billing meters, meter events, adjustments and event summaries."""

from __future__ import annotations

from typing import Any

from .._flows.billing import usage
from .._lists import paginate
from .._modelled import Modelled
from .._params import INT, LIST_PARAMS, STR, Obj, Str
from .._router import Route
from .._state import State

CREATE = Obj(
    {
        "display_name": STR,
        "event_name": STR,
        "default_aggregation": Obj({"formula": Str(*usage.FORMULAS)}, required=("formula",)),
        "customer_mapping": Obj(
            {"event_payload_key": STR, "type": Str("by_id")},
            required=("event_payload_key", "type"),
        ),
        "value_settings": Obj({"event_payload_key": STR}, required=("event_payload_key",)),
        "event_time_window": Str("day", "hour"),
    },
    required=("display_name", "event_name", "default_aggregation"),
)


SUMMARIES = Obj(
    {
        **LIST_PARAMS,
        "customer": STR,
        "start_time": INT,
        "end_time": INT,
        "value_grouping_window": Str("day", "hour"),
    },
    required=("customer", "start_time", "end_time"),
)


EVENT = Obj(
    {
        "event_name": STR,
        "payload": Obj(open=True),
        "timestamp": INT,
        "identifier": Str(max_length=100),
    },
    required=("event_name", "payload"),
)


ADJUSTMENT = Obj(
    {
        "event_name": STR,
        "type": Str("cancel"),
        "cancel": Obj({"identifier": STR}, required=("identifier",)),
    },
    required=("event_name", "cancel"),
)


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return usage.new_meter(state, params)


def update(state: State, meter: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    # Only a change of name is an update: its event names the one field, `updated` stamped.
    if params.get("display_name") is not None and params["display_name"] != meter["display_name"]:
        previous = {"display_name": meter["display_name"]}
        meter.update(display_name=params["display_name"], updated=state.now())
        state.emit("billing.meter.updated", meter, previous)
    return meter


METERS = Modelled(
    "billing.meter",
    path="/v1/billing/meters",
    create=create,
    create_params=CREATE,
    update_params=Obj({"display_name": STR}),
    replace_update=update,
    filters={"status": Str("active", "inactive")},
)


def deactivate(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return usage.set_status(state, METERS.find(state, id), active=False)


def reactivate(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return usage.set_status(state, METERS.find(state, id), active=True)


def event_summaries(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    meter = METERS.find(state, id)
    state.require("customer", params["customer"], "customer", "customer")
    rows = usage.summaries(
        state,
        meter,
        params["customer"],
        params["start_time"],
        params["end_time"],
        params.get("value_grouping_window"),
    )
    return paginate(
        rows, params, f"/v1/billing/meters/{id}/event_summaries", "billing.meter_event_summary"
    )


def meter_event(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return usage.record_event(state, params)


def adjustment(state: State, params: dict[str, Any]) -> dict[str, Any]:
    identifier = params["cancel"]["identifier"]
    usage.cancel_event(state, params["event_name"], identifier)
    return {
        "object": "billing.meter_event_adjustment",
        "cancel": {"identifier": identifier},
        "event_name": params["event_name"],
        "livemode": False,
        "status": "complete",
        "type": "cancel",
    }


ROUTES = [
    *METERS.routes(),
    Route("POST", "/v1/billing/meters/{id}/deactivate", deactivate),
    Route("POST", "/v1/billing/meters/{id}/reactivate", reactivate),
    Route("GET", "/v1/billing/meters/{id}/event_summaries", event_summaries, SUMMARIES),
    Route("POST", "/v1/billing/meter_events", meter_event, EVENT),
    Route("POST", "/v1/billing/meter_event_adjustments", adjustment, ADJUSTMENT),
]
