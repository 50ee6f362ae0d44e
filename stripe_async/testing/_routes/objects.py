"""`POST /_emulator/objects/{kind}`: store an object only Stripe makes, over HTTP.

The served emulator's counterpart of `StripeEmulator.add_object`, so a suite in
any language can put a dispute, a review or a mandate in place to act on.
"""

from __future__ import annotations

from typing import Any

from .._errors import invalid
from .._generic import add_object
from .._params import Obj
from .._router import Route
from .._state import State


def store(state: State, params: dict[str, Any], kind: str) -> dict[str, Any]:
    try:
        return add_object(state, kind, params)
    except ValueError as error:
        raise invalid(str(error), param="kind") from None


ROUTES = [Route("POST", "/_emulator/objects/{kind}", store, Obj(open=True))]
