"""Usage-based billing: billing meters, the meter events they count, and metered prices.

A meter aggregates the values of its events (`sum`, `count`, or `last`) per customer
over a time range. A subscription item on a metered price (`recurring.usage_type =
"metered"` with `recurring.meter`) bills in arrears: each invoice bills the usage
recorded since the previous one, at the price's unit amount, and nothing when there
was none.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from ..._errors import invalid
from ..._state import State

FORMULAS = ("count", "last", "sum")
#: How far back and ahead a meter event's timestamp may be, as Stripe documents.
PAST_LIMIT = 35 * 86400
FUTURE_LIMIT = 5 * 60
#: Identifiers are unique within a rolling 24 hours.
DEDUPE_WINDOW = 86400


def new_meter(state: State, params: dict[str, Any]) -> dict[str, Any]:
    event_name = params["event_name"]
    for other in state.store.all("billing.meter"):
        if other["event_name"] == event_name and other["status"] == "active":
            raise invalid(
                f"An active meter ({other['id']}) already uses the event_name {event_name}.",
                param="event_name",
            )
    now = state.now()
    mapping = params.get("customer_mapping") or {}
    meter: dict[str, Any] = {
        "id": state.new_id("mtr"),
        "object": "billing.meter",
        "created": now,
        "customer_mapping": {
            "event_payload_key": mapping.get("event_payload_key") or "stripe_customer_id",
            "type": "by_id",
        },
        "default_aggregation": {"formula": params["default_aggregation"]["formula"]},
        "display_name": params["display_name"],
        "event_name": event_name,
        "event_time_window": params.get("event_time_window"),
        "livemode": False,
        "status": "active",
        "status_transitions": {"deactivated_at": None},
        "updated": now,
        "value_settings": {
            "event_payload_key": (params.get("value_settings") or {}).get("event_payload_key")
            or "value"
        },
    }
    state.store.put(meter)
    state.emit("billing.meter.created", meter)
    return meter


def set_status(state: State, meter: dict[str, Any], active: bool) -> dict[str, Any]:
    wanted = "active" if active else "inactive"
    if meter["status"] == wanted:
        raise invalid(f"The meter {meter['id']} is already {wanted}.")
    before = copy.deepcopy(meter)
    now = state.now()
    meter.update(status=wanted, updated=now)
    meter["status_transitions"]["deactivated_at"] = None if active else now
    state.emit(
        "billing.meter.reactivated" if active else "billing.meter.deactivated",
        meter,
        {"status": before["status"]},
    )
    return meter


def _number(value: Any, param: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise invalid(f"The meter event value must be a number, not {value!r}.", param=param)
    return number


def record_event(state: State, params: dict[str, Any]) -> dict[str, Any]:
    """Store a meter event (`POST /v1/billing/meter_events`)."""
    now = state.now()
    meter = next(
        (
            m
            for m in state.store.all("billing.meter")
            if m["event_name"] == params["event_name"] and m["status"] == "active"
        ),
        None,
    )
    if meter is None:
        # Stripe reports this later (v1.billing.meter.no_meter_found); a test learns now.
        raise invalid(
            f"No active meter has the event_name {params['event_name']}.", param="event_name"
        )
    payload = {str(k): str(v) for k, v in (params.get("payload") or {}).items()}
    customer_key = meter["customer_mapping"]["event_payload_key"]
    value_key = meter["value_settings"]["event_payload_key"]
    customer = payload.get(customer_key)
    if customer is None:
        raise invalid(f"Missing required param: payload[{customer_key}].", param="payload")
    state.require("customer", customer, "customer", f"payload[{customer_key}]")
    if meter["default_aggregation"]["formula"] != "count" or value_key in payload:
        if value_key not in payload:
            raise invalid(f"Missing required param: payload[{value_key}].", param="payload")
        _number(payload[value_key], f"payload[{value_key}]")
    timestamp = params.get("timestamp")
    timestamp = now if timestamp is None else timestamp
    if not now - PAST_LIMIT <= timestamp <= now + FUTURE_LIMIT:
        raise invalid(
            "The timestamp must be within the past 35 calendar days or up to 5 minutes in "
            "the future.",
            param="timestamp",
        )
    identifier = params.get("identifier") or state.new_id("mev")
    seen = state.meta.setdefault("billing.meter_events", {})
    earlier = seen.get(identifier)
    if earlier is not None and now - earlier["created"] < DEDUPE_WINDOW:
        raise invalid(
            f"A meter event with the identifier {identifier} already exists; identifiers are "
            "unique within 24 hours, so a retry is not counted twice.",
            param="identifier",
        )
    event = {
        "object": "billing.meter_event",
        "created": now,
        "event_name": params["event_name"],
        "identifier": identifier,
        "livemode": False,
        "payload": payload,
        "timestamp": timestamp,
    }
    seen[identifier] = event
    state.meta.setdefault(meter["id"], {}).setdefault("events", []).append(
        {"identifier": identifier, "customer": customer, "timestamp": timestamp, "payload": payload}
    )
    return event


def cancel_event(state: State, event_name: str, identifier: str) -> None:
    """A meter event adjustment of type cancel: the event no longer counts."""
    for meter in state.store.all("billing.meter"):
        if meter["event_name"] != event_name:
            continue
        events = state.meta.get(meter["id"], {}).get("events", [])
        for event in events:
            if event["identifier"] == identifier:
                events.remove(event)
                return
    raise invalid(
        f"No meter event of {event_name} has the identifier {identifier}.",
        param="cancel[identifier]",
    )


def aggregate(
    state: State, meter: dict[str, Any], customer: str, start: int, end: int
) -> Decimal | None:
    """The meter's value for `customer` over `[start, end)`; None when no event fell in it."""
    key = meter["value_settings"]["event_payload_key"]
    events = sorted(
        (
            e
            for e in state.meta.get(meter["id"], {}).get("events", [])
            if e["customer"] == customer and start <= e["timestamp"] < end
        ),
        key=lambda e: e["timestamp"],
    )
    if not events:
        return None
    formula = meter["default_aggregation"]["formula"]
    if formula == "count":
        return Decimal(len(events))
    values = [_number(e["payload"].get(key, "0"), key) for e in events]
    return values[-1] if formula == "last" else sum(values, Decimal(0))


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def summaries(
    state: State,
    meter: dict[str, Any],
    customer: str,
    start: int,
    end: int,
    window: str | None,
) -> list[dict[str, Any]]:
    """Event summaries newest first: one over the range, or one per hour or day."""
    if start >= end:
        raise invalid("The start_time must be before the end_time.", param="start_time")
    step = {"hour": 3600, "day": 86400}.get(window or "", end - start)
    out = []
    for begin in range(start, end, step):
        finish = min(begin + step, end)
        value = aggregate(state, meter, customer, begin, finish)
        out.append(
            {
                "id": f"mtrusg_{state.ids.token(24)}",
                "object": "billing.meter_event_summary",
                "aggregated_value": 0 if value is None else _plain(value),
                "end_time": finish,
                "livemode": False,
                "meter": meter["id"],
                "start_time": begin,
            }
        )
    return list(reversed(out))


