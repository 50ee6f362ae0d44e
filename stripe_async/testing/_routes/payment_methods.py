"""Routes of payment methods: parse, call the flow, render."""

from __future__ import annotations

from typing import Any

from .._cards import BY_NUMBER, card_for_token
from .._errors import EmulatorError, invalid, missing_param, not_found
from .._flows.payments.payment_methods import (
    apply_update,
    attach,
    detach,
    new_payment_method,
    resolve,
)
from .._lists import paginate
from .._modelled import Modelled
from .._params import ADDRESS, INT, LIST_PARAMS, METADATA, STR, Obj, Str
from .._router import Route
from .._state import State

BILLING_DETAILS = Obj({"address": ADDRESS, "email": STR, "name": STR, "phone": STR, "tax_id": STR})


CARD_INPUT = Obj(
    {
        "token": STR,
        "number": STR,
        "exp_month": INT,
        "exp_year": INT,
        "cvc": STR,
        "networks": Obj({"preferred": STR}),
    }
)


REDISPLAY = Str("always", "limited", "unspecified")


CREATE = Obj(
    {
        "type": Str("card"),
        "card": CARD_INPUT,
        "billing_details": BILLING_DETAILS,
        "metadata": METADATA,
        "allow_redisplay": REDISPLAY,
        "customer": STR,
        "payment_method": STR,
    },
)


UPDATE = Obj(
    {
        "billing_details": BILLING_DETAILS,
        "metadata": METADATA,
        "allow_redisplay": REDISPLAY,
        "card": Obj({"exp_month": INT, "exp_year": INT, "networks": Obj({"preferred": STR})}),
    },
)


CUSTOMER_LIST = Obj({**LIST_PARAMS, "type": STR, "allow_redisplay": REDISPLAY})


ATTACH = Obj({"customer": STR}, required=("customer",))


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("payment_method") is not None:
        raise invalid(
            "Cloning PaymentMethods needs Connect, which the emulator does not offer.",
            param="payment_method",
        )
    if params.get("type") is None:
        raise missing_param("type")
    given = params.get("card") or {}
    if given.get("token") is not None:
        card = card_for_token(given["token"])
        if card is None:
            raise not_found("token", given["token"], param="card[token]")
    elif given.get("number") is not None:
        card = BY_NUMBER.get(given["number"].replace(" ", ""))
        if card is None:
            raise EmulatorError(
                402,
                "Your card number is incorrect. The emulator knows Stripe's test card numbers "
                "only (such as 4242424242424242).",
                type="card_error",
                code="incorrect_number",
                param="card[number]",
            )
    else:
        raise missing_param("card")
    pm = new_payment_method(
        state,
        card,
        billing_details=params.get("billing_details"),
        metadata=params.get("metadata"),
        exp=(given.get("exp_month"), given.get("exp_year")),
    )
    if params.get("allow_redisplay"):
        pm["allow_redisplay"] = params["allow_redisplay"]
    if params.get("customer") is not None:
        attach(state, pm, state.require("customer", params["customer"], "customer", "customer"))
    return pm


def _listed(pm: dict[str, Any], params: dict[str, Any]) -> bool:
    """Whether a payment method passes the list filters (`type`, `allow_redisplay`)."""
    return all(params.get(name) in (None, pm[name]) for name in ("type", "allow_redisplay"))


def attach_route(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    customer = state.require("customer", params["customer"], "customer", "customer")
    return attach(state, resolve(state, id, param="id"), customer)


def detach_route(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return detach(state, PAYMENT_METHODS.find(state, id))


def customer_list(state: State, params: dict[str, Any], customer: str) -> dict[str, Any]:
    state.require("customer", customer, "customer")
    rows = [
        pm
        for pm in state.store.newest_first("payment_method")
        if pm["customer"] == customer and _listed(pm, params)
    ]
    return paginate(rows, params, f"/v1/customers/{customer}/payment_methods", "payment method")


def customer_retrieve(
    state: State, params: dict[str, Any], customer: str, id: str
) -> dict[str, Any]:
    state.require("customer", customer, "customer")
    pm = state.store.get(id, "payment_method")
    if pm is None or pm["customer"] != customer:
        raise not_found("PaymentMethod", id)
    return pm


PAYMENT_METHODS = Modelled(
    "payment_method",
    label="PaymentMethod",
    create=create,
    create_params=CREATE,
    publishable_create=True,
    load=lambda state, id: resolve(state, id, param="id"),
    update_params=UPDATE,
    update_fields=("allow_redisplay",),
    apply_update=apply_update,
    filters={"customer": STR, "type": STR, "allow_redisplay": REDISPLAY},
    list_label="payment method",
)
ROUTES = [
    *PAYMENT_METHODS.routes(),
    Route("POST", "/v1/payment_methods/{id}/attach", attach_route, ATTACH),
    Route("POST", "/v1/payment_methods/{id}/detach", detach_route),
    Route("GET", "/v1/customers/{customer}/payment_methods", customer_list, CUSTOMER_LIST),
    Route("GET", "/v1/customers/{customer}/payment_methods/{id}", customer_retrieve),
]
