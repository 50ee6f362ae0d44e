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
from collections.abc import Iterable, Sequence
from typing import Any

from ..models._event_types import EVENT_OBJECT_KIND
from ._action_models import MODELS, Call, Model
from ._actions import effect_of
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
from ._resources import Operation, kinds, label, operations
from ._router import Handler, Route
from ._search import search
from ._state import State, set_metadata

#: Fields the emulator sets itself, whatever the parameters say.
_OWN_FIELDS = frozenset({"id", "object", "created", "livemode", "deleted"})
_PLACEHOLDER = re.compile(r"\{\w+\}")
_LIST_NAMES = frozenset(LIST_PARAMS)


def generic_routes(hand: Iterable[Route]) -> list[Route]:
    """A route for every operation in the table that no route in `hand` serves."""
    served = {(route.method, _PLACEHOLDER.sub("{}", route.pattern)) for route in hand}
    return [
        Route(op.verb, op.path, _handler(op), param_spec(op), fidelity="generic")
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


def param_spec(op: Operation) -> Obj:
    """The parameters `op` takes, as v1.json defines them at the top level."""
    fields: dict[str, Kind] = {}
    model = MODELS.get(op.name) if op.op == "action" else None
    for name, tag, _ in op.params:
        if model is not None and name not in model.params:
            continue  # Stripe takes it, this model does not honour it: refused
        listing = op.op == "list" and name in _LIST_NAMES
        fields[name] = LIST_PARAMS[name] if listing else _kind_of(name, tag)
    return Obj(fields, required=[name for name, _, required in op.params if required])


# --- objects -------------------------------------------------------------------


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


def _typed(value: Any, tag: str, now: int) -> Any:
    """A form value the spec left untyped (`now` or a timestamp, a flag), as its field's type."""
    if not isinstance(value, str):
        return value
    if tag == "int":
        if value == "now":  # Stripe's word for the current time on timestamp params
            return now
        if re.fullmatch(r"-?\d+", value):
            return int(value)
    if tag == "bool" and value in ("true", "false"):
        return value == "true"
    return value


def apply_params(obj: dict[str, Any], resource: Resource, params: dict[str, Any], now: int) -> None:
    """Params that name a top-level field of a matching type become that field."""
    for name, raw in params.items():
        if name == "metadata" and "metadata" in resource.fields:
            set_metadata(obj, raw)
            continue
        tag = resource.fields.get(name)
        if tag is None or name in _OWN_FIELDS:
            continue
        value = _typed(raw, tag, now)
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
        current = obj.get(name)
        if current is None and isinstance(value, dict):
            current = copy.deepcopy(resource.shapes.get(name))  # a null hash, set now
        obj[name] = _merged(current, copy.deepcopy(value))


def form_lists(value: Any) -> Any:
    """Form text as the object holds it: `x[0]=a&x[1]=b` (parsed as a hash) is a list."""
    if isinstance(value, dict):
        if value and all(isinstance(key, str) and key.isdigit() for key in value):
            return [form_lists(value[key]) for key in sorted(value, key=int)]
        return {key: form_lists(item) for key, item in value.items()}
    if isinstance(value, list):
        return [form_lists(item) for item in value]
    return value


def _merged(current: Any, given: Any) -> Any:
    """A hash param sets the keys it names; the rest of the object stays (as on Stripe).

    Form text inside the hash takes the type of the value it replaces (`"true"` -> True).
    """
    given = form_lists(given)
    if isinstance(given, str) and isinstance(current, bool):
        return given == "true" if given in ("true", "false") else given
    if isinstance(given, str) and isinstance(current, int):
        return int(given) if re.fullmatch(r"-?\d+", given) else given
    if not (isinstance(current, dict) and isinstance(given, dict)):
        return given
    merged = dict(current)
    for key, value in given.items():
        merged[key] = _merged(current.get(key), value)
    return merged


def new_object(state: State, resource: Resource, object_id: str | None = None) -> dict[str, Any]:
    """A fresh object of `resource` (Stripe's fixture for it), with `object_id` or a new id."""
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
    obj = new_object(state, resource, wanted if isinstance(wanted, str) else None)
    obj.update(copy.deepcopy({name: value for name, value in fields.items() if name != "id"}))
    return state.store.put(obj)


def _known(event_type: str) -> bool:
    return event_type in EVENT_OBJECT_KIND


def _emit(
    state: State, obj: dict[str, Any], change: str, before: dict[str, Any] | None = None
) -> None:
    """The event Stripe sends for this change, when its API has one (`tax_rate.created`)."""
    event_type = f"{obj['object']}.{change}"
    if not _known(event_type):
        # Some namespaced kinds' events join the namespace: issuing_authorization.updated.
        event_type = f"{obj['object'].replace('.', '_')}.{change}"
    if not _known(event_type):
        return
    if before is None:
        state.emit(event_type, obj)
    else:
        state.emit_update(event_type, obj, before)


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
            raise not_found(label(str(kind)), value, param=None)
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
        raise not_found(label(resource.name), object_id)
    return obj


_NO_KIND = Resource("", "", {}, {}, frozenset(), (), False)


def _catalog(
    state: State, resource: Resource, object_id: str, parents: dict[str, str]
) -> dict[str, Any]:
    """Reference data: the entry for any id, kept once seen (per parent and account)."""
    return _kept(state, "generic:catalog", resource, parents, object_id)


def _kept(
    state: State,
    book_name: str,
    resource: Resource,
    parents: dict[str, str],
    object_id: str | None = None,
) -> dict[str, Any]:
    """The one object of `resource` under these parents (and id), made when first asked for."""
    book: dict[str, Any] = state.meta.setdefault(book_name, {})
    ids = [object_id] if object_id is not None else []
    key = "/".join([str(state.store.scope), resource.name, *parents.values(), *ids])
    if key not in book:
        obj = new_object(state, resource, object_id)
        _link_parents(obj, resource, parents)
        book[key] = obj
    entry: dict[str, Any] = book[key]
    return entry


def _link_parents(obj: dict[str, Any], resource: Resource, parents: dict[str, str]) -> None:
    """The parents' ids, in the fields that name them (`tax_id.customer`)."""
    for param, value in parents.items():
        field = _parent_field(resource, param, value)
        if field is not None:
            obj[field] = value


def _parent_field(resource: Resource, param: str, value: str) -> str | None:
    """The field naming the parent: the path parameter's name, or (for a path such as
    `/v1/transfers/{id}/reversals`, whose `id` is not the new object's) the field whose
    example holds an id of the parent's prefix (`transfer_reversal.transfer`)."""
    if param not in _OWN_FIELDS:
        return param if param in resource.fields else None
    prefix = value.split("_", 1)[0] + "_"
    return next(
        (
            name
            for name, example in resource.template.items()
            if name not in _OWN_FIELDS and isinstance(example, str) and example.startswith(prefix)
        ),
        None,
    )


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
                f"A {label(resource.name)} with id '{wanted}' already exists.",
                param="id",
                code="resource_already_exists",
            )
        obj = new_object(state, resource, wanted if isinstance(wanted, str) else None)
        apply_params(obj, resource, params, state.now())
        _link_parents(obj, resource, parents)
        state.store.put(obj)
        if parents:
            state.meta.setdefault(obj["id"], {})["parents"] = parents
        _emit(state, obj, "created")
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
        before = copy.deepcopy(obj)
        apply_params(obj, resource, params, state.now())
        _emit(state, obj, "updated", before)
        return obj

    return handler


