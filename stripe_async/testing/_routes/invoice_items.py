"""Routes of invoice items: parse, call the flow, render."""

from __future__ import annotations

import copy
from typing import Any

from .._errors import invalid
from .._flows.billing import tax
from .._flows.billing.invoice_items import (
    PRICE_DATA,
    _pricing,
    _pricing_block,
    create,
)
from .._flows.billing.invoices import refresh_item_line, remove_item_line
from .._lists import paginate
from .._params import (
    BOOL,
    INT,
    LIST_PARAMS,
    METADATA,
    STR,
    Decimal,
    Int,
    ListOf,
    Obj,
)
from .._router import Route
from .._state import State, assign, set_metadata

PERIOD = Obj({"start": INT, "end": INT}, required=("start", "end"))


_FIELDS = {
    "amount": INT,
    "description": STR,
    "discountable": BOOL,
    "metadata": METADATA,
    "period": PERIOD,
    "price": STR,
    "pricing": Obj({"price": STR}),
    "price_data": PRICE_DATA,
    "quantity": Int(minimum=0),
    "quantity_decimal": Decimal(),
    "unit_amount": INT,
    "unit_amount_decimal": Decimal(),
    "tax_rates": ListOf(STR),
}


CREATE = Obj(
    {**_FIELDS, "customer": STR, "currency": STR, "invoice": STR, "subscription": STR},
    required=("customer",),
)


UPDATE = Obj(_FIELDS)


LIST = Obj({**LIST_PARAMS, "customer": STR, "invoice": STR, "pending": BOOL})


def _editable(state: State, item: dict[str, Any]) -> dict[str, Any] | None:
    invoice = state.store.get(item["invoice"] or "", "invoice")
    if invoice is not None and invoice["status"] != "draft":
        raise invalid(
            f"Invoice item {item['id']} belongs to invoice {invoice['id']}, which is no longer "
            "a draft.",
            code="invoice_not_editable",
        )
    return invoice


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return state.require("invoiceitem", id, "invoiceitem")


def update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    item = state.require("invoiceitem", id, "invoiceitem")
    invoice = _editable(state, item)
    before = copy.deepcopy(item)
    pricing_keys = {
        "amount",
        "price",
        "pricing",
        "price_data",
        "quantity",
        "quantity_decimal",
        "unit_amount",
        "unit_amount_decimal",
    }
    if pricing_keys & set(params):
        merged = dict(params)
        if not (
            {"amount", "price", "pricing", "price_data", "unit_amount", "unit_amount_decimal"}
            & set(params)
        ):
            merged["unit_amount_decimal"] = item["pricing"]["unit_amount_decimal"]
        amount, quantity, currency, details = _pricing(state, merged, item["currency"])
        item.update(
            amount=amount,
            net_amount=amount,
            quantity=quantity,
            quantity_decimal=str(quantity),
            currency=currency,
        )
        item["pricing"] = _pricing_block(details, amount, quantity)
    assign(item, params, ("description", "discountable"))
    if "tax_rates" in params:
        item["tax_rates"] = tax.resolve(state, params["tax_rates"], "tax_rates")
    if params.get("period") is not None:
        item["period"] = {"end": params["period"]["end"], "start": params["period"]["start"]}
    set_metadata(item, params.get("metadata"))
    state.emit_update("invoiceitem.updated", item, before)
    if invoice is not None:
        refresh_item_line(state, invoice, item)
    return item


def delete(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    item = state.require("invoiceitem", id, "invoiceitem")
    invoice = _editable(state, item)
    if invoice is not None:
        remove_item_line(state, invoice, item)
    tombstone = state.store.delete(id)
    state.emit("invoiceitem.deleted", item)
    return tombstone


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    pending = params.get("pending")
    rows = [
        i
        for i in state.store.newest_first("invoiceitem")
        if params.get("customer") in (None, i["customer"])
        and params.get("invoice") in (None, i["invoice"])
        and (pending is None or pending == (i["invoice"] is None))
    ]
    return paginate(rows, params, "/v1/invoiceitems", "invoiceitem")


ROUTES = [
    Route("POST", "/v1/invoiceitems", create, CREATE),
    Route("GET", "/v1/invoiceitems", list_all, LIST),
    Route("GET", "/v1/invoiceitems/{id}", retrieve),
    Route("POST", "/v1/invoiceitems/{id}", update, UPDATE),
    Route("DELETE", "/v1/invoiceitems/{id}", delete),
]
