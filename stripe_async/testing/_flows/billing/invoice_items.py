"""/v1/invoiceitems, and the invoice line items built from them."""

from __future__ import annotations

from typing import Any

from ..._errors import EmulatorError, invalid
from ..._params import (
    NONNEG,
    STR,
    Decimal,
    Obj,
    Str,
)
from ..._state import State, set_metadata
from ..payments.money import currency_param
from . import tax
from .invoices import add_item_line

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


def pricing(
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


def pricing_block(details: dict[str, Any] | None, amount: int, quantity: int) -> dict[str, Any]:
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
    amount, quantity, currency, details = pricing(
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
        "pricing": pricing_block(details, amount, quantity),
        "proration": False,
        "quantity": quantity,
        "quantity_decimal": str(quantity),
        "tax_rates": tax.resolve(state, params.get("tax_rates"), "tax_rates"),
        "test_clock": state.test_clock,
    }
    set_metadata(item, params.get("metadata"))
    state.store.put(item)
    state.emit("invoiceitem.created", item)
    if invoice is not None:
        add_item_line(state, invoice, item)
    return item
