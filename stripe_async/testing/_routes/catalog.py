"""Routes of catalog: parse, call the flow, render."""

from __future__ import annotations

import copy
from typing import Any

from .._errors import invalid, missing_param, not_found
from .._flows.billing.catalog import (
    INTERVAL,
    PRODUCT_FIELDS,
    new_price,
    new_product,
    plan_view,
    price_unit_amount,
)
from .._flows.payments.money import currency_param
from .._lists import paginate
from .._modelled import Modelled
from .._params import (
    ANY,
    BOOL,
    LIST_PARAMS,
    METADATA,
    NONNEG,
    STR,
    STR_LIST,
    Decimal,
    Either,
    Int,
    Obj,
    Refused,
    Str,
)
from .._router import Route
from .._state import State, assign, set_metadata

#: Metered prices bill the usage their meter (`recurring[meter]`) recorded.
USAGE_TYPE = Str("licensed", "metered")
#: Tiered prices bill by tiers, which the emulator does not compute.
TIERED_REFUSED = Refused(Str("per_unit", "tiered"), "tiered")
RECURRING = Obj(
    {
        "interval": INTERVAL,
        "interval_count": Int(minimum=1, maximum=365),
        "usage_type": USAGE_TYPE,
        "meter": STR,
        "trial_period_days": Int(minimum=0),
        "aggregate_usage": STR,
    },
    required=("interval",),
)


PRODUCT_TYPE = Str("good", "service")
TAX_BEHAVIOR = Str("exclusive", "inclusive", "unspecified")
#: The recurring part of a price made on the fly (with a product, in Checkout).
PRICE_RECURRING = Obj(
    {"interval": INTERVAL, "interval_count": Int(minimum=1)}, required=("interval",)
)


PRODUCT_CREATE = Obj(
    {
        **PRODUCT_FIELDS,
        "id": STR,
        "type": PRODUCT_TYPE,
        "default_price_data": Obj(
            {
                "currency": STR,
                "unit_amount": NONNEG,
                "unit_amount_decimal": Decimal(),
                "recurring": PRICE_RECURRING,
                "tax_behavior": TAX_BEHAVIOR,
                "custom_unit_amount": ANY,
                "metadata": METADATA,
            },
            required=("currency",),
        ),
    },
    required=("name",),
)


PRODUCT_UPDATE = Obj({**PRODUCT_FIELDS, "default_price": STR})


PRODUCT_SEARCH_FIELDS = {
    "active": "active",
    "created": "created",
    "description": "description",
    "name": "name",
    "shippable": "shippable",
    "url": "url",
}


_PRICE_FIELDS = {
    "active": BOOL,
    "lookup_key": STR,
    "metadata": METADATA,
    "nickname": STR,
    "tax_behavior": TAX_BEHAVIOR,
    "transfer_lookup_key": BOOL,
}


#: A product made on the fly with a price or a plan.
PRODUCT_DATA = Obj(
    {
        "name": STR,
        "id": STR,
        "active": BOOL,
        "metadata": METADATA,
        "statement_descriptor": STR,
        "tax_code": STR,
        "unit_label": STR,
    },
    required=("name",),
)


PRICE_CREATE = Obj(
    {
        **_PRICE_FIELDS,
        "currency": STR,
        "product": STR,
        "product_data": PRODUCT_DATA,
        "unit_amount": NONNEG,
        "unit_amount_decimal": Decimal(),
        "custom_unit_amount": ANY,
        "recurring": RECURRING,
        "billing_scheme": TIERED_REFUSED,
        "tiers_mode": Str("graduated", "volume"),
    },
    required=("currency",),
)


PRICE_SEARCH_FIELDS = {
    "active": "active",
    "currency": "currency",
    "lookup_key": "lookup_key",
    "product": "product",
    "type": "type",
}


