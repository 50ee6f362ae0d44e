"""Routes of tax rates (the rates invoices, items and subscriptions apply)."""

from __future__ import annotations

from typing import Any

from .._flows.billing import tax
from .._lists import paginate
from .._params import BOOL, CREATED, LIST_PARAMS, METADATA, STR, Decimal, Obj, Str
from .._router import Route
from .._state import State

_EDITABLE = {
    "active": BOOL,
    "country": STR,
    "description": STR,
    "display_name": STR,
    "jurisdiction": STR,
    "metadata": METADATA,
    "state": STR,
    "tax_type": Str(
        "amusement_tax",
        "communications_tax",
        "gst",
        "hst",
        "igst",
        "jct",
        "lease_tax",
        "pst",
        "qst",
        "retail_delivery_fee",
        "rst",
        "sales_tax",
        "service_tax",
        "vat",
    ),
}


CREATE = Obj(
    {**_EDITABLE, "inclusive": BOOL, "percentage": Decimal()},
    required=("display_name", "inclusive", "percentage"),
)


UPDATE = Obj(_EDITABLE)


LIST = Obj({**LIST_PARAMS, "active": BOOL, "inclusive": BOOL, "created": CREATED})


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return tax.new_rate(state, params)


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return state.require("tax_rate", id, "tax_rate")


def update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return tax.update_rate(state, state.require("tax_rate", id, "tax_rate"), params)


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        r
        for r in state.store.newest_first("tax_rate")
        if params.get("active") in (None, r["active"])
        and params.get("inclusive") in (None, r["inclusive"])
    ]
    return paginate(rows, params, "/v1/tax_rates", "tax_rate")


ROUTES = [
    Route("POST", "/v1/tax_rates", create, CREATE),
    Route("GET", "/v1/tax_rates", list_all, LIST),
    Route("GET", "/v1/tax_rates/{id}", retrieve),
    Route("POST", "/v1/tax_rates/{id}", update, UPDATE),
]
