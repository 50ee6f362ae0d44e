"""Generic behaviour for every v1 operation no hand-written flow models.

Each operation in the resource table gets a route: create, retrieve, update,
delete, list and search keep state on the emulator's store as Stripe does for a
plain resource; an action either moves a status the way its name says
(`cancel` -> `canceled`) or is refused with a 400 `emulator_unsupported` that
names it. Nothing here answers 2xx without having done what the call asks.
Hand-written routes take priority: `generic_routes()` skips every operation they
already serve.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ._errors import EmulatorError, invalid, not_found
from ._lists import created_matches, paginate
from ._params import (
    ANY,
    BOOL,
    INT,
    LIST_PARAMS,
    METADATA,
    STR,
    Decimal,
    Kind,
    ListOf,
    Obj,
    currency,
)
from ._resources import Kind as Resource
from ._resources import Operation, kinds, operations
from ._router import Handler, Route
from ._search import search
from ._state import State, set_metadata

#: Fields the emulator sets itself, whatever the parameters say.
_OWN_FIELDS = frozenset({"id", "object", "created", "livemode", "deleted"})
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
#: The timestamp a transition stamps, when the object has it.
_STAMPS = {"canceled": "canceled_at", "expired": "expired_at", "void": "voided_at"}
_PLACEHOLDER = re.compile(r"\{\w+\}")
_LIST_NAMES = frozenset(LIST_PARAMS)


def generic_routes(hand: Iterable[Route]) -> list[Route]:
    """A route for every operation in the table that no route in `hand` serves."""
    served = {(route.method, _PLACEHOLDER.sub("{}", route.pattern)) for route in hand}
    return [
        Route(op.verb, op.path, _handler(op), _spec(op), fidelity="generic")
        for op in operations()
        if (op.verb, _PLACEHOLDER.sub("{}", op.path)) not in served
    ]


def unsupported(op: Operation, why: str = "") -> EmulatorError:
    """The 400 for an operation the emulator accepts but has no behaviour for."""
    reason = why or "it checks the parameters but has no behaviour for this action"
    return EmulatorError(
        400,
        f"The emulator does not model {op.verb} {op.path} ({op.name}): {reason}. Run this "
        "call against Stripe's test mode, or see docs/testing.md for what is modelled.",
        code="emulator_unsupported",
    )


# --- parameters ----------------------------------------------------------------


def _kind_of(name: str, tag: str) -> Kind:
    if name == "metadata":
        return METADATA
    kinds_by_tag: dict[str, Kind] = {
        "str": STR,
        "int": INT,
        "bool": BOOL,
        "float": Decimal(),
        "list": ListOf(ANY),
    }
    return kinds_by_tag.get(tag, ANY)


def _spec(op: Operation) -> Obj:
    fields: dict[str, Kind] = {}
    for name, tag, _ in op.params:
        listing = op.op == "list" and name in _LIST_NAMES
        fields[name] = LIST_PARAMS[name] if listing else _kind_of(name, tag)
    return Obj(fields, required=[name for name, _, required in op.params if required])


# --- objects -------------------------------------------------------------------


def _label(kind: str) -> str:
    return kind.rsplit(".", 1)[-1]


def _fill(value: Any, object_id: str) -> Any:
    if isinstance(value, str):
        return value.replace("{id}", object_id)
    if isinstance(value, list):
        return [_fill(item, object_id) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, object_id) for key, item in value.items()}
    return value


def _fits(value: Any, tag: str) -> bool:
    if tag in ("str", "id"):
        return isinstance(value, str)
    if tag == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if tag == "bool":
        return isinstance(value, bool)
    if tag == "float":
        return isinstance(value, (int, float, str)) and not isinstance(value, bool)
    if tag == "list":
        return isinstance(value, list)
    if tag in ("obj", "ref"):
        return isinstance(value, dict)
    return tag == "any"


def _apply(obj: dict[str, Any], resource: Resource, params: dict[str, Any]) -> None:
    """Params that name a top-level field of a matching type become that field."""
    for name, value in params.items():
        if name == "metadata" and "metadata" in resource.fields:
            set_metadata(obj, value)
            continue
        tag = resource.fields.get(name)
        if tag is None or name in _OWN_FIELDS:
            continue
        if value is None:
            if name not in resource.present:
                obj[name] = None  # "" unsets a field, as on Stripe
            continue
        if not _fits(value, tag):
            continue
        if tag == "float" and isinstance(value, str):
            value = float(value)
        if name == "currency" and isinstance(value, str):
            value = currency(value)
        obj[name] = copy.deepcopy(value)


def _new(state: State, resource: Resource, object_id: str | None = None) -> dict[str, Any]:
    object_id = object_id or state.new_id(resource.prefix)
    obj: dict[str, Any] = {"id": object_id, "object": resource.name}
    obj.update(_fill(copy.deepcopy(resource.template), object_id))
    if "created" in resource.fields:
        obj["created"] = state.now()
    if "livemode" in resource.fields:
        obj["livemode"] = False
    if "metadata" in resource.fields:
        obj["metadata"] = {}
    return obj


def _resource(op: Operation) -> Resource:
    assert op.kind is not None
    return kinds()[op.kind]


def add_object(state: State, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Store an object of any kind, its fields filled as a generic create fills them and
    `fields` set verbatim (what a test needs of an object only Stripe makes)."""
    resource = kinds().get(kind)
    if resource is None:
        raise ValueError(f"no object kind {kind!r} in Stripe's v1 API")
    wanted = fields.get("id")
    if isinstance(wanted, str) and state.store.find(wanted) is not None:
        raise ValueError(f"an object with id {wanted!r} exists already")
    obj = _new(state, resource, wanted if isinstance(wanted, str) else None)
    obj.update(copy.deepcopy({name: value for name, value in fields.items() if name != "id"}))
    return state.store.put(obj)


