"""Subscription schedules: phases that change a subscription's prices on set dates.

Each phase runs from its `start_date` (the schedule's, or the previous phase's end)
to its `end_date` (given, or `duration` after its start, or one interval of its
first price). A schedule starting now creates its subscription at once; one in the
future is `not_started` until the clock passes its start. When the clock passes a
phase's end, `advance_schedule()` moves the subscription to the next phase's items (without
prorations when the phase ends with a billing period, else as the phase's
`proration_behavior` says); after the last phase, `end_behavior` `release` leaves
the subscription running (`released`) and `cancel` cancels it (`completed`).

Each schedule's next start, phase change or end is a due step of the time engine
(clock.py), so the emulator's clock and a test clock both move it, in time order
with renewals (a phase change first when both fall on the same second).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import partial
from typing import Any

from ..._errors import invalid, unsupported_param
from ..._state import State, set_metadata
from . import changes, subscriptions, tax
from .clock import Step, in_frame, source

OPEN = ("not_started", "active")


def _default_settings() -> dict[str, Any]:
    return {
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": "automatic",
        "billing_thresholds": None,
        "collection_method": "charge_automatically",
        "default_payment_method": None,
        "description": None,
        "invoice_settings": {
            "account_tax_ids": None,
            "days_until_due": None,
            "issuer": {"type": "self"},
        },
        "on_behalf_of": None,
        "transfer_data": None,
    }


def _phases(state: State, specs: list[dict[str, Any]], start: int) -> list[dict[str, Any]]:
    if not specs:
        raise invalid("Missing required param: phases.", param="phases")
    out = []
    for index, spec in enumerate(specs):
        param = f"phases[{index}]"
        items = []
        for number, item in enumerate(spec["items"]):
            price = state.require(
                "price", item.get("price"), "price", f"{param}[items][{number}][price]"
            )
            items.append(
                {
                    "billing_thresholds": None,
                    "discounts": [],
                    "metadata": dict(item.get("metadata") or {}),
                    "plan": price["id"],
                    "price": price["id"],
                    "quantity": 1 if item.get("quantity") is None else item["quantity"],
                    "tax_rates": tax.resolve(
                        state, item.get("tax_rates"), f"{param}[items][{number}][tax_rates]"
                    ),
                }
            )
        if not items:
            raise invalid(f"Missing required param: {param}[items].", param=f"{param}[items]")
        given = spec.get("start_date")
        phase_start = start if index == 0 or given is None else given
        if isinstance(phase_start, str):
            phase_start = state.now()
        end = spec.get("end_date")
        if end is None and spec.get("duration") is not None:
            duration = spec["duration"]
            end = subscriptions.period_end(
                phase_start, duration["interval"], duration.get("interval_count") or 1
            )
        if end is None:
            first = state.require("price", items[0]["price"], "price")["recurring"]
            end = subscriptions.period_end(phase_start, first["interval"], first["interval_count"])
        if end <= phase_start:
            raise invalid(
                f"The phase must end after it starts ({param}[end_date]).",
                param=f"{param}[end_date]",
            )
        currency = state.require("price", items[0]["price"], "price")["currency"]
        out.append(
            {
                "add_invoice_items": [],
                "application_fee_percent": None,
                "automatic_tax": None,
                "billing_cycle_anchor": None,
                "billing_thresholds": None,
                "collection_method": None,
                "currency": currency,
                "default_payment_method": None,
                "default_tax_rates": tax.resolve(
                    state, spec.get("default_tax_rates"), f"{param}[default_tax_rates]"
                ),
                "description": spec.get("description"),
                "discounts": [],
                "end_date": end,
                "invoice_settings": None,
                "items": items,
                "metadata": dict(spec.get("metadata") or {}),
                "on_behalf_of": None,
                "proration_behavior": spec.get("proration_behavior") or "create_prorations",
                "start_date": phase_start,
                "transfer_data": None,
                "trial": None,
                "trial_end": None,
            }
        )
        start = end
    return out


def _current(schedule: dict[str, Any], now: int) -> dict[str, Any] | None:
    phases: list[dict[str, Any]] = schedule["phases"]
    return next((p for p in phases if p["start_date"] <= now < p["end_date"]), None)


def _mark_phase(schedule: dict[str, Any], phase: dict[str, Any] | None) -> None:
    schedule["current_phase"] = (
        None
        if phase is None
        else {"start_date": phase["start_date"], "end_date": phase["end_date"]}
    )


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    now = state.now()
    if params.get("from_subscription") is not None:
        if params.get("phases") or params.get("start_date") is not None:
            raise invalid(
                "You cannot set phases or start_date together with from_subscription.",
                param="from_subscription",
            )
        subscription = state.require(
            "subscription", params["from_subscription"], "subscription", "from_subscription"
        )
        if subscription["schedule"] is not None:
            raise invalid(
                f"The subscription {subscription['id']} is already managed by the schedule "
                f"{subscription['schedule']}.",
                param="from_subscription",
            )
        items = subscriptions.items_of(state, subscription["id"])
        specs = [
            {
                "items": [{"price": i["price"]["id"], "quantity": i["quantity"]} for i in items],
                "end_date": min(i["current_period_end"] for i in items),
            }
        ]
        start = min(i["current_period_start"] for i in items)
        customer_id = subscription["customer"]
    else:
        if params.get("customer") is None:
            raise invalid("Missing required param: customer.", param="customer")
        customer_id = state.require("customer", params["customer"], "customer", "customer")["id"]
        specs = params.get("phases") or []
        given = params.get("start_date")
        start = now if given in (None, "now") else given
        if start < now:
            # Backdating bills the time already passed, which the emulator does not model.
            raise unsupported_param("start_date")
        subscription = None
    schedule: dict[str, Any] = {
        "id": state.new_id("sub_sched"),
        "object": "subscription_schedule",
        "application": None,
        "billing_mode": {"flexible": None, "type": "classic"},
        "canceled_at": None,
        "completed_at": None,
        "created": now,
        "current_phase": None,
        "customer": customer_id,
        "customer_account": None,
        "default_settings": _default_settings(),
        "end_behavior": params.get("end_behavior") or "release",
        "livemode": False,
        "metadata": {},
        "pause_schedules": [],
        "phases": _phases(state, specs, start),
        "released_at": None,
        "released_subscription": None,
        "status": "not_started",
        "subscription": None,
        "test_clock": None,
    }
    set_metadata(schedule, params.get("metadata"))
    state.store.put(schedule)
    if subscription is not None:
        _attach(state, schedule, subscription)
    elif start <= now:
        _start(state, schedule)
    state.emit("subscription_schedule.created", schedule)
    return schedule


def _attach(state: State, schedule: dict[str, Any], subscription: dict[str, Any]) -> None:
    before = copy.deepcopy(subscription)
    subscription["schedule"] = schedule["id"]
    schedule.update(status="active", subscription=subscription["id"])
    _mark_phase(schedule, schedule["phases"][0])
    state.emit_update("customer.subscription.updated", subscription, before)


def _start(state: State, schedule: dict[str, Any]) -> None:
    """The first phase begins: its subscription is created."""
    phase = schedule["phases"][0]
    subscription = subscriptions.create_subscription(
        state,
        {
            "customer": schedule["customer"],
            "items": [
                {
                    "price": item["price"],
                    "quantity": item["quantity"],
                    "tax_rates": [r["id"] for r in item["tax_rates"]],
                    "metadata": item["metadata"],
                }
                for item in phase["items"]
            ],
            "default_tax_rates": [r["id"] for r in phase["default_tax_rates"]],
            "metadata": phase["metadata"] or None,
        },
    )
    _attach(state, schedule, subscription)
    state.emit("subscription_schedule.updated", schedule, {"status": "not_started"})


def _enter(
    state: State,
    schedule: dict[str, Any],
    phase: dict[str, Any],
    *,
    behavior: str | None = None,
    when: int | None = None,
) -> None:
    """Move the subscription onto `phase`'s items: at the phase's start, prorated as the
    phase says (none when it starts with a billing period), or as `behavior` at `when`."""
    subscription = state.require("subscription", schedule["subscription"], "subscription")
    current = subscriptions.items_of(state, subscription["id"])
    wanted = {item["price"]: item for item in phase["items"]}
    specs: list[dict[str, Any]] = []
    for item in current:
        if item["price"]["id"] in wanted:
            chosen = wanted.pop(item["price"]["id"])
            specs.append({"id": item["id"], "quantity": chosen["quantity"]})
        else:
            specs.append({"id": item["id"], "deleted": True})
    specs = [
        *(
            {
                "price": price,
                "quantity": item["quantity"],
                "tax_rates": [r["id"] for r in item["tax_rates"]],
            }
            for price, item in wanted.items()
        ),
        *specs,
    ]
    period_end = min(i["current_period_end"] for i in current)
    when = phase["start_date"] if when is None else when
    aligned = when >= period_end
    params: dict[str, Any] = {
        "items": specs,
        "proration_behavior": "none" if aligned else behavior or phase["proration_behavior"],
    }
    if not aligned:
        params["proration_date"] = when
    subscriptions.update(state, params, subscription["id"], prorate=changes.prorating)
    if phase["default_tax_rates"]:
        subscription["default_tax_rates"] = copy.deepcopy(phase["default_tax_rates"])


def next_change(schedule: dict[str, Any]) -> int | None:
    """When the schedule next starts, changes phase or ends (None: nothing is due)."""
    if schedule["status"] == "not_started":
        return int(schedule["phases"][0]["start_date"])
    current = schedule["current_phase"]
    if schedule["status"] != "active" or current is None:
        return None
    return int(current["end_date"])


def advance_schedule(state: State, schedule: dict[str, Any]) -> None:
    """Apply every start, phase change and end of `schedule` due by the clock's time."""
    now = state.now()
    if schedule["status"] == "not_started" and schedule["phases"][0]["start_date"] <= now:
        _start(state, schedule)
    if schedule["status"] != "active":
        return
    for _ in range(len(schedule["phases"])):
        current = schedule["current_phase"]
        if current is None or current["end_date"] > now:
            break
        before = {"current_phase": copy.deepcopy(current)}
        following = next(
            (p for p in schedule["phases"] if p["start_date"] == current["end_date"]), None
        )
        if following is None:
            _finish(state, schedule)
            break
        _enter(state, schedule, following)
        _mark_phase(schedule, following)
        state.emit("subscription_schedule.updated", schedule, before)


