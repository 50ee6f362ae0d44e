"""/v1/test_helpers/test_clocks: Stripe's test clocks, moved by the time engine."""

from __future__ import annotations

from typing import Any

from .._flows.billing import clock
from .._lists import paginate
from .._params import INT, LIST_PARAMS, STR, Obj
from .._router import Route
from .._state import State

CREATE = Obj({"frozen_time": INT, "name": STR}, required=("frozen_time",))
ADVANCE = Obj({"frozen_time": INT}, required=("frozen_time",))


def _lookup(state: State, id: str) -> dict[str, Any]:
    return state.require(clock.CLOCK_KIND, id, "test_clock")


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return clock.create_clock(state, params["frozen_time"], params.get("name"))


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return _lookup(state, id)


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return paginate(
        state.store.newest_first(clock.CLOCK_KIND),
        params,
        "/v1/test_helpers/test_clocks",
        "test_clock",
    )


def delete(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return clock.delete_clock(state, _lookup(state, id))


def advance(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return clock.start_advance(state, _lookup(state, id), params["frozen_time"])


ROUTES = [
    Route("POST", "/v1/test_helpers/test_clocks", create, CREATE),
    Route("GET", "/v1/test_helpers/test_clocks", list_all, Obj(LIST_PARAMS)),
    Route("GET", "/v1/test_helpers/test_clocks/{id}", retrieve),
    Route("DELETE", "/v1/test_helpers/test_clocks/{id}", delete),
    Route("POST", "/v1/test_helpers/test_clocks/{id}/advance", advance, ADVANCE),
]
