"""/v1/payment_intents: the lifecycle, test-card outcomes and 3D Secure."""

from __future__ import annotations

import copy
from typing import Any

from .._cards import Card, Decline, card_error
from .._errors import EmulatorError, invalid, unexpected_state
from .._lists import paginate
from .._params import (
    ANY,
    BOOL,
    LIST_PARAMS,
    METADATA,
    SEARCH_PARAMS,
    SHIPPING,
    STR,
    STR_LIST,
    Either,
    Int,
    Obj,
    Str,
)
from .._router import Route
from .._search import search_handler
from .._state import State, assign, set_metadata
from . import charges, payment_methods
from .money import check_amount, currency_param

CAPTURE_METHODS = Str("automatic", "automatic_async", "manual")
#: Documented but not simulated (line-item details, hooks, industry payment
#: details): accepted and dropped wherever Stripe takes them.
NOT_SIMULATED = ("amount_details", "hooks", "payment_details")
SETUP_FUTURE_USAGE = Str("off_session", "on_session")
_CONFIRM_FIELDS = {
    "capture_method": CAPTURE_METHODS,
    "error_on_requires_action": BOOL,
    "mandate": ANY,
    "mandate_data": ANY,
    "off_session": Either(BOOL, Str("one_off", "recurring")),
    "payment_method": STR,
    "payment_method_data": ANY,
    "payment_method_options": ANY,
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
    # ConfirmationTokens and Accounts v2 customers are not simulated.
    ignored=(*NOT_SIMULATED, "confirmation_token", "customer_account"),
)
UPDATE = Obj(
    {
        "amount": Int(minimum=1),
        "currency": STR,
        "application_fee_amount": Int(minimum=0),
        "capture_method": CAPTURE_METHODS,
        "customer": STR,
        "description": STR,
        "excluded_payment_method_types": STR_LIST,
        "metadata": METADATA,
        "payment_method": STR,
        "payment_method_data": ANY,
        "payment_method_options": ANY,
        "allowed_payment_method_types": STR_LIST,
        "payment_method_types": STR_LIST,
        "receipt_email": STR,
        "setup_future_usage": SETUP_FUTURE_USAGE,
        "shipping": SHIPPING,
        "statement_descriptor": STR,
        "statement_descriptor_suffix": STR,
        "transfer_data": ANY,
        "transfer_group": STR,
    },
    ignored=(*NOT_SIMULATED, "customer_account", "payment_method_configuration"),
)
CONFIRM = Obj(
    {**_CONFIRM_FIELDS, "client_secret": STR},
    ignored=(*NOT_SIMULATED, "amount_to_confirm", "confirmation_token"),
)
CAPTURE = Obj(
    {
        "amount_to_capture": Int(minimum=1),
        "application_fee_amount": Int(minimum=0),
        "final_capture": BOOL,
        "metadata": METADATA,
        "statement_descriptor": STR,
        "statement_descriptor_suffix": STR,
        "transfer_data": ANY,
    },
    ignored=NOT_SIMULATED,
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
        "application_fee_amount": Int(minimum=0),
        "transfer_data": ANY,
    },
    required=("amount",),
    ignored=NOT_SIMULATED,
)
LIST = Obj({**LIST_PARAMS, "customer": STR}, ignored=("customer_account",))
APPLY_CUSTOMER_BALANCE = Obj({"amount": Int(minimum=1), "currency": STR})
SEARCH_FIELDS = {
    "amount": "amount",
    "created": "created",
    "currency": "currency",
    "customer": "customer",
    "status": "status",
}
CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
CANCELABLE = (*CONFIRMABLE, "requires_capture", "processing")
AUTHENTICATION_REQUIRED = Decline(
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)


def _lookup(state: State, id: str) -> dict[str, Any]:
    return state.require("payment_intent", id, "payment_intent")


