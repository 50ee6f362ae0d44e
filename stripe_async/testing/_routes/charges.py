"""Routes of charges: parse, call the flow, render."""

from __future__ import annotations

from typing import Any

from .._cards import card_error
from .._errors import invalid, missing_param
from .._flows.payments import payment_methods
from .._flows.payments.charges import (
    capture_charge,
    new_charge,
)
from .._flows.payments.money import check_amount, currency_param
from .._flows.payments.payment_intents import capture_intent
from .._lists import paginate
from .._modelled import Modelled
from .._params import (
    ANY,
    BOOL,
    LIST_PARAMS,
    METADATA,
    SHIPPING,
    STR,
    Int,
    Obj,
)
from .._router import Route
from .._state import State, assign

CREATE = Obj(
    {
        "amount": Int(minimum=1),
        "currency": STR,
        "customer": STR,
        "source": STR,
        "capture": BOOL,
        "description": STR,
        "metadata": METADATA,
        "receipt_email": STR,
        "shipping": SHIPPING,
        "statement_descriptor": STR,
        "statement_descriptor_suffix": STR,
        "transfer_group": STR,
        "radar_options": ANY,
    },
    required=("amount", "currency"),
)


UPDATE = Obj(
    {
        "customer": STR,
        "description": STR,
        "fraud_details": ANY,
        "metadata": METADATA,
        "receipt_email": STR,
        "shipping": SHIPPING,
        "transfer_group": STR,
    }
)


CAPTURE = Obj(
    {
        "amount": Int(minimum=1),
        "receipt_email": STR,
        "statement_descriptor": STR,
        "statement_descriptor_suffix": STR,
    },
)


SEARCH_FIELDS = {
    "amount": "amount",
    "billing_details.address.postal_code": "billing_details.address.postal_code",
    "created": "created",
    "currency": "currency",
    "customer": "customer",
    "disputed": "disputed",
    "payment_intent": "payment_intent",
    "payment_method_details.card.last4": "payment_method_details.card.last4",
    "refunded": "refunded",
    "status": "status",
}


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    currency = currency_param(params["currency"])
    check_amount(params["amount"], currency)
    customer = None
    if params.get("customer") is not None:
        customer = state.require("customer", params["customer"], "customer", "customer")
    if params.get("source") is not None:
        source = payment_methods.source_from_token(state, params["source"], None, "source")
        if source["object"] == "card" and source["customer"] not in (
            None,
            customer and customer["id"],
        ):
            raise invalid(
                f"Customer {customer and customer['id']} does not have a linked source with "
                f"ID {source['id']}.",
                param="source",
                code="missing",
            )
    elif customer is not None and customer["default_source"]:
        source = state.require("card", customer["default_source"], "source", "source")
    elif customer is not None:
        raise invalid(
            "Cannot charge a customer that has no active card", param="card", code="missing"
        )
    else:
        raise missing_param("source")
    card = payment_methods.card_behaviour(state, source)
    capture = params.get("capture")
    charge = new_charge(
        state,
        amount=params["amount"],
        currency=currency,
        pm=source,
        customer=customer["id"] if customer else None,
        capture=True if capture is None else capture,
        decline=card.decline,
        description=params.get("description"),
        metadata=params.get("metadata"),
        receipt_email=params.get("receipt_email"),
        shipping=params.get("shipping"),
    )
    assign(
        charge, params, ("statement_descriptor", "statement_descriptor_suffix", "transfer_group")
    )
    if card.decline is not None:
        raise card_error(card.decline, charge=charge["id"])
    return charge


def _check_customer(state: State, charge: dict[str, Any], params: dict[str, Any]) -> None:
    if params.get("customer") is not None:
        if charge["customer"] not in (None, params["customer"]):
            raise invalid("This charge already has a customer.", param="customer")
        state.require("customer", params["customer"], "customer", "customer")


def refunds_of(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    CHARGES.find(state, id)
    rows = [r for r in state.store.newest_first("refund") if r["charge"] == id]
    return paginate(rows, params, f"/v1/charges/{id}/refunds", "refund")


def capture(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    charge = CHARGES.find(state, id)
    if charge["payment_intent"] is not None:
        # Capturing a PaymentIntent's charge captures the PaymentIntent.
        intent = state.require("payment_intent", charge["payment_intent"], "payment_intent")
        capture_intent(state, intent, params.get("amount"))
        return charge
    if params.get("amount") is not None and params["amount"] > charge["amount"]:
        raise invalid(
            "Amount to capture exceeds the charge amount.", param="amount", code="amount_too_large"
        )
    assign(charge, params, ("receipt_email", "statement_descriptor", "statement_descriptor_suffix"))
    return capture_charge(state, charge, params.get("amount"))


CHARGES = Modelled(
    "charge",
    create=create,
    create_params=CREATE,
    update_params=UPDATE,
    check_update=_check_customer,
    filters={"customer": STR, "payment_intent": STR, "transfer_group": STR},
    search=SEARCH_FIELDS,
)
ROUTES = [
    *CHARGES.routes(),
    Route("POST", "/v1/charges/{id}/capture", capture, CAPTURE),
    Route("GET", "/v1/charges/{id}/refunds", refunds_of, Obj(LIST_PARAMS)),
]
