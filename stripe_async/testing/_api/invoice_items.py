"""/v1/invoiceitems, and the invoice line items built from them."""

from __future__ import annotations

import copy
from typing import Any

from .._errors import EmulatorError, invalid
from .._lists import paginate
from .._params import (
    ANY,
    BOOL,
    INT,
    LIST_PARAMS,
    METADATA,
    NONNEG,
    STR,
    STR_LIST,
    Decimal,
    Int,
    Obj,
    Str,
)
from .._router import Route
from .._state import State, assign, set_metadata
from .money import currency_param

PERIOD = Obj({"start": INT, "end": INT}, required=("start", "end"))
PRICE_DATA = Obj(
    {
        "currency": STR,
        "product": STR,
        "unit_amount": NONNEG,
        "unit_amount_decimal": Decimal(),
        "tax_behavior": Str("exclusive", "inclusive", "unspecified"),
    },
    required=("currency", "product"),
)
_FIELDS = {
    "amount": INT,
    "description": STR,
    "discountable": BOOL,
    "discounts": ANY,
    "metadata": METADATA,
    "period": PERIOD,
    "price": STR,
    "pricing": Obj({"price": STR}),
    "price_data": PRICE_DATA,
    "quantity": Int(minimum=0),
    "quantity_decimal": Decimal(),
    "tax_behavior": Str("exclusive", "inclusive", "unspecified"),
    "tax_code": STR,
    "tax_rates": STR_LIST,
    "unit_amount": INT,
    "unit_amount_decimal": Decimal(),
}
#: Documented but not simulated: Accounts v2 customers and invoicing rules.
NOT_SIMULATED = ("customer_account", "invoicing_rules")
CREATE = Obj(
    {**_FIELDS, "customer": STR, "currency": STR, "invoice": STR, "subscription": STR},
    required=("customer",),
    ignored=NOT_SIMULATED,
)
UPDATE = Obj(_FIELDS, ignored=NOT_SIMULATED)
LIST = Obj({**LIST_PARAMS, "customer": STR, "invoice": STR, "pending": BOOL}, ignored=NOT_SIMULATED)


def _quantity(params: dict[str, Any]) -> int | None:
    """`quantity`, or `quantity_decimal` when it is a whole number (fractions are not simulated)."""
    if params.get("quantity_decimal") is None:
        quantity: int | None = params.get("quantity")
        return quantity
    if params.get("quantity") is not None:
        raise invalid(
            "You may only specify one of these parameters: quantity, quantity_decimal.",
            code="parameters_exclusive",
        )
    value = float(params["quantity_decimal"])
    if value < 0 or not value.is_integer():
        raise invalid(
            "The emulator simulates whole, non-negative quantity_decimal values only.",
            param="quantity_decimal",
        )
    return int(value)


def _pricing(
    state: State, params: dict[str, Any], default_currency: str | None
) -> tuple[int, int, str, dict[str, Any] | None]:
    """(amount, quantity, currency, price_details) from whichever pricing was given."""
    quantity = _quantity(params)
    price_id = (params.get("pricing") or {}).get("price") or params.get("price")
    if params.get("amount") is not None:
        if quantity not in (None, 1):
            raise invalid(
                "You cannot pass both amount and quantity; use unit_amount with quantity.",
                param="quantity",
            )
        amount, quantity, currency, details = params["amount"], 1, params.get("currency"), None
    elif price_id is not None:
        price = state.require("price", price_id, "price", "pricing[price]")
        quantity = 1 if quantity is None else quantity
        unit = price["unit_amount"] or 0
        amount, currency = unit * quantity, price["currency"]
        details = {"price": price["id"], "product": price["product"]}
    elif params.get("price_data") is not None:
        data = params["price_data"]
        state.require("product", data["product"], "product", "price_data[product]")
        unit = data.get("unit_amount")
        if unit is None:
            unit = round(float(data.get("unit_amount_decimal") or 0))
        quantity = 1 if quantity is None else quantity
        amount, currency, details = unit * quantity, data["currency"], None
    elif params.get("unit_amount") is not None or params.get("unit_amount_decimal") is not None:
        unit = params.get("unit_amount")
        if unit is None:
            unit = round(float(params["unit_amount_decimal"]))
        quantity = 1 if quantity is None else quantity
        amount, currency, details = unit * quantity, params.get("currency"), None
    else:
        raise EmulatorError(
            400,
            "You must specify either `amount`, `pricing`, `price_data` or `unit_amount`.",
            code="parameter_missing",
            param="amount",
        )
    currency = currency or default_currency
    if currency is None:
        raise EmulatorError(
            400, "Missing required param: currency.", code="parameter_missing", param="currency"
        )
    return amount, quantity, currency_param(currency), details


def _pricing_block(details: dict[str, Any] | None, amount: int, quantity: int) -> dict[str, Any]:
    unit = amount // quantity if quantity else amount
    return {
        "price_details": details,
        "type": "price_details",
        "unit_amount_decimal": str(unit),
    }


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    customer = state.require("customer", params["customer"], "customer", "customer")
    invoice = None
    if params.get("invoice") is not None:
        invoice = state.require("invoice", params["invoice"], "invoice", "invoice")
        if invoice["status"] != "draft":
            raise invalid(
                f"Invoice {invoice['id']} is no longer a draft; items can only be added to "
                "draft invoices.",
                param="invoice",
                code="invoice_not_editable",
            )
        if invoice["customer"] != customer["id"]:
            raise invalid("The invoice belongs to another customer.", param="invoice")
    if params.get("subscription") is not None:
        state.require("subscription", params["subscription"], "subscription", "subscription")
    amount, quantity, currency, details = _pricing(
        state, params, invoice["currency"] if invoice else customer["currency"]
    )
    if invoice is not None and currency != invoice["currency"]:
        raise invalid(
            f"The currency of the item ({currency}) must match the invoice's "
            f"({invoice['currency']}).",
            param="currency",
        )
    now = state.now()
    period = params.get("period") or {"start": now, "end": now}
    item: dict[str, Any] = {
        "id": state.new_id("ii"),
        "object": "invoiceitem",
        "amount": amount,
        "currency": currency,
        "customer": customer["id"],
        "customer_account": None,
        "date": now,
        "description": params.get("description"),
        "discountable": True if params.get("discountable") is None else params["discountable"],
        "discounts": [],
        "invoice": invoice["id"] if invoice else None,
        "livemode": False,
        "metadata": {},
        "net_amount": amount,
        "parent": None
        if params.get("subscription") is None
        else {
            "subscription_details": {"subscription": params["subscription"]},
            "type": "subscription_details",
        },
        "period": {"end": period["end"], "start": period["start"]},
        "pricing": _pricing_block(details, amount, quantity),
        "proration": False,
        "quantity": quantity,
        "quantity_decimal": str(quantity),
        "tax_rates": [],
        "test_clock": None,
    }
    set_metadata(item, params.get("metadata"))
    state.store.put(item)
    state.emit("invoiceitem.created", item)
    if invoice is not None:
        from .invoices import add_item_line

        add_item_line(state, invoice, item)
    return item


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
    if params.get("period") is not None:
        item["period"] = {"end": params["period"]["end"], "start": params["period"]["start"]}
    set_metadata(item, params.get("metadata"))
    state.emit_update("invoiceitem.updated", item, before)
    if invoice is not None:
        from .invoices import refresh_item_line

        refresh_item_line(state, invoice, item)
    return item


def delete(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    item = state.require("invoiceitem", id, "invoiceitem")
    invoice = _editable(state, item)
    if invoice is not None:
        from .invoices import remove_item_line

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
