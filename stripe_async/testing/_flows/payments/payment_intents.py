"""/v1/payment_intents: the lifecycle, test-card outcomes and 3D Secure."""

from __future__ import annotations

import copy
from typing import Any

from ..._cards import Card, Decline, card_error
from ..._errors import EmulatorError, invalid, unexpected_state
from ..._params import (
    ANY,
    METADATA,
    SHIPPING,
    STR,
    STR_LIST,
    Int,
    Obj,
    Str,
)
from ..._state import State, assign
from . import charges, payment_methods
from .money import check_amount, currency_param
from .refunds import new_refund

CAPTURE_METHODS = Str("automatic", "automatic_async", "manual")
SETUP_FUTURE_USAGE = Str("off_session", "on_session")
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
)
CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
CANCELABLE = (*CONFIRMABLE, "requires_capture", "processing")
AUTHENTICATION_REQUIRED = Decline(
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)


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


def method_types(params: dict[str, Any]) -> list[str] | None:
    types = params.get("allowed_payment_method_types") or params.get("payment_method_types")
    return list(types) if types else None


def check_ownership(pm: dict[str, Any], customer: str | None) -> None:
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
    check_ownership(pm, intent["customer"])
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
    types = method_types(params)
    if types:
        intent["payment_method_types"] = types
    intent["payment_method"] = pm["id"]
    card = payment_methods.card_behaviour(state, pm)
    meta = state.meta.setdefault(intent["id"], {})
    exempt = card.setup_exempts and state.meta.get(pm["id"], {}).get("set_up_off_session")
    if card.requires_action and not exempt and meta.get("authenticated") != pm["id"]:
        if params.get("off_session") or params.get("error_on_requires_action"):
            return _fail(state, intent, pm, card, AUTHENTICATION_REQUIRED)
        intent["status"] = "requires_action"
        intent["next_action"] = next_action(
            state, "payment_intent", intent["id"], params.get("return_url")
        )
        intent["last_payment_error"] = None
        state.emit("payment_intent.requires_action", intent)
        state.run_hooks("payment_intent.changed", intent)
        return intent
    if card.decline is not None:
        return _fail(state, intent, pm, card, card.decline)
    return _succeed(state, intent, pm, card)


def next_action(state: State, kind: str, intent_id: str, return_url: str | None) -> dict[str, Any]:
    """The 3D Secure step of a PaymentIntent or SetupIntent (`kind`) in requires_action."""
    url = f"https://hooks.stripe.com/3d_secure_2/hosted?{kind}={intent_id}"
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


def check_return_url(intent: dict[str, Any], return_url: str | None, label: str) -> None:
    """Stripe refuses a server-side confirmation without `return_url` when the intent takes
    the Dashboard's payment methods and some of them may redirect."""
    automatic = intent.get("automatic_payment_methods") or {}
    if return_url or not automatic.get("enabled") or automatic.get("allow_redirects") == "never":
        return
    raise invalid(
        f"A `return_url` must be specified because this {label} is configured to "
        "automatically accept the payment methods enabled in the Dashboard, some of which may "
        "require a full page redirect to succeed. If you do not want to accept redirect-based "
        "payment methods, set `automatic_payment_methods[enabled]` to `true` and "
        "`automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents "
        "and Payment Intents."
    )


def _charge(
    state: State, intent: dict[str, Any], pm: dict[str, Any], decline: Decline | None, **more: Any
) -> dict[str, Any]:
    """The charge of one attempt to pay `intent` with `pm`."""
    return charges.new_charge(
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
        **more,
    )


def _succeed(
    state: State, intent: dict[str, Any], pm: dict[str, Any], card: Card
) -> dict[str, Any]:
    manual = intent["capture_method"] == "manual"
    charge = _charge(
        state,
        intent,
        pm,
        None,
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
    charge = _charge(state, intent, pm, decline)
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


#: The fields an update sets as given.
UPDATE_FIELDS = tuple(k for k in UPDATE.fields if k not in ("metadata", "payment_method"))


def check_update(state: State, intent: dict[str, Any], params: dict[str, Any]) -> None:
    """Stripe's checks of an update; a `payment_method` shortcut becomes the id it makes."""
    always = {"metadata", "description", "receipt_email", "shipping"}
    if intent["status"] not in CONFIRMABLE and set(params) - always:
        raise unexpected_state(
            f"You cannot update this PaymentIntent because it has a status of "
            f"{intent['status']}; only its metadata, description, receipt_email and shipping "
            "can change now."
        )
    if params.get("customer") is not None:
        state.require("customer", params["customer"], "customer", "customer")
    if params.get("payment_method") is not None:
        pm = payment_methods.resolve(state, params["payment_method"])
        check_ownership(pm, params.get("customer") or intent["customer"])
        params["payment_method"] = pm["id"]
    if params.get("currency") is not None:
        params["currency"] = currency_param(params["currency"])
    if params.get("amount") is not None:
        check_amount(params["amount"], params.get("currency") or intent["currency"])


def apply_update(state: State, intent: dict[str, Any], params: dict[str, Any]) -> None:
    """A new payment method makes the PaymentIntent ready to confirm."""
    if params.get("payment_method") is not None:
        intent["payment_method"] = params["payment_method"]
        if intent["status"] == "requires_payment_method":
            intent["status"] = "requires_confirmation"


def cancel_intent(state: State, intent: dict[str, Any], reason: str | None) -> dict[str, Any]:
    if intent["status"] not in CANCELABLE:
        raise unexpected_state(
            f"You cannot cancel this PaymentIntent because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
            f"be canceled: {', '.join(CANCELABLE)}."
        )
    if intent["status"] == "requires_capture":
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