def check_meter(state: State, recurring: dict[str, Any] | None, param: str) -> None:
    """A metered price needs the meter that counts its usage (as in the current API)."""
    if recurring is None:
        return
    if recurring.get("usage_type") != "metered":
        if recurring.get("meter"):
            # A licensed price bills its quantity; a meter there would count for nothing.
            raise invalid(
                "recurring[meter] can only be set with recurring[usage_type]=metered.",
                param=param,
            )
        return
    if not recurring.get("meter"):
        raise invalid(
            "Metered prices must be backed by a meter: pass recurring[meter] (a billing.meter id).",
            param=param,
        )
    state.require("billing.meter", recurring["meter"], "billing.meter", param)


def is_metered(price: dict[str, Any]) -> bool:
    return bool((price.get("recurring") or {}).get("usage_type") == "metered")


def metered_usage(
    state: State, sub_item: dict[str, Any], customer: str, until: int, *, bill: bool
) -> tuple[Decimal, dict[str, int]]:
    """The usage a metered item has not been billed for, up to `until`, and its period;
    `bill` marks it billed (an invoice took it)."""
    meta = state.meta.setdefault(sub_item["id"], {})
    since = meta.get("usage_from", sub_item.get("created", until))
    since = min(since, until)
    meter = state.store.get(sub_item["price"]["recurring"].get("meter") or "", "billing.meter")
    value = None if meter is None else aggregate(state, meter, customer, since, until)
    if bill:
        meta["usage_from"] = until
    return (value or Decimal(0)), {"start": since, "end": until}


def metered_amount(price: dict[str, Any], quantity: Decimal) -> int:
    unit = Decimal(price["unit_amount_decimal"] or price["unit_amount"] or 0)
    return int((unit * quantity).to_integral_value(rounding="ROUND_HALF_UP"))


def quantity_value(quantity: Decimal) -> int | float:
    return _plain(quantity)