#: A phase changes before a renewal due at the same second, so the renewal bills the
#: new phase's prices.
_PHASE_ORDER = -1


@source
def schedule_steps(state: State, frame: str | None) -> Iterator[Step]:
    """The time engine's due steps: each schedule's next start, phase change or end."""
    for schedule in in_frame(state, "subscription_schedule", frame):
        at = next_change(schedule)
        if at is not None:
            yield Step(
                at, _PHASE_ORDER, schedule["id"], partial(advance_schedule, schedule=schedule)
            )


def _finish(state: State, schedule: dict[str, Any]) -> None:
    now = state.now()
    subscription = state.store.get(schedule["subscription"] or "", "subscription")
    _mark_phase(schedule, None)
    if schedule["end_behavior"] == "cancel" and subscription is not None:
        if subscription["status"] not in ("canceled", "incomplete_expired"):
            subscriptions.cancel_subscription(state, subscription, reason="cancellation_requested")
        schedule.update(status="completed", completed_at=now)
        state.emit("subscription_schedule.completed", schedule)
        return
    release(state, schedule)


def release(state: State, schedule: dict[str, Any]) -> dict[str, Any]:
    if schedule["status"] not in OPEN:
        raise invalid(
            f"Only a not_started or active schedule can be released; {schedule['id']} is "
            f"{schedule['status']}."
        )
    subscription = state.store.get(schedule["subscription"] or "", "subscription")
    if subscription is not None:
        before = copy.deepcopy(subscription)
        subscription["schedule"] = None
        state.emit_update("customer.subscription.updated", subscription, before)
    schedule.update(
        status="released",
        released_at=state.now(),
        released_subscription=schedule["subscription"],
        subscription=None,
        current_phase=None,
    )
    state.emit("subscription_schedule.released", schedule)
    return schedule