PLAN_CREATE = Obj(
    {
        "id": STR,
        "active": BOOL,
        "amount": NONNEG,
        "amount_decimal": Decimal(),
        "billing_scheme": TIERED_REFUSED,
        "currency": STR,
        "interval": INTERVAL,
        "interval_count": Int(minimum=1),
        "metadata": METADATA,
        "meter": STR,
        "nickname": STR,
        "product": Either(STR, PRODUCT_DATA),
        "tiers_mode": Str("graduated", "volume"),
        "trial_period_days": Int(minimum=0),
        "usage_type": USAGE_TYPE,
    },
    required=("currency", "interval", "product"),
)


PLAN_UPDATE = Obj(
    {
        "active": BOOL,
        "metadata": METADATA,
        "nickname": STR,
        "product": STR,
        "trial_period_days": Int(minimum=0),
    }
)


PLAN_LIST = Obj({**LIST_PARAMS, "active": BOOL, "product": STR})


def product_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    price_data = params.get("default_price_data")
    if price_data is not None:
        price_unit_amount(price_data, "default_price_data")
        currency_param(price_data["currency"], "default_price_data[currency]")
    product = new_product(state, params)
    if price_data is not None:
        price = new_price(state, {**price_data, "product": product["id"]})
        before = copy.deepcopy(product)
        product["default_price"] = price["id"]
        state.emit_update("product.updated", product, before)
    return product


def _check_default_price(state: State, product: dict[str, Any], params: dict[str, Any]) -> None:
    if params.get("default_price") is not None:
        price = state.require("price", params["default_price"], "price", "default_price")
        if price["product"] != product["id"]:
            raise invalid(
                f"The price {price['id']} does not belong to product {product['id']}.",
                param="default_price",
            )


def _check_no_prices(state: State, product: dict[str, Any], params: dict[str, Any]) -> None:
    if any(p["product"] == product["id"] for p in state.store.all("price")):
        raise invalid(
            "This product cannot be deleted because it has one or more user-created prices."
        )


def _in_ids(product: dict[str, Any], params: dict[str, Any]) -> bool:
    ids = params.get("ids")
    return not ids or product["id"] in ids


def price_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    currency_param(params["currency"])
    if params.get("product") is not None and params.get("product_data") is not None:
        raise invalid(
            "You may only specify one of these parameters: product, product_data.",
            code="parameters_exclusive",
        )
    price_unit_amount(params)
    if params.get("product") is not None:
        state.require("product", params["product"], "product", "product")
        product_id = params["product"]
    elif params.get("product_data") is not None:
        product_id = new_product(state, params["product_data"])["id"]
    else:
        raise missing_param("product")
    data = {k: v for k, v in params.items() if k != "product_data"}
    return new_price(state, {**data, "product": product_id})


def _move_lookup_key(state: State, price: dict[str, Any], params: dict[str, Any]) -> None:
    """A lookup key another price holds moves here only with `transfer_lookup_key`."""
    if params.get("lookup_key") is not None and params["lookup_key"] != price["lookup_key"]:
        holder = next(
            (p for p in state.store.all("price") if p["lookup_key"] == params["lookup_key"]),
            None,
        )
        if holder is not None:
            if not params.get("transfer_lookup_key"):
                raise invalid(
                    f"A price ({holder['id']}) already uses the lookup key "
                    f"'{params['lookup_key']}'; pass transfer_lookup_key=true to move it.",
                    param="lookup_key",
                )
            holder_before = copy.deepcopy(holder)
            holder["lookup_key"] = None
            state.emit_update("price.updated", holder, holder_before)


def _price_matches(price: dict[str, Any], params: dict[str, Any]) -> bool:
    keys = params.get("lookup_keys")
    recurring = params.get("recurring") or {}
    return (not keys or price["lookup_key"] in keys) and all(
        (price["recurring"] or {}).get(k) == v for k, v in recurring.items() if v
    )


def _plan_price(state: State, id: str) -> dict[str, Any]:
    price = state.store.get(id, "price")
    if price is None or price["recurring"] is None:
        raise not_found("plan", id)
    return price


