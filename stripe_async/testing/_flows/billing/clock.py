"""The time engine: test clocks, and billing moved forward one due step at a time.

Every object lives on a *frame* of time: a test clock (`clock_...`, the frame of the
customers created with `test_clock=` and of everything billed to them) or the
emulator's own clock (`None`). Moving a frame forward runs, in time order, every
step that falls due on it (a trial ending, a renewal, a draft invoice finalized, a
payment retried); each step runs with the frame's clock set to the step's time, so
`created` and period fields show the time the step happened at.

Steps come from *sources* (renewal.py, dunning.py): functions listing the due steps
of one frame. A step must change what its source lists next (or it would be due
forever); the engine stops a frame that does not, with an error.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..._errors import EmulatorError, invalid, not_found
from ..._state import State
from ..._store import FrozenClock

CLOCK_KIND = "test_helpers.test_clock"
#: Stripe deletes a test clock 30 days after it is created.
CLOCK_LIFETIME = 30 * 86400
#: Steps one advance may run before the engine calls it a loop (a year of daily
#: renewals with retries fits many times over).
MAX_STEPS = 20_000


@dataclass(frozen=True)
class Step:
    """One thing that falls due at `at` (unix seconds) on a frame."""

    at: int
    #: Ties at the same second run in this order (lower first), then as listed.
    order: int
    #: The object the step acts on (its account scopes the step).
    object_id: str
    run: Callable[[State], None]


Source = Callable[[State, "str | None"], Iterable[Step]]

_SOURCES: list[Source] = []


def source(fn: Source) -> Source:
    """Register a producer of due steps (a decorator)."""
    _SOURCES.append(fn)
    return fn


# --- frames -------------------------------------------------------------------------


def frame_of(state: State, obj: dict[str, Any]) -> str | None:
    """The test clock an object moves with: its own `test_clock`, else its customer's
    (or its subscription's), else None (the emulator's clock)."""
    clock = obj.get("test_clock")
    if isinstance(clock, str):
        return clock
    for key in ("customer", "subscription"):
        parent_id = obj.get(key)
        if isinstance(parent_id, str) and parent_id != obj.get("id"):
            parent = state.store.find(parent_id)
            if parent is not None and parent.get("object") in ("customer", "subscription"):
                return frame_of(state, parent)
    return None


def in_frame(state: State, kind: str, frame: str | None) -> Iterator[dict[str, Any]]:
    """Every object of `kind`, in every account, that moves with `frame`."""
    for obj in state.store.everything(kind):
        if frame_of(state, obj) == frame:
            yield obj


def frame_now(state: State, frame: str | None) -> int:
    if frame is None:
        return int(state.clock())
    clock = state.store.find(frame)
    return int(clock["frozen_time"]) if clock is not None else int(state.clock())


def _set_time(state: State, frame: str | None, at: int) -> None:
    if frame is None:
        if isinstance(state.clock, FrozenClock) and at > state.clock.now:
            state.clock.now = at
        return
    clock = state.store.find(frame)
    if clock is not None and at > clock["frozen_time"]:
        clock["frozen_time"] = at


def run_until(state: State, frame: str | None, target: int) -> None:
    """Run every step due on `frame` up to `target`, in time order, then leave the
    frame's clock at `target` (the emulator's wall clock cannot be set: steps due by
    now run at the current time)."""
    store = state.store
    saved = (state.test_clock, store.scope)
    state.test_clock = frame
    try:
        for _ in range(MAX_STEPS):
            due = _next_step(state, frame)
            if due is None or due.at > target:
                break
            _set_time(state, frame, due.at)
            store.scope = store.owner(due.object_id)
            due.run(state)
            store.scope = saved[1]
        else:
            raise EmulatorError(
                500, f"the emulator's billing did not settle within {MAX_STEPS} steps"
            )
        _set_time(state, frame, target)
    finally:
        state.test_clock, store.scope = saved


def _next_step(state: State, frame: str | None) -> Step | None:
    best: Step | None = None
    for produce in _SOURCES:
        for step in produce(state, frame):
            if best is None or (step.at, step.order) < (best.at, best.order):
                best = step
    return best


# --- requests -----------------------------------------------------------------------

#: Parameters that name the object a request acts on (besides the path's ids).
_SUBJECTS = ("customer", "subscription", "invoice", "payment_intent", "setup_intent")


def enter_request(
    state: State, pattern: str, params: dict[str, Any], path_args: dict[str, str]
) -> None:
    """Act under the test clock of the object the request names (so `created` is the
    clock's frozen time), or of `test_clock=` when a customer is created on one."""
    wanted = params.get("test_clock")
    if isinstance(wanted, str) and pattern == "/v1/customers":
        clock = state.store.get(wanted, CLOCK_KIND)
        if clock is None:
            raise not_found("test_clock", wanted, param="test_clock")
        state.test_clock = wanted
        return
    for value in (*path_args.values(), *(params.get(k) for k in _SUBJECTS)):
        if not isinstance(value, str):
            continue
        obj = state.store.find(value)
        if obj is None:
            continue
        if obj.get("object") == "subscription_item":
            obj = state.store.find(obj["subscription"]) or obj
        frame = frame_of(state, obj)
        if frame is not None:
            state.test_clock = frame
            return


def on_event(state: State, event: dict[str, Any]) -> None:
    """Remember which frame's time moves an event's delivery retries."""
    state.meta.setdefault(event["id"], {})["test_clock"] = state.test_clock


# --- test clocks --------------------------------------------------------------------


def create_clock(state: State, frozen_time: int, name: str | None) -> dict[str, Any]:
    now = state.now()
    clock = {
        "id": state.new_id("clock"),
        "object": CLOCK_KIND,
        "created": now,
        "deletes_after": now + CLOCK_LIFETIME,
        "frozen_time": int(frozen_time),
        "livemode": False,
        "name": name,
        "status": "ready",
        "status_details": {},
    }
    state.store.put(clock)
    state.emit("test_helpers.test_clock.created", clock)
    return clock


def start_advance(state: State, clock: dict[str, Any], frozen_time: int) -> dict[str, Any]:
    """Move the clock's objects to `frozen_time`. The reply shows `advancing`; the
    emulator makes it `ready` (with its event) once the deliveries of the advance have
    been made, so a client polls until `status == "ready"` as it would on Stripe."""
    if clock["status"] != "ready":
        raise invalid(
            f"The test clock {clock['id']} is {clock['status']}; wait until its status is "
            "ready before advancing it again.",
            code="test_clock_not_ready",
        )
    if frozen_time <= clock["frozen_time"]:
        raise invalid(
            "The frozen_time must be after the test clock's current frozen_time "
            f"({clock['frozen_time']}).",
            param="frozen_time",
        )
    clock["status"] = "advancing"
    clock["status_details"] = {"advancing": {"target_frozen_time": int(frozen_time)}}
    state.emit("test_helpers.test_clock.advancing", clock)
    reply = copy.deepcopy(clock)
    run_until(state, clock["id"], int(frozen_time))
    state.advanced.append(clock["id"])
    return reply


def finish_advances(state: State, clock_ids: Iterable[str]) -> None:
    """These clocks are done advancing: `ready`, with `test_helpers.test_clock.ready`."""
    for clock_id in clock_ids:
        clock = state.store.find(clock_id)
        if clock is not None and clock["status"] == "advancing":
            clock["status"] = "ready"
            clock["status_details"] = {}
            state.emit("test_helpers.test_clock.ready", clock)


#: What a test clock's deletion takes with it, children before their parents.
_CLOCK_OBJECTS = (
    "subscription_item",
    "subscription",
    "subscription_schedule",
    "quote",
    "line_item",
    "invoiceitem",
    "invoice",
    "payment_method",
    "customer",
)


def delete_clock(state: State, clock: dict[str, Any]) -> dict[str, Any]:
    """Delete the clock and every object on it (its customers and their billing), as
    Stripe does; no events are sent for the objects."""
    for kind in _CLOCK_OBJECTS:
        for obj in list(in_frame(state, kind, clock["id"])):
            state.store.delete(obj["id"])
    for kind in ("subscription_item", "line_item"):
        # Their parents went first: an orphan names a deleted subscription or invoice.
        for obj in list(state.store.everything(kind)):
            parent = obj.get("subscription") or obj.get("invoice")
            if isinstance(parent, str) and state.store.deleted(parent) is not None:
                state.store.delete(obj["id"])
    tombstone = state.store.delete(clock["id"])
    state.emit("test_helpers.test_clock.deleted", clock)
    return tombstone


def install(state: State) -> None:
    state.on_request = enter_request
    state.on_event = on_event