def cancel(state: State, schedule: dict[str, Any]) -> dict[str, Any]:
    if schedule["status"] not in OPEN:
        raise invalid(
            f"Only a not_started or active schedule can be canceled; {schedule['id']} is "
            f"{schedule['status']}."
        )
    subscription = state.store.get(schedule["subscription"] or "", "subscription")
    if subscription is not None and subscription["status"] not in (
        "canceled",
        "incomplete_expired",
    ):
        subscriptions.cancel_subscription(state, subscription, reason="cancellation_requested")
    schedule.update(status="canceled", canceled_at=state.now(), current_phase=None)
    state.emit("subscription_schedule.canceled", schedule)
    return schedule


def update(state: State, schedule: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    if schedule["status"] not in OPEN:
        raise invalid(
            f"A {schedule['status']} schedule cannot be updated; only not_started and active "
            "ones can."
        )
    before = copy.deepcopy(schedule)
    if "end_behavior" in params and params["end_behavior"] is not None:
        schedule["end_behavior"] = params["end_behavior"]
    if params.get("phases"):
        start = schedule["phases"][0]["start_date"]
        if schedule["status"] == "active" and schedule["current_phase"] is not None:
            start = schedule["current_phase"]["start_date"]
        schedule["phases"] = _phases(state, params["phases"], start)
        if schedule["status"] == "active":
            current = _current(schedule, state.now()) or schedule["phases"][0]
            _mark_phase(schedule, current)
            behavior = params.get("proration_behavior") or "create_prorations"
            _enter(state, schedule, current, behavior=behavior, when=state.now())
    set_metadata(schedule, params.get("metadata"))
    state.emit_update("subscription_schedule.updated", schedule, before)
    return schedule
