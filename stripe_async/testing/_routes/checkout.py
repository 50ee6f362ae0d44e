"""/v1/checkout/sessions, and the emulator's own route that completes one."""

from __future__ import annotations

from typing import Any

from .._flows.checkout.sessions import complete, create_session, expire_session, line_items_of
from .._lists import paginate
from .._modelled import Modelled
from .._params import (
    ANY,
    AUTOMATIC_TAX,
    BOOL,
    DISCOUNTS,
    INT,
    LIST_PARAMS,
    METADATA,
    NONNEG,
    STR,
    STR_LIST,
    Decimal,
    Int,
    ListOf,
    Obj,
    Str,
)
from .._router import Route
from .._state import State
from .catalog import PRICE_RECURRING, TAX_BEHAVIOR

PRICE_DATA = Obj(
    {
        "currency": STR,
        "product": STR,
        "product_data": Obj(
            {"name": STR, "description": STR, "images": STR_LIST, "metadata": METADATA},
            required=("name",),
            unsupported=("tax_code", "unit_label"),
        ),
        "recurring": PRICE_RECURRING,
        "tax_behavior": TAX_BEHAVIOR,
        "unit_amount": NONNEG,
        "unit_amount_decimal": Decimal(),
    },
    required=("currency",),
)
LINE_ITEM = Obj(
    {
        "adjustable_quantity": ANY,
        "metadata": METADATA,
        "price": STR,
        "price_data": PRICE_DATA,
        "quantity": Int(minimum=1),
    },
    unsupported=("dynamic_tax_rates", "tax_rates"),
)
SUBSCRIPTION_DATA = Obj(
    {
        "description": STR,
        "metadata": METADATA,
        "trial_end": INT,
        "trial_period_days": Int(minimum=1, maximum=730),
        "trial_settings": ANY,
    },
    unsupported=(
        "application_fee_percent",
        "billing_cycle_anchor",
        "billing_cycle_anchor_config",
        "billing_mode",
        "default_tax_rates",
        "invoice_settings",
        "on_behalf_of",
        "pending_invoice_item_interval",
        "proration_behavior",
        "transfer_data",
    ),
)
CREATE = Obj(
    {
        "allow_promotion_codes": BOOL,
        "automatic_tax": AUTOMATIC_TAX,
        "billing_address_collection": Str("auto", "required"),
        "cancel_url": STR,
        "client_reference_id": Str(max_length=200),
        "currency": STR,
        "customer": STR,
        "customer_creation": Str("always", "if_required"),
        "customer_email": STR,
        "discounts": DISCOUNTS,
        "expires_at": INT,
        "line_items": ListOf(LINE_ITEM),
        "locale": STR,
        "metadata": METADATA,
        "mode": Str("payment", "setup", "subscription"),
        "payment_intent_data": Obj(
            {
                "capture_method": Str("automatic", "automatic_async", "manual"),
                "description": STR,
                "metadata": METADATA,
                "setup_future_usage": Str("off_session", "on_session"),
            },
            unsupported=(
                "application_fee_amount",
                "on_behalf_of",
                "receipt_email",
                "shipping",
                "statement_descriptor",
                "statement_descriptor_suffix",
                "transfer_data",
                "transfer_group",
            ),
        ),
        "payment_method_collection": Str("always", "if_required"),
        "payment_method_types": STR_LIST,
        "allowed_payment_method_types": STR_LIST,
        "redirect_on_completion": Str("always", "if_required", "never"),
        "return_url": STR,
        "setup_intent_data": Obj(
            {"description": STR, "metadata": METADATA}, unsupported=("on_behalf_of",)
        ),
        "submit_type": Str("auto", "book", "donate", "pay", "subscribe"),
        "subscription_data": SUBSCRIPTION_DATA,
        "success_url": STR,
        "ui_mode": Str("hosted_page", "embedded_page", "elements", "form", "hosted", "embedded"),
    },
    required=("mode",),
)
UPDATE = Obj(
    {"metadata": METADATA},
)
COMPLETE = Obj(
    {
        "payment_method": STR,
        "email": STR,
        "name": STR,
        "promotion_code": STR,
        "three_d_secure": Str("pass", "fail"),
    }
)


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("allowed_payment_method_types"):
        params["payment_method_types"] = params.pop("allowed_payment_method_types")
    return create_session(state, params)


def _of_email(session: dict[str, Any], params: dict[str, Any]) -> bool:
    email = (params.get("customer_details") or {}).get("email")
    return email in (None, (session["customer_details"] or {}).get("email"))


def line_items(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    session = SESSIONS.find(state, id)
    return paginate(
        line_items_of(state, session), params, f"/v1/checkout/sessions/{id}/line_items", "item"
    )


def expire(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return expire_session(state, SESSIONS.find(state, id))


def complete_route(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return complete(
        state,
        SESSIONS.find(state, id),
        payment_method=params.get("payment_method") or "pm_card_visa",
        email=params.get("email"),
        name=params.get("name"),
        promotion_code=params.get("promotion_code"),
        three_d_secure=params.get("three_d_secure") != "fail",
    )


SESSIONS = Modelled(
    "checkout.session",
    "/v1/checkout/sessions",
    create=create,
    create_params=CREATE,
    update_params=UPDATE,
    emits=(),
    filters={
        "customer": STR,
        "payment_intent": STR,
        "subscription": STR,
        "status": Str("complete", "expired", "open"),
        "payment_link": STR,
    },
    where=_of_email,
    where_params={"customer_details": Obj({"email": STR})},
)
ROUTES = [
    *SESSIONS.routes(),
    Route("GET", "/v1/checkout/sessions/{id}/line_items", line_items, Obj(LIST_PARAMS)),
    Route("POST", "/v1/checkout/sessions/{id}/expire", expire),
    Route("POST", "/_emulator/checkout/sessions/{id}/complete", complete_route, COMPLETE),
]
