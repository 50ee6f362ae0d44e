"""/v1/setup_intents and /v1/setup_attempts."""

from __future__ import annotations

from typing import Any

from .._errors import invalid
from .._flows.payments import payment_methods
from .._flows.payments.payment_intents import check_return_url
from .._flows.payments.setup_intents import (
    CONFIRMABLE,
    authenticate_setup,
    cancel_setup,
    confirm_setup,
    new_setup_intent,
)
from .._lists import paginate
from .._modelled import Modelled
from .._params import BOOL, LIST_PARAMS, METADATA, STR, STR_LIST, Obj, Str
from .._router import Route
from .._state import State, assign

USAGE = Str("off_session", "on_session")
_CONFIRM_FIELDS = {
    # The current API's name; older versions say `payment_method_types`.
    "allowed_payment_method_types": STR_LIST,
    "payment_method": STR,
    "return_url": STR,
    "use_stripe_sdk": BOOL,
}
CREATE = Obj(
    {
        **_CONFIRM_FIELDS,
        "attach_to_self": BOOL,
        "automatic_payment_methods": Obj(
            {"enabled": BOOL, "allow_redirects": Str("always", "never")}, required=("enabled",)
        ),
        "confirm": BOOL,
        "customer": STR,
        "description": STR,
        "excluded_payment_method_types": STR_LIST,
        "flow_directions": STR_LIST,
        "metadata": METADATA,
        "on_behalf_of": STR,
        "payment_method_types": STR_LIST,
        "usage": USAGE,
    },
)
UPDATE = Obj(
    {
        "allowed_payment_method_types": STR_LIST,
        "attach_to_self": BOOL,
        "customer": STR,
        "description": STR,
        "excluded_payment_method_types": STR_LIST,
        "flow_directions": STR_LIST,
        "metadata": METADATA,
        "payment_method": STR,
        "payment_method_types": STR_LIST,
    },
)
CONFIRM = Obj({**_CONFIRM_FIELDS, "client_secret": STR})
CANCEL = Obj({"cancellation_reason": Str("abandoned", "duplicate", "requested_by_customer")})
ATTEMPTS = Obj({**LIST_PARAMS, "setup_intent": STR}, required=("setup_intent",))


def _payment_method(state: State, value: str | None, customer: str | None) -> str | None:
    if value is None:
        return None
    pm = payment_methods.resolve(state, value)
    if pm["customer"] is not None and pm["customer"] != customer:
        raise invalid(
            f"The provided PaymentMethod {pm['id']} belongs to a Customer: pass that "
            "Customer's ID as the `customer` parameter to use it.",
            param="payment_method",
        )
    return str(pm["id"])


def _confirm(state: State, intent: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    if not state.publishable:  # Stripe.js handles redirects itself
        check_return_url(intent, params.get("return_url"), "Setup Intent")
    return confirm_setup(state, intent, params)


def _method_types(params: dict[str, Any]) -> None:
    """Fold `allowed_payment_method_types` into `payment_method_types`."""
    allowed = params.pop("allowed_payment_method_types", None)
    if allowed:
        params["payment_method_types"] = allowed


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    _method_types(params)
    if params.get("customer") is not None:
        state.require("customer", params["customer"], "customer", "customer")
    if params.get("automatic_payment_methods") and params.get("payment_method_types"):
        raise invalid(
            "You may only specify one of these parameters: automatic_payment_methods, "
            "payment_method_types.",
            code="parameters_exclusive",
        )
    if params.get("return_url") and not params.get("confirm"):
        raise invalid(
            "You can only pass in a `return_url` if `confirm` is true.", param="return_url"
        )
    intent = new_setup_intent(
        state,
        customer=params.get("customer"),
        payment_method=_payment_method(state, params.get("payment_method"), params.get("customer")),
        usage=params.get("usage"),
        payment_method_types=params.get("payment_method_types"),
        automatic=params.get("automatic_payment_methods"),
        description=params.get("description"),
        metadata=params.get("metadata"),
    )
    assign(
        intent,
        params,
        ("attach_to_self", "excluded_payment_method_types", "flow_directions", "on_behalf_of"),
    )
    if params.get("confirm"):
        _confirm(state, intent, {k: v for k, v in params.items() if k in _CONFIRM_FIELDS})
    return intent


def _check_update(state: State, intent: dict[str, Any], params: dict[str, Any]) -> None:
    _method_types(params)
    if intent["status"] not in CONFIRMABLE and set(params) - {"metadata", "description"}:
        raise invalid(
            f"You cannot update this SetupIntent because it has a status of {intent['status']}.",
            code="setup_intent_unexpected_state",
        )
    if params.get("customer") is not None:
        state.require("customer", params["customer"], "customer", "customer")
    customer = params.get("customer") or intent["customer"]
    params["payment_method"] = _payment_method(state, params.get("payment_method"), customer)


def _set_payment_method(state: State, intent: dict[str, Any], params: dict[str, Any]) -> None:
    if params["payment_method"] is not None:
        intent["payment_method"] = params["payment_method"]
        if intent["status"] == "requires_payment_method":
            intent["status"] = "requires_confirmation"


def confirm(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    _method_types(params)
    intent = SETUP_INTENTS.find(state, id)
    SETUP_INTENTS.check_secret(state, intent, params)
    return _confirm(state, intent, params)


def cancel(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return cancel_setup(state, SETUP_INTENTS.find(state, id), params.get("cancellation_reason"))


def list_attempts(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        a
        for a in state.store.newest_first("setup_attempt")
        if a["setup_intent"] == params["setup_intent"]
    ]
    return paginate(rows, params, "/v1/setup_attempts", "setup_attempt")


def authenticate_route(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return authenticate_setup(state, SETUP_INTENTS.find(state, id), params.get("outcome") != "fail")


SETUP_INTENTS = Modelled(
    "setup_intent",
    create=create,
    create_params=CREATE,
    stripe_js="SetupIntent",
    update_params=UPDATE,
    update_fields=(
        "attach_to_self",
        "customer",
        "description",
        "excluded_payment_method_types",
        "flow_directions",
        "payment_method_types",
    ),
    check_update=_check_update,
    apply_update=_set_payment_method,
    # Stripe sends no setup_intent.updated event.
    emits=(),
    filters={"customer": STR, "payment_method": STR},
)
ROUTES = [
    *SETUP_INTENTS.routes(),
    Route("POST", "/v1/setup_intents/{id}/confirm", confirm, CONFIRM, publishable=True),
    Route("POST", "/v1/setup_intents/{id}/cancel", cancel, CANCEL),
    Route("GET", "/v1/setup_attempts", list_attempts, ATTEMPTS),
    Route(
        "POST",
        "/_emulator/setup_intents/{id}/authenticate",
        authenticate_route,
        Obj({"outcome": Str("succeed", "fail")}),
    ),
]
