"""`POST /_emulator/objects/{kind}`: store an object only Stripe makes, over HTTP.

The served emulator's counterpart of `StripeEmulator.add_object`, so a suite in
any language can put a dispute, a review or a mandate in place to act on.
"""

from __future__ import annotations

from typing import Any

from .._errors import invalid
from .._generic import add_object
from .._params import Obj
from .._resources import kinds
from .._router import Route
from .._state import State


def store(state: State, params: dict[str, Any], kind: str) -> dict[str, Any]:
    resource = kinds().get(kind)
    if resource is None:
        raise invalid(f"no object kind {kind!r} in Stripe's v1 API", param="kind")
    fields = {
        name: _typed(_from_form(value), resource.fields.get(name, "any"))
        for name, value in params.items()
    }
    try:
        return add_object(state, kind, fields)
    except ValueError as error:
        raise invalid(str(error), param="kind") from None


def _from_form(value: Any) -> Any:
    """Form text as the object holds it: `x[0]=a&x[1]=b` is a list."""
    if isinstance(value, dict):
        if value and all(isinstance(key, str) and key.isdigit() for key in value):
            return [_from_form(value[key]) for key in sorted(value, key=int)]
        return {key: _from_form(item) for key, item in value.items()}
    return value


def _typed(value: Any, tag: str) -> Any:
    """A top-level field's form text as its JSON type (`amount=1000` is a number)."""
    if isinstance(value, str) and tag == "int" and value.lstrip("-").isdigit():
        return int(value)
    if isinstance(value, str) and tag == "bool" and value in ("true", "false"):
        return value == "true"
    return value


ROUTES = [Route("POST", "/_emulator/objects/{kind}", store, Obj(open=True))]