# --- paths ---------------------------------------------------------------------


def _parents(
    state: State, op: Operation, args: dict[str, str], skip_last: bool = False
) -> dict[str, str]:
    """The parent ids in the path, each checked to exist (Stripe's 404 if not)."""
    found: dict[str, str] = {}
    for param, kind in op.parents[:-1] if skip_last else op.parents:
        value = args[param]
        checked = kind is not None and not kinds().get(kind, _NO_KIND).catalog
        if checked and state.store.get(value, kind) is None:
            raise not_found(_label(str(kind)), value, param=None)
        found[param] = value
    return found


def _own_id(op: Operation, args: dict[str, str]) -> str:
    name = op.path.rsplit("/", 1)[-1][1:-1]
    return args[name]


def _belongs(state: State, obj: dict[str, Any], parents: dict[str, str]) -> bool:
    links = state.meta.get(obj["id"], {}).get("parents", {})
    for param, value in parents.items():
        if param in links:
            if links[param] != value:
                return False
        elif obj.get(param) != value:
            return False
    return True


def _load(state: State, op: Operation, args: dict[str, str]) -> dict[str, Any]:
    resource = _resource(op)
    parents = _parents(state, op, args)
    object_id = _own_id(op, args)
    if resource.catalog:
        return _catalog(state, resource, object_id, parents)
    obj = state.store.get(object_id, resource.name)
    if obj is None or not _belongs(state, obj, parents):
        raise not_found(_label(resource.name), object_id)
    return obj


_NO_KIND = Resource("", "", {}, {}, frozenset(), (), False)


def _catalog(
    state: State, resource: Resource, object_id: str, parents: dict[str, str]
) -> dict[str, Any]:
    """Reference data: the entry for any id, kept once seen (per parent and account)."""
    book: dict[str, Any] = state.meta.setdefault("generic:catalog", {})
    key = "/".join([str(state.store.scope), resource.name, *parents.values(), object_id])
    if key not in book:
        obj = _new(state, resource, object_id)
        for param, value in parents.items():
            if param in resource.fields:
                obj[param] = value
        book[key] = obj
    entry: dict[str, Any] = book[key]
    return entry


# --- behaviour -----------------------------------------------------------------


def _handler(op: Operation) -> Handler:
    if op.kind is None or op.kind not in kinds():
        return _refuse(op, "it does not know the object this operation returns")
    behaviours = {
        "create": _create,
        "retrieve": _retrieve,
        "update": _update,
        "delete": _delete,
        "list": _list,
        "search": _search,
        "singleton_retrieve": _singleton,
        "singleton_update": _singleton,
        "action": _action,
    }
    return behaviours[op.op](op)