def plan_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    currency_param(params["currency"])
    if params.get("id") is not None and state.store.get(params["id"]) is not None:
        raise invalid(
            f"Plan already exists: {params['id']}", param="id", code="resource_already_exists"
        )
    if (
        params.get("amount") is None
        and params.get("amount_decimal") is None
        and params.get("billing_scheme") != "tiered"
    ):
        raise missing_param("amount")
    product = params["product"]
    if isinstance(product, dict):
        product_id = new_product(state, product)["id"]
    else:
        product_id = state.require("product", product, "product", "product")["id"]
    recurring = {
        "interval": params["interval"],
        "interval_count": params.get("interval_count"),
        "usage_type": params.get("usage_type"),
        "trial_period_days": params.get("trial_period_days"),
        "meter": params.get("meter"),
    }
    price = new_price(
        state,
        {
            "currency": params["currency"],
            "product": product_id,
            "unit_amount": params.get("amount"),
            "unit_amount_decimal": params.get("amount_decimal"),
            "recurring": recurring,
            "active": params.get("active"),
            "nickname": params.get("nickname"),
            "metadata": params.get("metadata"),
            "billing_scheme": params.get("billing_scheme"),
            "tiers_mode": params.get("tiers_mode"),
            "transform_quantity": params.get("transform_usage"),
        },
        price_id=params.get("id"),
    )
    plan = plan_view(price)
    state.emit("plan.created", plan)
    return plan


def plan_retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return plan_view(_plan_price(state, id))


def plan_update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    price = _plan_price(state, id)
    if params.get("product") is not None:
        state.require("product", params["product"], "product", "product")
    before = plan_view(price)
    assign(price, params, ("active", "nickname", "product"))
    if "trial_period_days" in params:
        price["recurring"]["trial_period_days"] = params["trial_period_days"]
    set_metadata(price, params.get("metadata"))
    plan = plan_view(price)
    state.emit_update("plan.updated", plan, before)
    return plan


def plan_delete(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    plan = plan_view(_plan_price(state, id))
    state.store.delete(id)
    state.emit("plan.deleted", plan)
    return {"id": id, "object": "plan", "deleted": True}


def plan_list(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        plan_view(p)
        for p in state.store.newest_first("price")
        if p["recurring"] is not None
        and params.get("active") in (None, p["active"])
        and params.get("product") in (None, p["product"])
    ]
    return paginate(rows, params, "/v1/plans", "plan")


PRODUCTS = Modelled(
    "product",
    create=product_create,
    create_params=PRODUCT_CREATE,
    update_params=PRODUCT_UPDATE,
    check_update=_check_default_price,
    stamp="updated",
    deletable=True,
    check_delete=_check_no_prices,
    filters={"active": BOOL, "shippable": BOOL, "type": PRODUCT_TYPE, "url": STR},
    where=_in_ids,
    where_params={"ids": STR_LIST},
    search=PRODUCT_SEARCH_FIELDS,
)
PRICES = Modelled(
    "price",
    create=price_create,
    create_params=PRICE_CREATE,
    update_params=Obj(_PRICE_FIELDS),
    update_fields=("active", "lookup_key", "nickname", "tax_behavior"),
    check_update=_move_lookup_key,
    filters={
        "active": BOOL,
        "currency": STR,
        "product": STR,
        "type": Str("one_time", "recurring"),
    },
    where=_price_matches,
    where_params={
        "lookup_keys": STR_LIST,
        "recurring": Obj({"interval": INTERVAL, "usage_type": STR, "meter": STR}),
    },
    search=PRICE_SEARCH_FIELDS,
)
ROUTES = [
    *PRODUCTS.routes(),
    *PRICES.routes(),
    Route("POST", "/v1/plans", plan_create, PLAN_CREATE),
    Route("GET", "/v1/plans", plan_list, PLAN_LIST),
    Route("GET", "/v1/plans/{id}", plan_retrieve),
    Route("POST", "/v1/plans/{id}", plan_update, PLAN_UPDATE),
    Route("DELETE", "/v1/plans/{id}", plan_delete),
]
