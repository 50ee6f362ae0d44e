"""Small models of custom actions (`POST /v1/x/{id}/verb`) for the generic layer.

Most of Stripe's actions are status transitions, and the verb says which:
`cancel` -> `canceled`, `close` -> `lost`, `deactivate` -> `inactive`. Where the
API lists a status's values the target must be one of them. A Terminal reader
holds one action at a time; Issuing cards move through shipping. An action with
no entry here has no model, and the generic layer refuses it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ._errors import EmulatorError, invalid
from ._resources import Kind as Resource
from ._resources import Operation, kinds, label
from ._state import State

#: A custom action named like this moves `status` to the first value the object takes.
_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "accept": ("accepted",),
    "activate": ("active",),
    "archive": ("archived",),
    "cancel": ("canceled",),
    "capture": ("closed",),
    "close": ("lost", "closed"),
    "deactivate": ("inactive",),
    "disconnect": ("disconnected",),
    "expire": ("expired",),
    "fail": ("failed",),
    "finalize_quote": ("open",),
    "post": ("posted",),
    "reactivate": ("active",),
    "reject": ("rejected",),
    "release": ("released",),
    "return_inbound_transfer": ("returned",),
    "return_outbound_payment": ("returned",),
    "return_outbound_transfer": ("returned",),
    "reverse": ("reversed",),
    "submit": ("submitted",),
    "succeed": ("succeeded",),
    "unarchive": ("active",),
    "void_credit_note": ("void",),
}
#: Transitions applied even where the API does not list the status values.
_UNTYPED = frozenset({"cancel"})
#: Actions on objects with an `active` flag and no status.
_FLAGS = {"activate": True, "reactivate": True, "unarchive": True, "deactivate": False}
#: Actions that only stamp a time (a credit grant's `void` and `expire`).
_STAMP_ONLY = {"void_grant": "voided_at", "expire": "expires_at"}
#: Actions that set fields, by (kind, action).
_FIELDS: dict[tuple[str, str], dict[str, Any]] = {
    ("issuing.authorization", "approve"): {"approved": True},
    ("issuing.authorization", "decline"): {"approved": False, "status": "closed"},
    ("review", "approve"): {"open": False, "closed_reason": "approved"},
}
#: Test helpers that move a physical card's `shipping.status`.
_SHIPPING = {
    "deliver_card": "delivered",
    "fail_card": "failure",
    "return_card": "returned",
    "ship_card": "shipped",
    "submit_card": "submitted",
}
#: Terminal reader actions, and the test helpers that end the one in progress.
_READER_ACTIONS = frozenset(
    {
        "cancel_action",
        "collect_inputs",
        "collect_payment_method",
        "confirm_payment_intent",
        "process_payment_intent",
        "process_setup_intent",
        "refund_payment",
        "set_reader_display",
    }
)
_READER_OUTCOMES = {
    "present_payment_method": "succeeded",
    "succeed_input_collection": "succeeded",
    "timeout_input_collection": "failed",
}
#: Reader action params that steer the action and are not echoed in `action[verb]`.
_REQUEST_ONLY = frozenset({"allow_redisplay"})
#: The timestamp a transition stamps, when the object has it.
_STAMPS = {"canceled": "canceled_at", "expired": "expired_at", "void": "voided_at"}


Effect = Callable[[State, dict[str, Any], dict[str, Any]], None]


def _own(op: Operation) -> tuple[str, str | None] | None:
    """The object an action acts on (the path's last id, of the kind it answers with)."""
    own = op.parents[-1] if op.parents else None
    if op.verb != "POST" or own is None or own[1] != op.kind:
        return None
    return own


def effect_of(op: Operation) -> Effect | None:
    """What an action does to its object, or None when the emulator has no model for it."""
    if op.kind is None or op.kind not in kinds() or op.op != "action" or _own(op) is None:
        return None
    verb = op.name.rsplit(".", 1)[-1]
    resource = kinds()[op.kind]
    name = label(resource.name)
    fields = _FIELDS.get((resource.name, verb))
    if fields is not None:
        return _set_fields(fields)
    if resource.name == "terminal.reader" and (verb in _READER_ACTIONS or verb in _READER_OUTCOMES):
        return _reader_action(verb)
    shipping = _SHIPPING.get(verb)
    if shipping is not None and "shipping" in resource.fields:
        return _ship(shipping, name)
    if op.path.split("/")[-2] != "{" + op.parents[-1][0] + "}":
        return None  # an action on something inside the object (a sub-path)
    targets = _TRANSITIONS.get(verb, ())
    if resource.statuses:
        targets = tuple(t for t in targets if t in resource.statuses)
    elif verb not in _UNTYPED:
        targets = ()
    if targets and "status" in resource.fields:
        return _move(targets[0], resource, name)
    if verb in _FLAGS and "active" in resource.fields and "status" not in resource.fields:
        return _set_fields({"active": _FLAGS[verb]})
    stamp = _STAMP_ONLY.get(verb)
    if stamp is not None and stamp in resource.fields:
        return _stamp(stamp, verb, name)
    return None


def _move(target: str, resource: Resource, name: str) -> Effect:
    def effect(state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        if obj.get("status") == target:
            raise invalid(f"This {name} is already {target}.")
        obj["status"] = target
        stamp = _STAMPS.get(target)
        if stamp is not None and stamp in resource.fields:
            obj[stamp] = state.now()

    return effect


def _set_fields(values: dict[str, Any]) -> Effect:
    def effect(state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        obj.update(copy.deepcopy(values))

    return effect


def _stamp(field: str, verb: str, name: str) -> Effect:
    def effect(state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        when = obj.get(field)
        if isinstance(when, int) and when <= state.now():
            raise invalid(f"This {name} is already {verb.split('_')[0]}ed.")
        obj[field] = state.now()

    return effect


def _ship(status: str, name: str) -> Effect:
    def effect(state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        if not isinstance(obj.get("shipping"), dict):
            raise invalid(f"This {name} has no shipping: only physical cards are shipped.")
        obj["shipping"]["status"] = status

    return effect


def _reader_action(verb: str) -> Effect:
    """A Terminal reader takes one action at a time; the test helpers finish it."""

    def effect(state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        action = obj.get("action")
        busy = isinstance(action, dict) and action.get("status") == "in_progress"
        if verb == "cancel_action":
            if not busy:
                raise invalid("This reader has no action in progress to cancel.")
            obj["action"] = None
        elif verb in _READER_OUTCOMES:
            if not busy:
                raise invalid("This reader has no action in progress.")
            outcome = _READER_OUTCOMES[verb]
            assert isinstance(action, dict)
            action["status"] = outcome
            if outcome == "failed":
                action["failure_code"] = "timed_out"
                action["failure_message"] = "The reader timed out waiting for input."
        else:
            if busy:
                raise EmulatorError(
                    409, "This reader is busy with another action.", code="terminal_reader_busy"
                )
            obj["action"] = {
                "type": verb,
                "status": "in_progress",
                "failure_code": None,
                "failure_message": None,
                verb: {k: copy.deepcopy(v) for k, v in params.items() if k not in _REQUEST_ONLY},
            }

    return effect


__all__ = ["Effect", "effect_of"]