def _refuse(op: Operation, why: str = "") -> Handler:
    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        _parents(state, op, args)
        raise unsupported(op, why)

    return handler


def _create(op: Operation) -> Handler:
    resource = _resource(op)

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        parents = _parents(state, op, args)
        wanted = params.get("id") if "id" in resource.fields else None
        if isinstance(wanted, str) and state.store.find(wanted) is not None:
            raise invalid(
                f"A {_label(resource.name)} with id '{wanted}' already exists.",
                param="id",
                code="resource_already_exists",
            )
        obj = _new(state, resource, wanted if isinstance(wanted, str) else None)
        _apply(obj, resource, params)
        for param, value in parents.items():
            if param in resource.fields:  # the parent's id (`tax_id.customer`)
                obj[param] = value
        state.store.put(obj)
        if parents:
            state.meta.setdefault(obj["id"], {})["parents"] = parents
        return obj

    return handler


def _retrieve(op: Operation) -> Handler:
    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        return _load(state, op, args)

    return handler


def _update(op: Operation) -> Handler:
    resource = _resource(op)

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        obj = _load(state, op, args)
        _apply(obj, resource, params)
        return obj

    return handler


def _delete(op: Operation) -> Handler:
    resource = _resource(op)

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        if resource.catalog:
            raise unsupported(op, "Stripe keeps this reference data")
        obj = _load(state, op, args)
        return state.store.delete(obj["id"])

    return handler


def _filters(resource: Resource, params: dict[str, Any]) -> list[tuple[str, Any]]:
    """Documented list filters that name a top-level field (`status=paid`, `arrival_date[gte]`)."""
    return [
        (name, value)
        for name, value in params.items()
        if name not in _LIST_NAMES and name in resource.fields and value is not None
    ]


def _matches(obj: dict[str, Any], name: str, value: Any) -> bool:
    actual = obj.get(name)
    if isinstance(value, dict) and isinstance(actual, int):
        return created_matches(actual, {k: int(v) for k, v in value.items() if v is not None})
    if isinstance(value, (str, int, bool)):
        return actual == value or (isinstance(actual, dict) and actual.get("id") == value)
    return True  # a filter on a nested shape the emulator does not index


def _listed(state: State, op: Operation, args: dict[str, str]) -> list[dict[str, Any]]:
    resource = _resource(op)
    parents = _parents(state, op, args)
    if resource.catalog:
        book: dict[str, Any] = state.meta.get("generic:catalog", {})
        prefix = "/".join([str(state.store.scope), resource.name, *parents.values()]) + "/"
        return [obj for key, obj in reversed(book.items()) if key.startswith(prefix)]
    return [obj for obj in state.store.newest_first(resource.name) if _belongs(state, obj, parents)]


def _concrete(path: str, args: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: args.get(m.group()[1:-1], m.group()), path)


def _list(op: Operation) -> Handler:
    resource = _resource(op)

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        wanted = _filters(resource, params)
        rows = [
            obj
            for obj in _listed(state, op, args)
            if all(_matches(obj, name, value) for name, value in wanted)
        ]
        return paginate(rows, params, _concrete(op.path, args), _label(resource.name))

    return handler


def _search(op: Operation) -> Handler:
    resource = _resource(op)
    fields = {
        name: name
        for name, tag in resource.fields.items()
        if tag in ("str", "int", "bool", "float", "id")
    }

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        return search(
            _listed(state, op, args),
            params,
            resource=op.path.rsplit("/", 2)[-2],
            fields=fields,
            url=_concrete(op.path, args),
            expand=state.expand,
        )

    return handler


def _singleton(op: Operation) -> Handler:
    """One object per account and parent (`/v1/tax/settings`, a customer's cash balance)."""
    resource = _resource(op)

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        parents = _parents(state, op, args)
        if resource.name == "account" and state.store.scope is not None:
            obj = state.store.find(state.store.scope)
            assert obj is not None  # the app checked Stripe-Account names an account
        else:
            obj = _one(state, resource, parents)
        if op.op == "singleton_update":
            _apply(obj, resource, params)
        return obj

    return handler