def new_intent(
    state: State,
    *,
    amount: int,
    currency: str,
    customer: str | None = None,
    description: str | None = None,
    metadata: dict[str, str] | None = None,
    payment_method: str | None = None,
    capture_method: str | None = None,
    payment_method_types: list[str] | None = None,
    automatic: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Store a PaymentIntent (status requires_payment_method/confirmation)."""
    intent_id = state.new_id("pi")
    if payment_method_types:
        automatic_pms = None
    else:
        automatic_pms = {
            "allow_redirects": (automatic or {}).get("allow_redirects") or "always",
            "enabled": True if automatic is None else bool(automatic.get("enabled")),
        }
    intent: dict[str, Any] = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": automatic_pms,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": capture_method or "automatic_async",
        "client_secret": f"{intent_id}_secret_{state.ids.token(25)}",
        "confirmation_method": "automatic",
        "created": state.now(),
        "currency": currency,
        "customer": customer,
        "customer_account": None,
        "description": description,
        "excluded_payment_method_types": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "managed_payments": None,
        "metadata": dict(metadata or {}),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": payment_method,
        "payment_method_configuration_details": (
            {"id": "pmc_emulator_default", "parent": None} if automatic_pms else None
        ),
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": payment_method_types or ["card"],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "requires_confirmation" if payment_method else "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }
    state.store.put(intent)
    state.emit("payment_intent.created", intent)
    return intent


def _method_types(params: dict[str, Any]) -> list[str] | None:
    types = params.get("allowed_payment_method_types") or params.get("payment_method_types")
    return list(types) if types else None


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    currency = currency_param(params["currency"])
    check_amount(params["amount"], currency)
    if params.get("customer") is not None:
        state.require("customer", params["customer"], "customer", "customer")
    if params.get("automatic_payment_methods") and _method_types(params):
        raise invalid(
            "You may only specify one of these parameters: automatic_payment_methods, "
            "allowed_payment_method_types.",
            code="parameters_exclusive",
        )
    pm = None
    if params.get("payment_method") is not None:
        pm = payment_methods.resolve(state, params["payment_method"])
        _check_ownership(pm, params.get("customer"))
    intent = new_intent(
        state,
        amount=params["amount"],
        currency=currency,
        customer=params.get("customer"),
        description=params.get("description"),
        metadata=params.get("metadata"),
        payment_method=pm["id"] if pm else None,
        capture_method=params.get("capture_method"),
        payment_method_types=_method_types(params),
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
    if params.get("confirmation_method"):
        intent["confirmation_method"] = params["confirmation_method"]
    if params.get("confirm"):
        confirm_intent(state, intent, {k: v for k, v in params.items() if k in _CONFIRM_FIELDS})
    return intent


def _check_ownership(pm: dict[str, Any], customer: str | None) -> None:
    if pm["customer"] is not None and pm["customer"] != customer:
        raise invalid(
            f"The provided PaymentMethod {pm['id']} belongs to a Customer: pass that "
            "Customer's ID as the `customer` parameter to use it.",
            param="payment_method",
        )


def confirm_intent(state: State, intent: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """Confirm: charge the payment method, ask for 3D Secure, or record the decline."""
    if intent["status"] not in CONFIRMABLE:
        raise unexpected_state(
            f"You cannot confirm this PaymentIntent because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
            f"be confirmed: {', '.join(CONFIRMABLE)}."
        )
    pm_value = params.get("payment_method") or intent["payment_method"]
    if pm_value is None:
        raise unexpected_state(
            "You cannot confirm this PaymentIntent because it's missing a payment method. To "
            "confirm the PaymentIntent, pass a payment_method (such as pm_card_visa)."
        )
    pm = payment_methods.resolve(state, pm_value)
    _check_ownership(pm, intent["customer"])
    if state.meta.get(pm["id"], {}).get("consumed"):
        raise invalid(
            "This PaymentMethod was previously used without being attached to a Customer or "
            "was detached from a Customer, and may not be used again.",
            param="payment_method",
        )
    assign(
        intent,
        params,
        (
            "capture_method",
            "excluded_payment_method_types",
            "receipt_email",
            "setup_future_usage",
            "shipping",
        ),
    )
    types = _method_types(params)
    if types:
        intent["payment_method_types"] = types
    intent["payment_method"] = pm["id"]
    card = payment_methods.card_behaviour(state, pm)
    meta = state.meta.setdefault(intent["id"], {})
    if card.requires_action and meta.get("authenticated") != pm["id"]:
        if params.get("off_session") or params.get("error_on_requires_action"):
            return _fail(state, intent, pm, card, AUTHENTICATION_REQUIRED)
        intent["status"] = "requires_action"
        intent["next_action"] = _next_action(state, intent, params.get("return_url"))
        intent["last_payment_error"] = None
        state.emit("payment_intent.requires_action", intent)
        state.run_hooks("payment_intent.changed", intent)
        return intent
    if card.decline is not None:
        return _fail(state, intent, pm, card, card.decline)
    return _succeed(state, intent, pm, card)


def _next_action(state: State, intent: dict[str, Any], return_url: str | None) -> dict[str, Any]:
    url = f"https://hooks.stripe.com/3d_secure_2/hosted?payment_intent={intent['id']}"
    if return_url:
        return {
            "type": "redirect_to_url",
            "redirect_to_url": {"return_url": return_url, "url": url},
        }
    return {
        "type": "use_stripe_sdk",
        "use_stripe_sdk": {
            "type": "three_d_secure_redirect",
            "stripe_js": url,
            "source": state.new_id("src"),
        },
    }


def _succeed(
    state: State, intent: dict[str, Any], pm: dict[str, Any], card: Card
) -> dict[str, Any]:
    manual = intent["capture_method"] == "manual"
    charge = charges.new_charge(
        state,
        amount=intent["amount"],
        currency=intent["currency"],
        pm=pm,
        customer=intent["customer"],
        capture=not manual,
        decline=None,
        payment_intent=intent["id"],
        description=intent["description"],
        metadata=intent["metadata"],
        receipt_email=intent["receipt_email"],
        shipping=intent["shipping"],
        three_ds=card.requires_action,
    )
    intent.update(latest_charge=charge["id"], next_action=None, last_payment_error=None)
    if manual:
        intent["status"] = "requires_capture"
        intent["amount_capturable"] = intent["amount"]
        state.emit("payment_intent.amount_capturable_updated", intent, {"amount_capturable": 0})
    else:
        intent["status"] = "succeeded"
        intent["amount_received"] = intent["amount"]
        state.emit("payment_intent.succeeded", intent)
    _settle_payment_method(state, intent, pm)
    state.run_hooks("payment_intent.changed", intent)
    return intent


def _settle_payment_method(state: State, intent: dict[str, Any], pm: dict[str, Any]) -> None:
    """Save the card for later (setup_future_usage) or mark a one-off card as used."""
    if pm["object"] != "payment_method":
        return
    customer = state.store.get(intent["customer"] or "", "customer")
    if intent["setup_future_usage"] and customer is not None and pm["customer"] is None:
        payment_methods.attach(state, pm, customer)
    elif pm["customer"] is None:
        state.meta.setdefault(pm["id"], {})["consumed"] = True
    if customer is not None and customer["currency"] is None:
        customer["currency"] = intent["currency"]


def _fail(
    state: State, intent: dict[str, Any], pm: dict[str, Any], card: Card, decline: Decline
) -> dict[str, Any]:
    """Record a declined attempt, then raise Stripe's 402 with the PaymentIntent attached."""
    charge = charges.new_charge(
        state,
        amount=intent["amount"],
        currency=intent["currency"],
        pm=pm,
        customer=intent["customer"],
        capture=intent["capture_method"] != "manual",
        decline=decline,
        payment_intent=intent["id"],
        description=intent["description"],
        metadata=intent["metadata"],
    )
    error = card_error(decline, charge=charge["id"])
    last_error = error.body(state.request_id or "")["error"]
    last_error.pop("request_log_url", None)
    last_error["payment_method"] = copy.deepcopy(pm)
    intent.update(
        status="requires_payment_method",
        payment_method=None,
        latest_charge=charge["id"],
        next_action=None,
        last_payment_error=last_error,
    )
    state.emit("payment_intent.payment_failed", intent)
    state.run_hooks("payment_intent.changed", intent)
    raise card_error(
        decline,
        charge=charge["id"],
        payment_intent=copy.deepcopy(intent),
        payment_method=copy.deepcopy(pm),
    )


def authenticate(state: State, intent: dict[str, Any], succeed: bool) -> dict[str, Any]:
    """Finish (or fail) the 3D Secure challenge of a requires_action PaymentIntent."""
    if intent["status"] != "requires_action":
        raise unexpected_state(
            f"This PaymentIntent has a status of {intent['status']}; only a PaymentIntent "
            "with status requires_action can be authenticated."
        )
    pm = payment_methods.resolve(state, intent["payment_method"])
    if succeed:
        state.meta.setdefault(intent["id"], {})["authenticated"] = pm["id"]
        return _succeed(state, intent, pm, payment_methods.card_behaviour(state, pm))
    intent.update(
        status="requires_payment_method",
        payment_method=None,
        next_action=None,
        last_payment_error={
            "code": "payment_intent_authentication_failure",
            "doc_url": "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
            "message": "The provided PaymentMethod has failed authentication. You can provide "
            "payment_method_data or a new PaymentMethod to attempt to fulfill this "
            "PaymentIntent again.",
            "payment_method": copy.deepcopy(pm),
            "type": "invalid_request_error",
        },
    )
    state.emit("payment_intent.payment_failed", intent)
    state.run_hooks("payment_intent.changed", intent)
    return intent


def capture_intent(state: State, intent: dict[str, Any], amount: int | None) -> dict[str, Any]:
    if intent["status"] != "requires_capture":
        raise unexpected_state(
            "This PaymentIntent could not be captured because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
            "be captured: requires_capture."
        )
    amount = intent["amount_capturable"] if amount is None else amount
    if amount > intent["amount_capturable"]:
        raise EmulatorError(
            400,
            "The amount_to_capture must be less than or equal to the PaymentIntent's "
            f"amount_capturable ({intent['amount_capturable']}).",
            code="amount_too_large",
            param="amount_to_capture",
        )
    charge = state.require("charge", intent["latest_charge"], "charge")
    charges.capture_charge(state, charge, amount)
    intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
    state.emit("payment_intent.succeeded", intent)
    state.run_hooks("payment_intent.changed", intent)
    return intent


def _check_client_secret(state: State, intent: dict[str, Any], given: str | None) -> None:
    """With a publishable key (Stripe.js) the client_secret is the credential."""
    if given is None and not state.publishable:
        return
    if given != intent["client_secret"]:
        raise invalid(
            "The client_secret provided does not match the client_secret associated with "
            "the PaymentIntent.",
            param="client_secret",
        )


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    intent = _lookup(state, id)
    _check_client_secret(state, intent, params.get("client_secret"))
    return intent


def update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    intent = _lookup(state, id)
    always = {"metadata", "description", "receipt_email", "shipping"}
    if intent["status"] not in CONFIRMABLE and set(params) - always:
        raise unexpected_state(
            f"You cannot update this PaymentIntent because it has a status of "
            f"{intent['status']}; only its metadata, description, receipt_email and shipping "
            "can change now."
        )
    if params.get("customer") is not None:
        state.require("customer", params["customer"], "customer", "customer")
    pm = None
    if params.get("payment_method") is not None:
        pm = payment_methods.resolve(state, params["payment_method"])
        _check_ownership(pm, params.get("customer") or intent["customer"])
    if params.get("currency") is not None:
        params["currency"] = currency_param(params["currency"])
    if params.get("amount") is not None:
        check_amount(params["amount"], params.get("currency") or intent["currency"])
    assign(
        intent, params, tuple(k for k in UPDATE.fields if k not in ("metadata", "payment_method"))
    )
    set_metadata(intent, params.get("metadata"))
    if pm is not None:
        intent["payment_method"] = pm["id"]
        if intent["status"] == "requires_payment_method":
            intent["status"] = "requires_confirmation"
    # Stripe has no payment_intent.updated event.
    return intent


def confirm(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    intent = _lookup(state, id)
    _check_client_secret(state, intent, params.pop("client_secret", None))
    return confirm_intent(state, intent, params)


def capture(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    intent = _lookup(state, id)
    set_metadata(intent, params.get("metadata"))
    return capture_intent(state, intent, params.get("amount_to_capture"))


def cancel_intent(state: State, intent: dict[str, Any], reason: str | None) -> dict[str, Any]:
    if intent["status"] not in CANCELABLE:
        raise unexpected_state(
            f"You cannot cancel this PaymentIntent because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
            f"be canceled: {', '.join(CANCELABLE)}."
        )
    if intent["status"] == "requires_capture":
        from .refunds import new_refund

        # Canceling an authorization refunds (releases) its uncaptured charge.
        charge = state.require("charge", intent["latest_charge"], "charge")
        new_refund(state, charge, charge["amount"], None, {}, release=True)
    intent.update(
        status="canceled",
        canceled_at=state.now(),
        cancellation_reason=reason,
        amount_capturable=0,
        next_action=None,
    )
    state.emit("payment_intent.canceled", intent)
    return intent


def cancel(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return cancel_intent(state, _lookup(state, id), params.get("cancellation_reason"))


def increment_authorization(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    intent = _lookup(state, id)
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
    intent = _lookup(state, id)
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


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        i
        for i in state.store.newest_first("payment_intent")
        if params.get("customer") in (None, i["customer"])
    ]
    return paginate(rows, params, "/v1/payment_intents", "payment_intent")


search_route = search_handler("payment_intent", "payment_intents", SEARCH_FIELDS)


def authenticate_route(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return authenticate(state, _lookup(state, id), params.get("outcome") != "fail")


ROUTES = [
    Route("POST", "/v1/payment_intents", create, CREATE),
    Route("GET", "/v1/payment_intents", list_all, LIST),
    Route("GET", "/v1/payment_intents/search", search_route, SEARCH_PARAMS),
    Route(
        "GET", "/v1/payment_intents/{id}", retrieve, Obj({"client_secret": STR}), publishable=True
    ),
    Route("POST", "/v1/payment_intents/{id}", update, UPDATE),
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
