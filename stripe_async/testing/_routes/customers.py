"""/v1/customers (with search)."""

from __future__ import annotations

import copy
from typing import Any

from .._errors import not_found
from .._flows.payments import payment_methods
from .._flows.payments.customers import _PLAIN, _lookup, _not_attached, create_customer
from .._lists import paginate
from .._params import (
    ADDRESS,
    ANY,
    BOOL,
    INT,
    LIST_PARAMS,
    METADATA,
    SEARCH_PARAMS,
    SHIPPING,
    STR,
    STR_LIST,
    Obj,
    Str,
)
from .._router import Route
from .._search import search_handler
from .._state import State, assign, set_metadata

INVOICE_SETTINGS = Obj(
    {
        "custom_fields": ANY,
        "default_payment_method": STR,
        "footer": STR,
        "rendering_options": ANY,
    }
)


_FIELDS = {
    "address": ADDRESS,
    "balance": INT,
    "business_name": Str(max_length=150),
    "description": STR,
    "email": Str(max_length=512),
    "invoice_prefix": STR,
    "individual_name": Str(max_length=150),
    "invoice_settings": INVOICE_SETTINGS,
    "metadata": METADATA,
    "name": Str(max_length=256),
    "next_invoice_sequence": INT,
    "phone": STR,
    "preferred_locales": STR_LIST,
    "shipping": SHIPPING,
    "source": STR,
    "tax_exempt": Str("none", "exempt", "reverse"),
    "test_clock": STR,
}


#: `validate` asks Stripe to check the customer's tax location; the emulator checks
#: none either way and computes no tax (automatic tax is refused), so it changes nothing.
_CREATE_FIELDS = {**_FIELDS, "validate": BOOL}
CREATE = Obj({**_CREATE_FIELDS, "payment_method": STR})


UPDATE = Obj({**_CREATE_FIELDS, "default_source": STR})


LIST = Obj({**LIST_PARAMS, "email": STR, "test_clock": STR})


DELETE = Obj()


SEARCH_FIELDS = {"created": "created", "email": "email", "name": "name", "phone": "phone"}


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return create_customer(state, params)


def _check_default_pm(state: State, customer: dict[str, Any], pm_id: str) -> None:
    pm = state.store.get(pm_id, "payment_method")
    if pm is None or pm["customer"] != customer["id"]:
        raise _not_attached(pm_id)


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    deleted = state.store.deleted(id)
    if deleted is not None and deleted["object"] == "customer":
        return deleted
    return _lookup(state, id)


def update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    customer = _lookup(state, id)
    if params.get("default_source") is not None:
        card = state.store.get(params["default_source"], "card")
        if card is None or card["customer"] != id:
            raise not_found("source", params["default_source"], param="default_source")
    settings = params.get("invoice_settings") or {}
    if settings.get("default_payment_method") is not None:
        _check_default_pm(state, customer, settings["default_payment_method"])
    source = None
    if params.get("source") is not None:
        source = payment_methods.source_from_token(state, params["source"], id, "source")
    before = copy.deepcopy(customer)
    assign(customer, params, (*_PLAIN, "balance", "invoice_prefix", "next_invoice_sequence"))
    assign(customer, params, ("preferred_locales", "default_source"))
    if source is not None:
        customer["default_source"] = source["id"]
    for key, value in settings.items():
        customer["invoice_settings"][key] = value
    set_metadata(customer, params.get("metadata"))
    state.emit_update("customer.updated", customer, before)
    return customer


def delete(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    customer = _lookup(state, id)
    state.run_hooks("customer.deleted", customer)
    tombstone = state.store.delete(id)
    state.emit("customer.deleted", customer)
    return tombstone


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        c
        for c in state.store.newest_first("customer")
        if params.get("email") in (None, c["email"])
        and params.get("test_clock") in (None, c["test_clock"])
    ]
    return paginate(rows, params, "/v1/customers", "customer")


search_route = search_handler("customer", "customers", SEARCH_FIELDS)


ROUTES = [
    Route("POST", "/v1/customers", create, CREATE),
    Route("GET", "/v1/customers", list_all, LIST),
    Route("GET", "/v1/customers/search", search_route, SEARCH_PARAMS),
    Route("GET", "/v1/customers/{id}", retrieve),
    Route("POST", "/v1/customers/{id}", update, UPDATE),
    Route("DELETE", "/v1/customers/{id}", delete, DELETE),
]