def _one(state: State, resource: Resource, parents: dict[str, str]) -> dict[str, Any]:
    book: dict[str, Any] = state.meta.setdefault("generic:singletons", {})
    key = "/".join([str(state.store.scope), resource.name, *parents.values()])
    if key not in book:
        obj = _new(state, resource)
        for param, value in parents.items():
            if param in resource.fields:
                obj[param] = value
        book[key] = obj
    entry: dict[str, Any] = book[key]
    return entry


Effect = Callable[[State, dict[str, Any], dict[str, Any]], None]


def _own(op: Operation) -> tuple[str, str | None] | None:
    """The object an action acts on (the path's last id, of the kind it answers with)."""
    own = op.parents[-1] if op.parents else None
    if op.verb != "POST" or own is None or own[1] != op.kind:
        return None
    return own


def _effect(op: Operation) -> Effect | None:
    """What an action does to its object, or None when the emulator has no model for it."""
    if op.kind is None or op.kind not in kinds() or op.op != "action" or _own(op) is None:
        return None
    verb = op.name.rsplit(".", 1)[-1]
    resource = kinds()[op.kind]
    label = _label(resource.name)
    fields = _FIELDS.get((resource.name, verb))
    if fields is not None:
        return _set_fields(fields)
    if resource.name == "terminal.reader" and (verb in _READER_ACTIONS or verb in _READER_OUTCOMES):
        return _reader_action(verb)
    shipping = _SHIPPING.get(verb)
    if shipping is not None and "shipping" in resource.fields:
        return _ship(shipping, label)
    if op.path.split("/")[-2] != "{" + op.parents[-1][0] + "}":
        return None  # an action on something inside the object (a sub-path)
    targets = _TRANSITIONS.get(verb, ())
    if resource.statuses:
        targets = tuple(t for t in targets if t in resource.statuses)
    elif verb not in _UNTYPED:
        targets = ()
    if targets and "status" in resource.fields:
        return _move(targets[0], resource, label)
    if verb in _FLAGS and "active" in resource.fields and "status" not in resource.fields:
        return _set_fields({"active": _FLAGS[verb]})
    stamp = _STAMP_ONLY.get(verb)
    if stamp is not None and stamp in resource.fields:
        return _stamp(stamp, verb, label)
    return None


def _move(target: str, resource: Resource, label: str) -> Effect:
    def effect(state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        if obj.get("status") == target:
            raise invalid(f"This {label} is already {target}.")
        obj["status"] = target
        stamp = _STAMPS.get(target)
        if stamp is not None and stamp in resource.fields:
            obj[stamp] = state.now()

    return effect


def _set_fields(values: dict[str, Any]) -> Effect:
    def effect(state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        obj.update(copy.deepcopy(values))

    return effect


def _stamp(field: str, verb: str, label: str) -> Effect:
    def effect(state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        when = obj.get(field)
        if isinstance(when, int) and when <= state.now():
            raise invalid(f"This {label} is already {verb.split('_')[0]}ed.")
        obj[field] = state.now()

    return effect


def _ship(status: str, label: str) -> Effect:
    def effect(state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        if not isinstance(obj.get("shipping"), dict):
            raise invalid(f"This {label} has no shipping: only physical cards are shipped.")
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
                verb: copy.deepcopy(params),
            }

    return effect


def fidelity(op: Operation, hand: Iterable[Route]) -> str:
    """ "modelled", "generic" or "emulator_unsupported": how the emulator answers `op`."""
    served = {(route.method, _PLACEHOLDER.sub("{}", route.pattern)) for route in hand}
    if (op.verb, _PLACEHOLDER.sub("{}", op.path)) in served:
        return "modelled"
    if op.kind is None or op.kind not in kinds():
        return "emulator_unsupported"
    if op.op == "action" and _effect(op) is None:
        return "emulator_unsupported"
    return "generic"


def _action(op: Operation) -> Handler:
    """`POST /v1/x/{id}/verb`: the small model the verb names, or a refusal."""
    effect = _effect(op)
    if effect is None:
        return _refuse(op)
    resource = _resource(op)
    id_param = op.parents[-1][0]

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        _parents(state, op, args, skip_last=True)
        obj = state.store.get(args[id_param], resource.name)
        if obj is None:
            raise not_found(_label(resource.name), args[id_param])
        effect(state, obj, params)
        return obj

    return handler


__all__: Sequence[str] = ["add_object", "fidelity", "generic_routes", "unsupported"]
