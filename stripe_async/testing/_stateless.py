"""stripe-mock mode: every v1 operation answered statelessly, from the resource table.

Stripe's own SDK test suites run against stripe-mock, which keeps nothing: any id
resolves to an object of the right type with that id, a create returns a fresh
object, a list holds one object. These routes answer the same way, building each
object as the generic layer does (Stripe's fixture for its type, the given params
applied on create and update), and still check parameters against the API's
definitions. Nothing is stored, so no hand-written flow takes part.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from ._generic import apply_params, concrete_path, new_object, param_spec, unsupported
from ._lists import parse_limit
from ._resources import Kind as Resource
from ._resources import Operation, kinds, operations
from ._router import Handler, Route
from ._state import State

#: The `Stripe-Emulator-Fidelity` of every stateless reply.
FIDELITY = "stateless"


def stateless_routes() -> list[Route]:
    """One stateless route for every operation in the resource table."""
    return [
        Route(op.verb, op.path, _handler(op), param_spec(op), fidelity=FIDELITY)
        for op in operations()
    ]


def stand_in(state: State) -> Callable[[str, str], dict[str, Any] | None]:
    """What `expand[]` finds for an id: an object of the kind its prefix (or, where a
    prefix is shared, the field's name) says, with that id."""

    def find(field: str, object_id: str) -> dict[str, Any] | None:
        prefix = object_id.rsplit("_", 1)[0] if "_" in object_id else ""
        kind = _by_prefix().get(prefix) or _by_prefix().get(prefix.split("_", 1)[0])
        resource = kinds().get(kind or field)
        return None if resource is None else new_object(state, resource, object_id)

    return find


@functools.cache
def _by_prefix() -> dict[str, str]:
    """Kinds by id prefix, where only one kind has the prefix (`cus` -> `customer`)."""
    seen: dict[str, list[str]] = {}
    for name, resource in kinds().items():
        seen.setdefault(resource.prefix, []).append(name)
    return {prefix: names[0] for prefix, names in seen.items() if prefix and len(names) == 1}


def _handler(op: Operation) -> Handler:
    resource = kinds().get(op.kind) if op.kind is not None else None
    if resource is None:
        return _refuse(op)
    if op.op == "list":
        return _listing(op, resource, "list")
    if op.op == "search":
        return _listing(op, resource, "search_result")
    if op.op == "delete":
        return _deleting(op, resource)
    return _answering(op, resource)


def _refuse(op: Operation) -> Handler:
    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        raise unsupported(op, "it does not know the object this operation returns")

    return handler


def _own_param(op: Operation, resource: Resource) -> str | None:
    """The path parameter naming the returned object (`/v1/customers/{customer}`), if any."""
    parents = dict(op.parents)
    last = op.path.rsplit("/", 1)[-1]
    if last.startswith("{"):
        name = last[1:-1]
        return name if parents.get(name) in (None, resource.name) else None
    if op.op == "action" and op.parents and op.parents[-1][1] == resource.name:
        return op.parents[-1][0]  # `POST /v1/payment_intents/{intent}/confirm`
    return None  # a create, a singleton, `POST /v1/customers/{customer}/funding_instructions`


def _made(
    state: State, op: Operation, resource: Resource, args: dict[str, str], own: str | None
) -> dict[str, Any]:
    object_id = args[own] if own is not None else None
    if object_id is None and resource.name == "account" and state.store.scope is not None:
        object_id = state.store.scope  # `GET /v1/account` with `Stripe-Account`
    obj = new_object(state, resource, object_id)
    for param, value in args.items():
        if param != own and param in resource.fields:
            obj[param] = value  # the parent's id (`tax_id.customer`)
    return obj


def _answering(op: Operation, resource: Resource) -> Handler:
    own = _own_param(op, resource)

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        obj = _made(state, op, resource, args, own)
        if op.verb == "POST":
            apply_params(obj, resource, params, state.now())
        return obj

    return handler


def _deleting(op: Operation, resource: Resource) -> Handler:
    own = _own_param(op, resource)

    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        object_id = args[own] if own is not None else state.new_id(resource.prefix)
        return {"id": object_id, "object": resource.name, "deleted": True}

    return handler


def _listing(op: Operation, resource: Resource, envelope: str) -> Handler:
    def handler(state: State, params: dict[str, Any], **args: str) -> dict[str, Any]:
        parse_limit(params.get("limit"))  # Stripe's 400 for a limit out of 1..100
        page: dict[str, Any] = {
            "object": envelope,
            "data": [_made(state, op, resource, args, None)],
            "has_more": False,
            "url": concrete_path(op.path, args),
        }
        if envelope == "search_result":
            page["next_page"] = None
            if "total_count" in state.expand:
                page["total_count"] = 1
        return page

    return handler


__all__: Sequence[str] = ["FIDELITY", "stand_in", "stateless_routes"]
