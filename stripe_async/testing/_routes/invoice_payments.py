"""Routes of invoice payments: parse, call the flow, render."""

from __future__ import annotations

from typing import Any

from .._flows.billing.invoice_payments import (
    URL,
)
from .._lists import paginate
from .._params import LIST_PARAMS, STR, Obj, Str
from .._router import Route
from .._state import State

STATUS = Str("canceled", "open", "paid")


LIST = Obj(
    {
        **LIST_PARAMS,
        "invoice": STR,
        "status": STATUS,
        "payment": Obj(
            {
                "type": Str("payment_intent", "payment_record"),
                "payment_intent": STR,
                "payment_record": STR,
            }
        ),
    }
)


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("payment") or {}
    rows = [
        p
        for p in state.store.newest_first("invoice_payment")
        if params.get("invoice") in (None, p["invoice"])
        and params.get("status") in (None, p["status"])
        and wanted.get("type") in (None, p["payment"]["type"])
        and wanted.get("payment_intent") in (None, p["payment"].get("payment_intent"))
        and wanted.get("payment_record") in (None, p["payment"].get("payment_record"))
    ]
    return paginate(rows, params, URL, "invoice payment")


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return state.require("invoice_payment", id, "invoice payment")


ROUTES = [
    Route("GET", URL, list_all, LIST),
    Route("GET", URL + "/{id}", retrieve),
]
