"""Small models of Issuing, Treasury and Tax actions (declared in `_action_models.py`)."""

from __future__ import annotations

import copy
from typing import Any

from ._action_call import Call, emit, make, own
from ._errors import EmulatorError, invalid
from ._resources import kinds
from ._state import State, set_metadata

# --- issuing ---------------------------------------------------------------------


def _pending_authorization(call: Call) -> dict[str, Any]:
    authorization = own(call)
    if authorization["status"] != "pending":
        raise invalid(
            f"This authorization is {authorization['status']}: only a pending "
            "authorization can be changed."
        )
    return authorization


def _set_amount(authorization: dict[str, Any], amount: int) -> None:
    authorization["amount"] = amount
    if authorization.get("merchant_currency") == authorization.get("currency"):
        authorization["merchant_amount"] = amount


def increment(call: Call) -> dict[str, Any]:
    authorization = _pending_authorization(call)
    step = call.params["increment_amount"]
    if step <= 0:
        raise invalid("The increment amount must be positive.", param="increment_amount")
    _set_amount(authorization, authorization["amount"] + step)
    return authorization


def finalize_amount(call: Call) -> dict[str, Any]:
    authorization = _pending_authorization(call)
    final = call.params["final_amount"]
    if final < 0:
        raise invalid("The final amount cannot be negative.", param="final_amount")
    _set_amount(authorization, final)
    return authorization


def _card_transaction(call: Call, sign: int, kind: str) -> dict[str, Any]:
    """A transaction on a card with no authorization: a capture (which takes money,
    so a negative amount) or a refund (which gives it back)."""
    state, params = call.state, call.params
    card = state.require("issuing.card", params["card"], "card", param="card")
    amount = params["amount"]
    currency = (params.get("currency") or card.get("currency") or "usd").lower()
    cardholder = card.get("cardholder")
    template = kinds()["issuing.transaction"].template
    merchant = copy.deepcopy(template.get("merchant_data"))
    if isinstance(merchant, dict) and isinstance(params.get("merchant_data"), dict):
        merchant.update(params["merchant_data"])
    transaction = make(
        call,
        "issuing.transaction",
        {
            "type": kind,
            "amount": sign * amount,
            "merchant_amount": sign * amount,
            "currency": currency,
            "merchant_currency": currency,
            "card": card["id"],
            "cardholder": cardholder.get("id") if isinstance(cardholder, dict) else cardholder,
            "authorization": None,
            "merchant_data": merchant,
        },
    )
    emit(state, "issuing_transaction.created", transaction)
    return transaction


def force_capture(call: Call) -> dict[str, Any]:
    return _card_transaction(call, -1, "capture")


def unlinked_refund(call: Call) -> dict[str, Any]:
    return _card_transaction(call, 1, "refund")


# --- treasury --------------------------------------------------------------------


def return_inbound_transfer(call: Call) -> dict[str, Any]:
    """A succeeded InboundTransfer is returned: `returned` is set and a ReceivedDebit,
    the money going back, is linked to it."""
    transfer = own(call)
    if transfer["status"] != "succeeded":
        raise invalid(
            f"Only a succeeded InboundTransfer can be returned; this one is {transfer['status']}."
        )
    if transfer.get("returned"):
        raise invalid("This InboundTransfer has already been returned.")
    debit = make(
        call,
        "treasury.received_debit",
        {
            "amount": transfer["amount"],
            "currency": transfer["currency"],
            "financial_account": transfer.get("financial_account"),
            "description": transfer.get("statement_descriptor") or "",
            "status": "succeeded",
            "network": "ach",
        },
    )
    links = debit.get("linked_flows")
    if isinstance(links, dict):
        links["inbound_transfer"] = transfer["id"]
    transfer["returned"] = True
    flows = transfer.setdefault("linked_flows", {})
    if isinstance(flows, dict):
        flows["received_debit"] = debit["id"]
    emit(call.state, "treasury.received_debit.created", debit)
    return transfer


# --- tax transactions ------------------------------------------------------------

_FROM_CALCULATION = ("currency", "customer", "customer_details", "ship_from_details")


def _unique_reference(state: State, reference: str) -> None:
    for transaction in state.store.newest_first("tax.transaction"):
        if transaction.get("reference") == reference:
            raise invalid(
                f"A tax transaction with reference {reference!r} already exists: "
                "references are unique across transactions and reversals.",
                param="reference",
            )


def from_calculation(call: Call) -> dict[str, Any]:
    """A transaction records what a calculation computed, under a reference of the
    user's (unique); `posted_at` defaults to now."""
    state, params = call.state, call.params
    calculation = state.require(
        "tax.calculation", params["calculation"], "calculation", param="calculation"
    )
    expires = calculation.get("expires_at")
    if isinstance(expires, int) and expires < state.now():
        raise invalid("This tax calculation has expired.", param="calculation")
    _unique_reference(state, params["reference"])
    fields = {name: copy.deepcopy(calculation.get(name)) for name in _FROM_CALCULATION}
    transaction = make(
        call,
        "tax.transaction",
        {
            **fields,
            "shipping_cost": copy.deepcopy(calculation.get("shipping_cost")),
            "tax_date": calculation.get("tax_date", state.now()),
            "type": "transaction",
            "reference": params["reference"],
            "reversal": None,
            "line_items": None,
            "posted_at": params.get("posted_at") or state.now(),
        },
    )
    set_metadata(transaction, params.get("metadata"))
    return transaction


def reversal(call: Call) -> dict[str, Any]:
    """A full reversal of a transaction: a transaction of type `reversal` naming it."""
    state, params = call.state, call.params
    if params["mode"] != "full":
        raise EmulatorError(
            400,
            "The emulator models full reversals only (mode=full): partial reversals "
            "need Stripe's tax computation. Run this call against Stripe's test mode.",
            code="emulator_unsupported",
            param="mode",
        )
    original = state.require(
        "tax.transaction",
        params["original_transaction"],
        "transaction",
        param="original_transaction",
    )
    if original["type"] != "transaction":
        raise invalid("A reversal cannot be reversed.", param="original_transaction")
    book: dict[str, Any] = state.meta.setdefault(original["id"], {})
    if book.get("reversed"):
        raise invalid("This transaction has already been fully reversed.")
    _unique_reference(state, params["reference"])
    fields = {name: copy.deepcopy(original.get(name)) for name in _FROM_CALCULATION}
    reversal = make(
        call,
        "tax.transaction",
        {
            **fields,
            "shipping_cost": copy.deepcopy(original.get("shipping_cost")),
            "tax_date": original.get("tax_date"),
            "type": "reversal",
            "reference": params["reference"],
            "reversal": {"original_transaction": original["id"]},
            "line_items": None,
            "posted_at": state.now(),
        },
    )
    set_metadata(reversal, params.get("metadata"))
    book["reversed"] = True
    return reversal


__all__ = [
    "finalize_amount",
    "force_capture",
    "from_calculation",
    "increment",
    "return_inbound_transfer",
    "reversal",
    "unlinked_refund",
]
