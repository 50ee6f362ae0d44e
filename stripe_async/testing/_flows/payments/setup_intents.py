"""SetupIntents: save a card for later, with test-card outcomes and 3D Secure.

A SetupIntent that succeeds attaches its PaymentMethod to the customer; with
`usage=off_session` a card that asks for authentication only when not set up
(`pm_card_authenticationRequiredOnSetup`) then pays off-session without it.
"""

from __future__ import annotations

import copy
from typing import Any

from ..._cards import Decline, card_error
from ..._errors import invalid, unexpected_state
from ..._state import State
from . import payment_methods
from .payment_intents import next_action

CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")


def new_setup_intent(
    state: State,
    *,
    customer: str | None = None,
    payment_method: str | None = None,
    usage: str | None = None,
    payment_method_types: list[str] | None = None,
    automatic: dict[str, Any] | None = None,
    description: str | None = None,
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Store a SetupIntent (requires_payment_method, or requires_confirmation with a method)."""
    intent_id = state.new_id("seti")
    automatic_pms = None
    if not payment_method_types:
        automatic_pms = {
            "allow_redirects": (automatic or {}).get("allow_redirects") or "always",
            "enabled": True if automatic is None else bool(automatic.get("enabled")),
        }
    intent: dict[str, Any] = {
        "id": intent_id,
        "object": "setup_intent",
        "application": None,
        "automatic_payment_methods": automatic_pms,
        "cancellation_reason": None,
        "client_secret": f"{intent_id}_secret_{state.ids.token(32)}",
        "created": state.now(),
        "customer": customer,
        "customer_account": None,
        "description": description,
        "excluded_payment_method_types": None,
        "flow_directions": None,
        "last_setup_error": None,
        "latest_attempt": None,
        "livemode": False,
        "mandate": None,
        "metadata": dict(metadata or {}),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": payment_method,
        "payment_method_configuration_details": (
            {"id": "pmc_emulator_default", "parent": None} if automatic_pms else None
        ),
        "payment_method_options": {
            "card": {
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": payment_method_types or ["card"],
        "single_use_mandate": None,
        "status": "requires_confirmation" if payment_method else "requires_payment_method",
        "usage": usage or "off_session",
    }
    state.store.put(intent)
    state.emit("setup_intent.created", intent)
    return intent


def confirm_setup(state: State, intent: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """Confirm: verify the card, ask for 3D Secure, or record the failure (and raise 402)."""
    if intent["status"] not in CONFIRMABLE:
        raise unexpected_state(
            f"You cannot confirm this SetupIntent because it has a status of "
            f"{intent['status']}. Only a SetupIntent with one of the following statuses may "
            f"be confirmed: {', '.join(CONFIRMABLE)}.",
            code="setup_intent_unexpected_state",
        )
    pm_value = params.get("payment_method") or intent["payment_method"]
    if pm_value is None:
        raise unexpected_state(
            "You cannot confirm this SetupIntent because it's missing a payment method. To "
            "confirm the SetupIntent, pass a payment_method (such as pm_card_visa).",
            code="setup_intent_unexpected_state",
        )
    pm = payment_methods.resolve(state, pm_value)
    if pm["customer"] is not None and pm["customer"] != intent["customer"]:
        raise invalid(
            f"The provided PaymentMethod {pm['id']} belongs to a Customer: pass that "
            "Customer's ID as the `customer` parameter to use it.",
            param="payment_method",
        )
    if params.get("payment_method_types"):
        intent["payment_method_types"] = list(params["payment_method_types"])
    intent["payment_method"] = pm["id"]
    card = payment_methods.card_behaviour(state, pm)
    attempt = _new_attempt(state, intent, pm)
    if card.requires_action and state.meta.get(intent["id"], {}).get("authenticated") != pm["id"]:
        intent.update(
            status="requires_action",
            last_setup_error=None,
            next_action=next_action(state, "setup_intent", intent["id"], params.get("return_url")),
        )
        attempt["status"] = "requires_action"
        state.emit("setup_intent.requires_action", intent)
        return intent
    if card.declines_on_attach and card.decline is not None:
        return _fail(state, intent, pm, attempt, card.decline)
    return _succeed(state, intent, pm, attempt)


def _new_attempt(state: State, intent: dict[str, Any], pm: dict[str, Any]) -> dict[str, Any]:
    attempt: dict[str, Any] = {
        "id": state.new_id("setatt"),
        "object": "setup_attempt",
        "application": None,
        "attach_to_self": False,
        "created": state.now(),
        "customer": intent["customer"],
        "customer_account": None,
        "flow_directions": None,
        "livemode": False,
        "on_behalf_of": None,
        "payment_method": pm["id"],
        "payment_method_details": {
            "card": {"brand": None, "checks": None, "three_d_secure": None, "wallet": None},
            "type": "card",
        },
        "setup_error": None,
        "setup_intent": intent["id"],
        "status": "processing",
        "usage": intent["usage"],
    }
    state.store.put(attempt)
    intent["latest_attempt"] = attempt["id"]
    return attempt


def _succeed(
    state: State, intent: dict[str, Any], pm: dict[str, Any], attempt: dict[str, Any]
) -> dict[str, Any]:
    customer = state.store.get(intent["customer"] or "", "customer")
    if customer is not None and pm["object"] == "payment_method" and pm["customer"] is None:
        payment_methods.attach(state, pm, customer)
    if intent["usage"] == "off_session":
        state.meta.setdefault(pm["id"], {})["set_up_off_session"] = True
    attempt["status"] = "succeeded"
    intent.update(status="succeeded", next_action=None, last_setup_error=None)
    state.emit("setup_intent.succeeded", intent)
    return intent


def _record_failure(
    state: State, intent: dict[str, Any], attempt: dict[str, Any], error: dict[str, Any]
) -> None:
    """The attempt failed with `error`: the SetupIntent wants a new payment method."""
    attempt.update(status="failed", setup_error=copy.deepcopy(error))
    intent.update(
        status="requires_payment_method",
        payment_method=None,
        next_action=None,
        last_setup_error=error,
    )
    state.emit("setup_intent.setup_failed", intent)


def _fail(
    state: State,
    intent: dict[str, Any],
    pm: dict[str, Any],
    attempt: dict[str, Any],
    decline: Decline,
) -> dict[str, Any]:
    last_error = card_error(decline).body(state.request_id or "")["error"]
    last_error.pop("request_log_url", None)
    last_error["payment_method"] = copy.deepcopy(pm)
    _record_failure(state, intent, attempt, last_error)
    raise card_error(decline, setup_intent=copy.deepcopy(intent), payment_method=copy.deepcopy(pm))


def authenticate_setup(state: State, intent: dict[str, Any], succeed: bool) -> dict[str, Any]:
    """Finish (or fail) the 3D Secure challenge of a requires_action SetupIntent."""
    if intent["status"] != "requires_action":
        raise unexpected_state(
            f"This SetupIntent has a status of {intent['status']}; only a SetupIntent with "
            "status requires_action can be authenticated.",
            code="setup_intent_unexpected_state",
        )
    pm = payment_methods.resolve(state, intent["payment_method"])
    attempt = state.require("setup_attempt", intent["latest_attempt"], "setup_attempt")
    if succeed:
        state.meta.setdefault(intent["id"], {})["authenticated"] = pm["id"]
        return _succeed(state, intent, pm, attempt)
    error = {
        "code": "setup_intent_authentication_failure",
        "doc_url": "https://stripe.com/docs/error-codes/setup-intent-authentication-failure",
        "message": "The latest attempt to set up the payment method has failed because "
        "authentication failed.",
        "payment_method": copy.deepcopy(pm),
        "type": "invalid_request_error",
    }
    _record_failure(state, intent, attempt, error)
    return intent


def cancel_setup(state: State, intent: dict[str, Any], reason: str | None) -> dict[str, Any]:
    if intent["status"] not in CONFIRMABLE:
        raise unexpected_state(
            f"You cannot cancel this SetupIntent because it has a status of {intent['status']}. "
            f"Only a SetupIntent with one of the following statuses may be canceled: "
            f"{', '.join(CONFIRMABLE)}.",
            code="setup_intent_unexpected_state",
        )
    intent.update(status="canceled", cancellation_reason=reason, next_action=None)
    state.emit("setup_intent.canceled", intent)
    return intent
