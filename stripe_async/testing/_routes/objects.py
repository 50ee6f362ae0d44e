"""`POST /_emulator/objects/{kind}`: store an object only Stripe makes, over HTTP.

The served emulator's counterpart of `StripeEmulator.add_object`, so a suite in
any language can put a dispute, a review or a mandate in place to act on.
"""

from __future__ import annotations

from typing import Any

from .._errors import invalid
from .._generic import add_object, form_lists
from .._params import Obj
from .._resources import kinds
from .._router import Route
from .._state import State


def store(state: State, params: dict[str, Any], kind: str) -> dict[str, Any]:
    resource = kinds().get(kind)
    if resource is None:
        raise invalid(f"no object kind {kind!r} in Stripe's v1 API", param="kind")
    fields = {
        name: _typed(form_lists(value), resource.fields.get(name, "any"))
        for name, value in params.items()
    }
    try:
        return add_object(state, kind, fields)
    except ValueError as error:
        raise invalid(str(error), param="kind") from None


def _typed(value: Any, tag: str) -> Any:
    """A top-level field's form text as its JSON type (`amount=1000` is a number)."""
    if isinstance(value, str) and tag == "int" and value.lstrip("-").isdigit():
        return int(value)
    if isinstance(value, str) and tag == "bool" and value in ("true", "false"):
        return value == "true"
    return value


ROUTES = [Route("POST", "/_emulator/objects/{kind}", store, Obj(open=True))]
