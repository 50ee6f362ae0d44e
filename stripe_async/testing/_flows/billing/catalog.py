"""/v1/products, /v1/prices and /v1/plans (a plan is a recurring price by another name)."""

from __future__ import annotations

import copy
from typing import Any

from ..._errors import EmulatorError, invalid
from ..._params import (
    ANY,
    BOOL,
    METADATA,
    STR,
    STR_LIST,
    Str,
)
from ..._state import State, assign, set_metadata
from ..payments.money import currency_param
from . import usage

INTERVAL = Str("day", "week", "month", "year")
PRODUCT_FIELDS = {
    "active": BOOL,
    "description": STR,
    "images": STR_LIST,
    "marketing_features": ANY,
    "metadata": METADATA,
    "name": STR,
    "package_dimensions": ANY,
    "shippable": BOOL,
    "statement_descriptor": Str(max_length=22),
    "tax_code": STR,
    "unit_label": STR,
    "url": STR,
}


# --- products -----------------------------------------------------------------


def new_product(state: State, params: dict[str, Any]) -> dict[str, Any]:
    product_id = params.get("id") or state.new_id("prod")
    if state.store.get(product_id) is not None:
        raise invalid(
            f"Product already exists: {product_id}", param="id", code="resource_already_exists"
        )
    now = state.now()
    product: dict[str, Any] = {
        "id": product_id,
        "object": "product",
        "active": True,
        "created": now,
        "default_price": None,
        "description": None,
        "images": [],
        "livemode": False,
        "marketing_features": [],
        "metadata": {},
        "name": params["name"],
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "type": params.get("type") or "service",
        "unit_label": None,
        "updated": now,
        "url": None,
    }
    fields = [k for k in PRODUCT_FIELDS if k != "metadata" and params.get(k) is not None]
    assign(product, params, tuple(fields))
    set_metadata(product, params.get("metadata"))
    state.store.put(product)
    state.emit("product.created", product)
    return product


# --- prices -------------------------------------------------------------------


def price_unit_amount(params: dict[str, Any], prefix: str = "") -> int | None:
    if params.get("unit_amount") is not None:
        return int(params["unit_amount"])
    if params.get("unit_amount_decimal") is not None:
        return round(float(params["unit_amount_decimal"]))
    if params.get("custom_unit_amount") is not None or params.get("billing_scheme") == "tiered":
        return None
    param = f"{prefix}[unit_amount]" if prefix else "unit_amount"
    raise EmulatorError(
        400,
        "You must pass either unit_amount, unit_amount_decimal, or custom_unit_amount.",
        code="parameter_missing",
        param=param,
    )


def new_price(state: State, params: dict[str, Any], price_id: str | None = None) -> dict[str, Any]:
    """Store a price for an existing product; emit price.created."""
    unit_amount = price_unit_amount(params)
    recurring = params.get("recurring")
    usage.check_meter(state, recurring, "recurring[meter]")
    lookup_key = params.get("lookup_key")
    if lookup_key is not None:
        holder = next((p for p in state.store.all("price") if p["lookup_key"] == lookup_key), None)
        if holder is not None:
            if not params.get("transfer_lookup_key"):
                raise invalid(
                    f"A price ({holder['id']}) already uses the lookup key '{lookup_key}'; pass "
                    "transfer_lookup_key=true to move it.",
                    param="lookup_key",
                )
            before = copy.deepcopy(holder)
            holder["lookup_key"] = None
            state.emit_update("price.updated", holder, before)
    price: dict[str, Any] = {
        "id": price_id or state.new_id("price"),
        "object": "price",
        "active": True if params.get("active") is None else params["active"],
        "billing_scheme": params.get("billing_scheme") or "per_unit",
        "created": state.now(),
        "currency": currency_param(params["currency"]),
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": lookup_key,
        "metadata": {},
        "nickname": params.get("nickname"),
        "product": params["product"],
        "recurring": None
        if recurring is None
        else {
            "interval": recurring["interval"],
            "interval_count": recurring.get("interval_count") or 1,
            "meter": recurring.get("meter"),
            "trial_period_days": recurring.get("trial_period_days"),
            "usage_type": recurring.get("usage_type") or "licensed",
        },
        "tax_behavior": params.get("tax_behavior") or "unspecified",
        "tiers_mode": params.get("tiers_mode"),
        "transform_quantity": params.get("transform_quantity"),
        "type": "one_time" if recurring is None else "recurring",
        "unit_amount": unit_amount,
        "unit_amount_decimal": (
            params.get("unit_amount_decimal") or (None if unit_amount is None else str(unit_amount))
        ),
    }
    custom = params.get("custom_unit_amount")
    if isinstance(custom, dict):
        price["custom_unit_amount"] = {
            "maximum": _int_or_none(custom.get("maximum")),
            "minimum": _int_or_none(custom.get("minimum")),
            "preset": _int_or_none(custom.get("preset")),
        }
    set_metadata(price, params.get("metadata"))
    state.store.put(price)
    state.emit("price.created", price)
    return price


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


# --- plans --------------------------------------------------------------------


def plan_view(price: dict[str, Any]) -> dict[str, Any]:
    """The plan-shaped view of a recurring price (same id)."""
    recurring = price["recurring"] or {}
    return {
        "id": price["id"],
        "object": "plan",
        "active": price["active"],
        "amount": price["unit_amount"],
        "amount_decimal": price["unit_amount_decimal"],
        "billing_scheme": price["billing_scheme"],
        "created": price["created"],
        "currency": price["currency"],
        "interval": recurring.get("interval"),
        "interval_count": recurring.get("interval_count"),
        "livemode": False,
        "metadata": copy.deepcopy(price["metadata"]),
        "meter": recurring.get("meter"),
        "nickname": price["nickname"],
        "product": price["product"],
        "tiers_mode": price["tiers_mode"],
        "transform_usage": price["transform_quantity"],
        "trial_period_days": recurring.get("trial_period_days"),
        "usage_type": recurring.get("usage_type"),
    }
