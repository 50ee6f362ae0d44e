"""/v1/test_helpers/test_clocks: Stripe's test clocks, moved by the time engine."""

from __future__ import annotations

from typing import Any

from .._flows.billing import clock
from .._modelled import Modelled
from .._params import INT, STR, Obj
from .._router import Route
from .._state import State

CREATE = Obj({"frozen_time": INT, "name": STR}, required=("frozen_time",))
ADVANCE = Obj({"frozen_time": INT}, required=("frozen_time",))


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return clock.create_clock(state, params["frozen_time"], params.get("name"))


def advance(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return clock.start_advance(state, TEST_CLOCKS.find(state, id), params["frozen_time"])


TEST_CLOCKS = Modelled(
    clock.CLOCK_KIND,
    path="/v1/test_helpers/test_clocks",
    label="test_clock",
    create=create,
    create_params=CREATE,
    deletable=True,
    # Deleting a clock deletes the objects on it too, without their events.
    replace_delete=clock.delete_clock,
)
ROUTES = [
    *TEST_CLOCKS.routes(),
    Route("POST", "/v1/test_helpers/test_clocks/{id}/advance", advance, ADVANCE),
]
