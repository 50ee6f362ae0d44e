"""Routes of refunds: parse, call the flow, render."""

from __future__ import annotations

from typing import Any

from .._errors import EmulatorError, invalid
from .._flows.payments import charges
from .._flows.payments.money import format_amount
from .._flows.payments.refunds import new_refund
from .._modelled import Modelled
from .._params import BOOL, METADATA, STR, Int, Obj, Refused, Str
from .._router import Route
from .._state import State

CREATE = Obj(
    {
        "amount": Int(minimum=1),
        "charge": STR,
        "payment_intent": STR,
        "metadata": METADATA,
        "reason": Str("duplicate", "fraudulent", "requested_by_customer"),
        # Refunding a Connect charge's fee or transfer is not modelled: only false is.
        "refund_application_fee": Refused(BOOL, True),
        "reverse_transfer": Refused(BOOL, True),
    }
)


def _charge_for(state: State, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("charge") is not None and params.get("payment_intent") is not None:
        raise invalid(
            "You may only specify one of these parameters: charge, payment_intent.",
            code="parameters_exclusive",
        )
    if params.get("charge") is not None:
        return state.require("charge", params["charge"], "charge", "charge")
    if params.get("payment_intent") is not None:
        intent = state.require(
            "payment_intent", params["payment_intent"], "payment_intent", "payment_intent"
        )
        charge = state.store.get(intent["latest_charge"] or "", "charge")
        if charge is None or charge["status"] != "succeeded":
            raise invalid(
                f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund.",
                param="payment_intent",
            )
        return charge
    raise EmulatorError(
        400,
        "One of the following params should be provided for this request: payment_intent or "
        "charge.",
        code="parameter_missing",
        param="charge",
    )


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    charge = _charge_for(state, params)
    if charge["status"] != "succeeded":
        raise invalid(f"Charge {charge['id']} has failed and cannot be refunded.")
    if not charge["captured"]:
        raise invalid(
            f"Charge {charge['id']} has not been captured: cancel its PaymentIntent to "
            "release the authorization instead of refunding it.",
            code="charge_not_refundable",
        )
    if charge["refunded"]:
        raise invalid(
            f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded"
        )
    remaining = charge["amount"] - charge["amount_refunded"]
    amount = remaining if params.get("amount") is None else params["amount"]
    if amount > remaining:
        currency = charge["currency"]
        if charge["amount_refunded"]:
            detail = f"unrefunded amount on charge ({format_amount(remaining, currency)})"
        else:
            detail = f"charge amount ({format_amount(charge['amount'], currency)})"
        raise invalid(
            f"Refund amount ({format_amount(amount, currency)}) is greater than {detail}",
            param="amount",
            code="amount_too_large",
        )
    return new_refund(state, charge, amount, params.get("reason"), params.get("metadata") or {})


def cancel(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    refund = REFUNDS.find(state, id)
    raise invalid(
        f"Refund {refund['id']} cannot be canceled: only refunds with status requires_action "
        f"can be canceled, and this one is {refund['status']}.",
    )


def _sync_charge(state: State, refund: dict[str, Any], params: dict[str, Any]) -> None:
    charges.sync_refunds(state, state.require("charge", refund["charge"], "charge"))


REFUNDS = Modelled(
    "refund",
    create=create,
    create_params=CREATE,
    update_params=Obj({"metadata": METADATA}),
    after_update=_sync_charge,
    filters={"charge": STR, "payment_intent": STR},
)
ROUTES = [*REFUNDS.routes(), Route("POST", "/v1/refunds/{id}/cancel", cancel)]