def _delete(op: Operation) -> Handler:
    resource = _resource(op)

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        if resource.catalog:
            raise unsupported(op, "Stripe keeps this reference data")
        obj = _load(state, op, args)
        _emit(state, obj, "deleted")
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


def concrete_path(path: str, args: dict[str, str]) -> str:
    """`path` with its placeholders filled from the request's path arguments."""
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
        return paginate(rows, params, concrete_path(op.path, args), label(resource.name))

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
            url=concrete_path(op.path, args),
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
            before = copy.deepcopy(obj)
            apply_params(obj, resource, params, state.now())
            _emit(state, obj, "updated", before)
        return obj

    return handler


def _one(state: State, resource: Resource, parents: dict[str, str]) -> dict[str, Any]:
    return _kept(state, "generic:singletons", resource, parents)


def fidelity(op: Operation, hand: Iterable[Route]) -> str:
    """ "modelled", "generic" or "emulator_unsupported": how the emulator answers `op`."""
    served = {(route.method, _PLACEHOLDER.sub("{}", route.pattern)) for route in hand}
    if (op.verb, _PLACEHOLDER.sub("{}", op.path)) in served:
        return "modelled"
    if op.kind is None or op.kind not in kinds():
        return "emulator_unsupported"
    if op.op == "action" and op.name not in MODELS and effect_of(op) is None:
        return "emulator_unsupported"
    return "generic"


def _action(op: Operation) -> Handler:
    """`POST /v1/x/{id}/verb`: the small model the verb names, or a refusal."""
    model = MODELS.get(op.name)
    if model is not None:
        return _modelled(op, model)
    effect = effect_of(op)
    if effect is None:
        return _refuse(op)
    resource = _resource(op)
    id_param = op.parents[-1][0]

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        _parents(state, op, args, skip_last=True)
        obj = state.store.get(args[id_param], resource.name)
        if obj is None:
            raise not_found(label(resource.name), args[id_param])
        before = copy.deepcopy(obj)
        effect(state, obj, params)
        status = obj.get("status")
        if status != before.get("status") and _known(f"{resource.name}.{status}"):
            _emit(state, obj, str(status), before)  # payout.canceled, quote.accepted
        else:
            _emit(state, obj, "updated", before)
        return obj

    return handler


def _new_of_kind(state: State, kind: str) -> dict[str, Any]:
    return new_object(state, kinds()[kind])


def _modelled(op: Operation, model: Model) -> Handler:
    """An action declared in `_action_models.py`, on the object its path names (if any)."""
    resource = _resource(op)
    own = op.parents[-1][0] if op.parents and op.parents[-1][1] == op.kind else None

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        _parents(state, op, args, skip_last=own is not None)
        obj = None
        if own is not None:
            obj = state.store.get(args[own], resource.name)
            if obj is None:
                raise not_found(label(resource.name), args[own])
        before = copy.deepcopy(obj)
        answer = model.run(Call(state, params, obj, _new_of_kind))
        if obj is not None and before is not None and obj != before:
            status = obj.get("status")
            if status != before.get("status") and _known(f"{resource.name}.{status}"):
                _emit(state, obj, str(status), before)
            else:
                _emit(state, obj, "updated", before)
        return answer

    return handler


__all__: Sequence[str] = [
    "add_object",
    "apply_params",
    "concrete_path",
    "fidelity",
    "form_lists",
    "generic_routes",
    "new_object",
    "param_spec",
    "unsupported",
]
