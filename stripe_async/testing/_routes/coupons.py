"""/v1/coupons and /v1/promotion_codes."""

from __future__ import annotations

import re
from typing import Any

from .._errors import invalid
from .._flows.billing.discounts import check_coupon_params, refresh_coupon
from .._flows.payments.money import currency_param
from .._modelled import Modelled
from .._params import ANY, BOOL, INT, METADATA, STR, Decimal, Int, Obj, Str
from .._state import State, set_metadata

COUPON_CREATE = Obj(
    {
        "id": STR,
        "amount_off": Int(minimum=1),
        "applies_to": Obj({"products": ANY}),
        "currency": STR,
        "duration": Str("forever", "once", "repeating"),
        "duration_in_months": Int(minimum=1),
        "max_redemptions": Int(minimum=1),
        "metadata": METADATA,
        "name": Str(max_length=40),
        "percent_off": Decimal(),
        "redeem_by": INT,
    }
)
RESTRICTIONS = Obj(
    {
        "first_time_transaction": BOOL,
        "minimum_amount": Int(minimum=0),
        "minimum_amount_currency": STR,
    }
)
PROMO_CREATE = Obj(
    {
        "active": BOOL,
        "code": Str(max_length=500),
        "coupon": STR,
        "customer": STR,
        "expires_at": INT,
        "max_redemptions": Int(minimum=1),
        "metadata": METADATA,
        "promotion": Obj({"coupon": STR, "type": Str("coupon")}, required=("type",)),
        "restrictions": RESTRICTIONS,
    },
)
_CODE = re.compile(r"^[A-Za-z0-9_-]+$")


def coupon_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    check_coupon_params(params)
    coupon_id = params.get("id") or state.ids.token(8)
    if state.store.get(coupon_id) is not None:
        raise invalid("Coupon already exists.", param="id", code="resource_already_exists")
    percent = params.get("percent_off")
    products = (params.get("applies_to") or {}).get("products")
    coupon: dict[str, Any] = {
        "id": coupon_id,
        "object": "coupon",
        "amount_off": params.get("amount_off"),
        "applies_to": {"products": list(products)} if products else None,
        "created": state.now(),
        "currency": currency_param(params["currency"]) if params.get("currency") else None,
        "duration": params.get("duration") or "once",
        "duration_in_months": params.get("duration_in_months"),
        "livemode": False,
        "max_redemptions": params.get("max_redemptions"),
        "metadata": {},
        "name": params.get("name"),
        "percent_off": float(percent) if percent is not None else None,
        "redeem_by": params.get("redeem_by"),
        "times_redeemed": 0,
        "valid": True,
    }
    set_metadata(coupon, params.get("metadata"))
    state.store.put(refresh_coupon(state, coupon))
    state.emit("coupon.created", coupon)
    return coupon


def _restrictions(params: dict[str, Any]) -> dict[str, Any]:
    given = params.get("restrictions") or {}
    minimum = given.get("minimum_amount")
    if minimum is not None and not given.get("minimum_amount_currency"):
        raise invalid(
            "You must pass minimum_amount_currency when passing minimum_amount.",
            param="restrictions[minimum_amount_currency]",
        )
    currency = given.get("minimum_amount_currency")
    return {
        "currency_options": {},
        "first_time_transaction": bool(given.get("first_time_transaction")),
        "minimum_amount": minimum,
        "minimum_amount_currency": currency_param(currency) if currency else None,
    }


def promo_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    coupon_id = (params.get("promotion") or {}).get("coupon") or params.get("coupon")
    if coupon_id is None:
        raise invalid("Missing required param: promotion[coupon].", param="promotion[coupon]")
    coupon = COUPONS.find(state, coupon_id)
    if params.get("customer") is not None:
        state.require("customer", params["customer"], "customer", "customer")
    code = params.get("code") or state.ids.token(8).upper()
    if not _CODE.match(code):
        raise invalid(
            "Promotion codes may only contain letters, digits, dashes and underscores.",
            param="code",
        )
    taken = any(
        p["code"].lower() == code.lower() and p["active"] for p in state.store.all("promotion_code")
    )
    if taken:
        raise invalid(f"An active promotion code with `code: {code}` already exists.", param="code")
    promo: dict[str, Any] = {
        "id": state.new_id("promo"),
        "object": "promotion_code",
        "active": params.get("active", True) is not False,
        "code": code,
        "created": state.now(),
        "customer": params.get("customer"),
        "customer_account": None,
        "expires_at": params.get("expires_at"),
        "livemode": False,
        "max_redemptions": params.get("max_redemptions"),
        "metadata": {},
        "promotion": {"coupon": coupon["id"], "type": "coupon"},
        "restrictions": _restrictions(params),
        "times_redeemed": 0,
    }
    set_metadata(promo, params.get("metadata"))
    state.store.put(promo)
    state.emit("promotion_code.created", promo)
    return promo


def _set_active(state: State, promo: dict[str, Any], params: dict[str, Any]) -> None:
    if params.get("active") is not None:
        promo["active"] = params["active"]


def _of_coupon(promo: dict[str, Any], params: dict[str, Any]) -> bool:
    return params.get("coupon") in (None, promo["promotion"]["coupon"])


COUPONS = Modelled(
    "coupon",
    create=coupon_create,
    create_params=COUPON_CREATE,
    view=refresh_coupon,
    update_params=Obj({"metadata": METADATA, "name": Str(max_length=40)}),
    deletable=True,
)
PROMOTION_CODES = Modelled(
    "promotion_code",
    create=promo_create,
    create_params=PROMO_CREATE,
    update_params=Obj({"active": BOOL, "metadata": METADATA}),
    update_fields=(),
    apply_update=_set_active,
    filters={"active": BOOL, "code": STR, "customer": STR},
    where=_of_coupon,
    where_params={"coupon": STR},
)
ROUTES = [*COUPONS.routes(), *PROMOTION_CODES.routes()]
