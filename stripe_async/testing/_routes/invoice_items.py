"""Routes of invoice items: parse, call the flow, render."""

from __future__ import annotations

from typing import Any

from .._errors import invalid
from .._flows.billing import tax
from .._flows.billing.invoice_items import (
    PRICE_DATA,
    create,
    pricing,
    pricing_block,
)
from .._flows.billing.invoices import refresh_item_line, remove_item_line
from .._modelled import Modelled
from .._params import (
    BOOL,
    INT,
    METADATA,
    STR,
    Decimal,
    Int,
    ListOf,
    Obj,
)
from .._state import State

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


_PRICING_KEYS = {
    "amount",
    "price",
    "pricing",
    "price_data",
    "quantity",
    "quantity_decimal",
    "unit_amount",
    "unit_amount_decimal",
}


def _editable(state: State, item: dict[str, Any]) -> dict[str, Any] | None:
    invoice = state.store.get(item["invoice"] or "", "invoice")
    if invoice is not None and invoice["status"] != "draft":
        raise invalid(
            f"Invoice item {item['id']} belongs to invoice {invoice['id']}, which is no longer "
            "a draft.",
            code="invoice_not_editable",
        )
    return invoice


def _check_editable(state: State, item: dict[str, Any], params: dict[str, Any]) -> None:
    _editable(state, item)


def _apply(state: State, item: dict[str, Any], params: dict[str, Any]) -> None:
    if _PRICING_KEYS & set(params):
        merged = dict(params)
        if not (
            {"amount", "price", "pricing", "price_data", "unit_amount", "unit_amount_decimal"}
            & set(params)
        ):
            merged["unit_amount_decimal"] = item["pricing"]["unit_amount_decimal"]
        amount, quantity, currency, details = pricing(state, merged, item["currency"])
        item.update(
            amount=amount,
            net_amount=amount,
            quantity=quantity,
            quantity_decimal=str(quantity),
            currency=currency,
        )
        item["pricing"] = pricing_block(details, amount, quantity)
    if "tax_rates" in params:
        item["tax_rates"] = tax.resolve(state, params["tax_rates"], "tax_rates")
    if params.get("period") is not None:
        item["period"] = {"end": params["period"]["end"], "start": params["period"]["start"]}


def _refresh_line(state: State, item: dict[str, Any], params: dict[str, Any]) -> None:
    # The draft invoice's line shows the item as it is now.
    invoice = _editable(state, item)
    if invoice is not None:
        refresh_item_line(state, invoice, item)


def _drop_line(state: State, item: dict[str, Any], params: dict[str, Any]) -> None:
    invoice = _editable(state, item)
    if invoice is not None:
        remove_item_line(state, invoice, item)


def _pending(item: dict[str, Any], params: dict[str, Any]) -> bool:
    pending = params.get("pending")
    return pending is None or pending == (item["invoice"] is None)


INVOICE_ITEMS = Modelled(
    "invoiceitem",
    path="/v1/invoiceitems",
    create=create,
    create_params=CREATE,
    update_params=Obj(_FIELDS),
    update_fields=("description", "discountable"),
    check_update=_check_editable,
    apply_update=_apply,
    after_update=_refresh_line,
    deletable=True,
    check_delete=_drop_line,
    filters={"customer": STR, "invoice": STR},
    where=_pending,
    where_params={"pending": BOOL},
)
ROUTES = INVOICE_ITEMS.routes()
