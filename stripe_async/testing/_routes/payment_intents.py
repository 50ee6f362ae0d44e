"""Routes of payment intents: parse, call the flow, render."""

from __future__ import annotations

import copy
from typing import Any

from .._errors import EmulatorError, invalid, unexpected_state
from .._flows.connect import accounts
from .._flows.payments import payment_methods
from .._flows.payments.money import check_amount, currency_param
from .._flows.payments.payment_intents import (
    CAPTURE_METHODS,
    CONFIRMABLE,
    SETUP_FUTURE_USAGE,
    UPDATE,
    UPDATE_FIELDS,
    apply_update,
    authenticate,
    cancel_intent,
    capture_intent,
    check_ownership,
    check_return_url,
    check_update,
    confirm_intent,
    method_types,
    new_intent,
)
from .._modelled import Modelled
from .._params import (
    ANY,
    BOOL,
    METADATA,
    SHIPPING,
    STR,
    STR_LIST,
    Either,
    Int,
    Obj,
    Refused,
    Str,
)
from .._router import Route
from .._state import State, assign, set_metadata

_CONFIRM_FIELDS = {
    "capture_method": CAPTURE_METHODS,
    "error_on_requires_action": BOOL,
    "off_session": Either(BOOL, Str("one_off", "recurring")),
    "payment_method": STR,
    # `allowed_payment_method_types` is the current API's name; older versions
    # call it `payment_method_types`. Both fill the object's payment_method_types.
    "allowed_payment_method_types": STR_LIST,
    "payment_method_types": STR_LIST,
    "excluded_payment_method_types": STR_LIST,
    "radar_options": ANY,
    "receipt_email": STR,
    "return_url": STR,
    "setup_future_usage": SETUP_FUTURE_USAGE,
    "shipping": SHIPPING,
    "use_stripe_sdk": BOOL,
}


CREATE = Obj(
    {
        **_CONFIRM_FIELDS,
        "amount": Int(minimum=1),
        "currency": STR,
        "application_fee_amount": Int(minimum=0),
        "automatic_payment_methods": Obj(
            {"enabled": BOOL, "allow_redirects": Str("always", "never")}, required=("enabled",)
        ),
        "confirm": BOOL,
        "confirmation_method": Str("automatic", "manual"),
        "customer": STR,
        "description": STR,
        "metadata": METADATA,
        "on_behalf_of": STR,
        "payment_method_configuration": STR,
        "statement_descriptor": STR,
        "statement_descriptor_suffix": STR,
        "transfer_data": ANY,
        "transfer_group": STR,
    },
    required=("amount", "currency"),
)


CONFIRM = Obj(
    {**_CONFIRM_FIELDS, "client_secret": STR},
)


CAPTURE = Obj(
    {
        "amount_to_capture": Int(minimum=1),
        # Multicapture (final_capture=false) is not modelled.
        "final_capture": Refused(BOOL, False),
        "metadata": METADATA,
        "statement_descriptor": STR,
        "statement_descriptor_suffix": STR,
    },
)


CANCEL = Obj(
    {"cancellation_reason": Str("abandoned", "duplicate", "fraudulent", "requested_by_customer")}
)


INCREMENT = Obj(
    {
        "amount": Int(minimum=1),
        "description": STR,
        "metadata": METADATA,
        "statement_descriptor": STR,
    },
    required=("amount",),
)


APPLY_CUSTOMER_BALANCE = Obj({"amount": Int(minimum=1), "currency": STR})


SEARCH_FIELDS = {
    "amount": "amount",
    "created": "created",
    "currency": "currency",
    "customer": "customer",
    "status": "status",
}


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    currency = currency_param(params["currency"])
    check_amount(params["amount"], currency)
    if params.get("customer") is not None:
        state.require("customer", params["customer"], "customer", "customer")
    if params.get("automatic_payment_methods") and method_types(params):
        raise invalid(
            "You may only specify one of these parameters: automatic_payment_methods, "
            "allowed_payment_method_types.",
            code="parameters_exclusive",
        )
    transfer_data = _transfer_data(state, params)
    pm = None
    if params.get("payment_method") is not None:
        pm = payment_methods.resolve(state, params["payment_method"])
        check_ownership(pm, params.get("customer"))
    intent = new_intent(
        state,
        amount=params["amount"],
        currency=currency,
        customer=params.get("customer"),
        description=params.get("description"),
        metadata=params.get("metadata"),
        payment_method=pm["id"] if pm else None,
        capture_method=params.get("capture_method"),
        payment_method_types=method_types(params),
        automatic=params.get("automatic_payment_methods"),
    )
    assign(
        intent,
        params,
        (
            "application_fee_amount",
            "excluded_payment_method_types",
            "receipt_email",
            "setup_future_usage",
            "shipping",
            "statement_descriptor",
            "statement_descriptor_suffix",
            "transfer_group",
        ),
    )
    intent["transfer_data"] = transfer_data
    if params.get("on_behalf_of") is not None:
        intent["on_behalf_of"] = params["on_behalf_of"]
    if params.get("confirmation_method"):
        intent["confirmation_method"] = params["confirmation_method"]
    if params.get("confirm"):
        _confirm(state, intent, {k: v for k, v in params.items() if k in _CONFIRM_FIELDS})
    return intent


