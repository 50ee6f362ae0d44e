"""/v1/customers (with search)."""

from __future__ import annotations

import copy
from typing import Any

from .._errors import invalid, not_found
from .._flows.payments import payment_methods
from .._lists import paginate
from .._params import (
    ADDRESS,
    ANY,
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
    "tax": ANY,
    "test_clock": STR,
}


NOT_SIMULATED = ("cash_balance", "validate")


CREATE = Obj({**_FIELDS, "payment_method": STR, "tax_id_data": ANY}, ignored=NOT_SIMULATED)


UPDATE = Obj({**_FIELDS, "default_source": STR}, ignored=NOT_SIMULATED)


LIST = Obj({**LIST_PARAMS, "email": STR, "test_clock": STR})


DELETE = Obj()


SEARCH_FIELDS = {"created": "created", "email": "email", "name": "name", "phone": "phone"}


_PLAIN = (
    "address",
    "business_name",
    "description",
    "email",
    "individual_name",
    "name",
    "phone",
    "shipping",
    "tax_exempt",
)


def _lookup(state: State, id: str) -> dict[str, Any]:
    customer = state.store.get(id, "customer")
    if customer is None:
        raise not_found("customer", id)
    return customer


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    invoice_settings = params.get("invoice_settings") or {}
    customer: dict[str, Any] = {
        "id": state.new_id("cus"),
        "object": "customer",
        "address": None,
        "balance": params.get("balance") or 0,
        "business_name": None,
        "created": state.now(),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": None,
        "individual_name": None,
        "invoice_prefix": params.get("invoice_prefix") or state.ids.token(8).upper(),
        "invoice_settings": {
            "custom_fields": invoice_settings.get("custom_fields"),
            "default_payment_method": None,
            "footer": invoice_settings.get("footer"),
            "rendering_options": invoice_settings.get("rendering_options"),
        },
        "livemode": False,
        "metadata": {},
        "name": None,
        "next_invoice_sequence": params.get("next_invoice_sequence") or 1,
        "phone": None,
        "preferred_locales": params.get("preferred_locales") or [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": params.get("test_clock"),
    }
    assign(customer, params, _PLAIN)
    set_metadata(customer, params.get("metadata"))
    # Check everything that can fail (a declined card fails the whole call, as on
    # Stripe) before the customer exists.
    pm = None
    if params.get("payment_method") is not None:
        pm = payment_methods.resolve(state, params["payment_method"], "payment_method")
        payment_methods.check_attachable(state, pm, customer["id"])
    default_pm = invoice_settings.get("default_payment_method")
    if default_pm is not None:
        if pm is not None and default_pm in (params["payment_method"], pm["id"]):
            default_pm = pm["id"]
        else:
            raise _not_attached(default_pm)
    source = None
    if params.get("source") is not None:
        source = payment_methods.source_from_token(state, params["source"], None, "source")
        payment_methods.check_attachable(state, source, customer["id"], param="source")
        source["customer"] = customer["id"]
        customer["default_source"] = source["id"]
    customer["invoice_settings"]["default_payment_method"] = default_pm
    state.store.put(customer)
    state.emit("customer.created", customer)
    if pm is not None:
        payment_methods.attach(state, pm, customer)
    return customer


def _not_attached(pm_id: str) -> Exception:
    return invalid(
        f"No such PaymentMethod: '{pm_id}'; the payment method must be attached to the "
        "customer before it can be its default.",
        param="invoice_settings[default_payment_method]",
        code="resource_missing",
    )


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
