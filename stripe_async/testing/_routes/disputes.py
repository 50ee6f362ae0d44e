"""Routes of disputes (opened by the createDispute test cards)."""

from __future__ import annotations

from typing import Any

from .._flows.payments import disputes
from .._lists import paginate
from .._params import ANY, BOOL, LIST_PARAMS, METADATA, STR, Obj, Str
from .._router import Route
from .._state import State

EVIDENCE = Obj({**dict.fromkeys(disputes.EVIDENCE_FIELDS, STR), "enhanced_evidence": ANY})


UPDATE = Obj(
    {
        "evidence": EVIDENCE,
        "metadata": METADATA,
        "submit": BOOL,
        "intended_submission_method": Str(
            "manual", "prefer_manual", "prefer_smart_disputes", "smart_disputes"
        ),
    }
)


LIST = Obj({**LIST_PARAMS, "charge": STR, "payment_intent": STR})


def _dispute(state: State, id: str) -> dict[str, Any]:
    return state.require("dispute", id, "dispute")


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return _dispute(state, id)


def update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return disputes.update_dispute(state, _dispute(state, id), params)


def close(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return disputes.close_dispute(state, _dispute(state, id))


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        d
        for d in state.store.newest_first("dispute")
        if params.get("charge") in (None, d["charge"])
        and params.get("payment_intent") in (None, d["payment_intent"])
    ]
    return paginate(rows, params, "/v1/disputes", "dispute")


ROUTES = [
    Route("GET", "/v1/disputes", list_all, LIST),
    Route("GET", "/v1/disputes/{id}", retrieve),
    Route("POST", "/v1/disputes/{id}", update, UPDATE),
    Route("POST", "/v1/disputes/{id}/close", close),
]