def _confirm(state: State, intent: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    if not state.publishable:  # Stripe.js handles redirects itself
        check_return_url(intent, params.get("return_url"), "Payment Intent")
    return confirm_intent(state, intent, params)


def _transfer_data(state: State, params: dict[str, Any]) -> dict[str, Any] | None:
    """A destination charge's `transfer_data`, checked as Stripe checks it."""
    given = params.get("transfer_data")
    if not isinstance(given, dict) or not given.get("destination"):
        if params.get("application_fee_amount") is not None and state.store.scope is None:
            raise invalid(
                "Can only apply an application_fee_amount when the PaymentIntent is attempting "
                "a direct payment (using an OAuth key or Stripe-Account header) or destination "
                "payment (using `transfer_data[destination]`).",
                param="application_fee_amount",
            )
        return None
    account = accounts.destination(state, given["destination"], "transfer_data[destination]")
    amount = given.get("amount")
    if amount is not None:
        amount = Int(minimum=1).coerce(amount, "transfer_data[amount]")
        if amount > params["amount"]:
            raise invalid(
                "The transfer amount must be less than or equal to the PaymentIntent amount.",
                param="transfer_data[amount]",
            )
    fee = params.get("application_fee_amount")
    if fee is not None and fee > params["amount"]:
        raise invalid(
            "The application_fee_amount must be less than or equal to the PaymentIntent amount.",
            param="application_fee_amount",
        )
    return {"amount": amount, "destination": account["id"]}


def confirm(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    intent = PAYMENT_INTENTS.find(state, id)
    PAYMENT_INTENTS.check_secret(state, intent, params)
    return _confirm(state, intent, params)


def capture(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    intent = PAYMENT_INTENTS.find(state, id)
    set_metadata(intent, params.get("metadata"))
    assign(intent, params, ("statement_descriptor", "statement_descriptor_suffix"))
    return capture_intent(state, intent, params.get("amount_to_capture"))


def cancel(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return cancel_intent(state, PAYMENT_INTENTS.find(state, id), params.get("cancellation_reason"))


def increment_authorization(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    intent = PAYMENT_INTENTS.find(state, id)
    if intent["status"] != "requires_capture":
        raise unexpected_state(
            "Only a PaymentIntent with status requires_capture can have its authorization "
            f"incremented; this one is {intent['status']}."
        )
    if params["amount"] <= intent["amount"]:
        raise invalid(
            "The new amount must be greater than the PaymentIntent's current amount.",
            param="amount",
        )
    before = copy.deepcopy(intent)
    charge = state.require("charge", intent["latest_charge"], "charge")
    charge["amount"] = params["amount"]
    intent["amount"] = intent["amount_capturable"] = params["amount"]
    assign(intent, params, ("description", "statement_descriptor"))
    set_metadata(intent, params.get("metadata"))
    state.emit_update("payment_intent.amount_capturable_updated", intent, before)
    return intent


def apply_customer_balance(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    """Fund a `customer_balance` PaymentIntent from its customer's cash balance.

    Stripe applies at most `amount` (default: what is still owed) of the cash
    balance. The emulator keeps no cash balances (bank transfers are not
    simulated), so after Stripe's checks nothing is applied and the PaymentIntent
    comes back unchanged, as for a customer whose cash balance is empty.
    """
    intent = PAYMENT_INTENTS.find(state, id)
    if "customer_balance" not in intent["payment_method_types"]:
        raise unexpected_state(
            "You can only apply a customer's cash balance to a PaymentIntent whose "
            "payment_method_types include customer_balance."
        )
    if intent["status"] not in CONFIRMABLE:
        raise unexpected_state(
            f"You cannot apply a cash balance to this PaymentIntent because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses "
            f"accepts funds: {', '.join(CONFIRMABLE)}."
        )
    if intent["customer"] is None:
        raise invalid(
            "This PaymentIntent has no customer, so there is no cash balance to apply.",
        )
    if (
        params.get("currency") is not None
        and currency_param(params["currency"]) != intent["currency"]
    ):
        raise invalid(
            f"The currency must match the PaymentIntent's currency ({intent['currency']}).",
            param="currency",
        )
    remaining = intent["amount"] - intent["amount_received"]
    if params.get("amount") is not None and params["amount"] > remaining:
        raise EmulatorError(
            400,
            f"The amount must be less than or equal to the amount remaining on the "
            f"PaymentIntent ({remaining}).",
            code="amount_too_large",
            param="amount",
        )
    return intent


def authenticate_route(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return authenticate(state, PAYMENT_INTENTS.find(state, id), params.get("outcome") != "fail")


PAYMENT_INTENTS = Modelled(
    "payment_intent",
    create=create,
    create_params=CREATE,
    stripe_js="PaymentIntent",
    update_params=UPDATE,
    update_fields=UPDATE_FIELDS,
    check_update=check_update,
    apply_update=apply_update,
    # Stripe has no payment_intent.updated event.
    emits=(),
    filters={"customer": STR},
    search=SEARCH_FIELDS,
)
ROUTES = [
    *PAYMENT_INTENTS.routes(),
    Route("POST", "/v1/payment_intents/{id}/confirm", confirm, CONFIRM, publishable=True),
    Route("POST", "/v1/payment_intents/{id}/capture", capture, CAPTURE),
    Route("POST", "/v1/payment_intents/{id}/cancel", cancel, CANCEL),
    Route(
        "POST",
        "/v1/payment_intents/{id}/increment_authorization",
        increment_authorization,
        INCREMENT,
    ),
    Route(
        "POST",
        "/v1/payment_intents/{id}/apply_customer_balance",
        apply_customer_balance,
        APPLY_CUSTOMER_BALANCE,
    ),
    # Not Stripe's API: completes the 3D Secure challenge a customer would answer.
    Route(
        "POST",
        "/_emulator/payment_intents/{id}/authenticate",
        authenticate_route,
        Obj({"outcome": Str("succeed", "fail")}),
    ),
]
