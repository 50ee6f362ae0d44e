"""Small models of Payment Records: payments made outside Stripe and reported to it
(declared in `_action_models.py`). A record follows its latest attempt: the amount
requested moves into the amount of the outcome reported for it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ._action_call import Call, make, own
from ._errors import invalid
from ._state import set_metadata

# --- payment records (payments made outside Stripe, reported to it) ----------------

_AMOUNTS = ("amount_authorized", "amount_canceled", "amount_failed", "amount_guaranteed")
#: What a reported outcome moves the requested amount into.
_OUTCOMES = {
    "guaranteed": ("amount_authorized", "amount_guaranteed"),
    "failed": ("amount_failed",),
    "canceled": ("amount_canceled",),
}
_DETAILS = ("customer_details", "description", "shipping_details")


def _money(currency: str, value: int) -> dict[str, Any]:
    return {"currency": currency, "value": value}


def _attempt(call: Call, record: dict[str, Any]) -> dict[str, Any]:
    """A new payment attempt on `record`, pending until an outcome is reported."""
    params = call.params
    requested = copy.deepcopy(record["amount_requested"])
    zero = _money(requested["currency"], 0)
    fields: dict[str, Any] = {
        "amount": requested,
        "amount_requested": copy.deepcopy(requested),
        "amount_refunded": copy.deepcopy(zero),
        **{name: copy.deepcopy(zero) for name in _AMOUNTS},
        "payment_record": record["id"],
        "reported_by": "user",
        "customer_presence": record.get("customer_presence"),
        "processor_details": copy.deepcopy(record.get("processor_details")),
    }
    for name in (*_DETAILS, "payment_method_details"):
        value = params.get(name, record.get(name))
        fields[name] = copy.deepcopy(value)
    attempt = make(call, "payment_attempt_record", fields)
    set_metadata(attempt, params.get("metadata"))
    record["latest_payment_attempt_record"] = attempt["id"]
    record.update({name: copy.deepcopy(zero) for name in _AMOUNTS})
    call.state.meta.setdefault(attempt["id"], {})["outcome"] = "pending"
    outcome = params.get("outcome")
    if outcome is not None:
        _settle(call, record, str(outcome))
    return record


def _latest(call: Call, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    attempt = call.state.store.get(str(record.get("latest_payment_attempt_record")))
    if attempt is None:
        raise invalid("This payment record has no payment attempt to report on.")
    return attempt, call.state.meta.setdefault(attempt["id"], {})


def _settle(call: Call, record: dict[str, Any], outcome: str) -> None:
    """The latest attempt's outcome: its requested amount moves into the outcome's
    amounts, on the attempt and on the record. Only a pending attempt has one to report."""
    if outcome not in _OUTCOMES:
        raise invalid(
            "Invalid outcome: must be one of canceled, failed, or guaranteed", param="outcome"
        )
    attempt, book = _latest(call, record)
    if book.get("outcome") != "pending":
        raise invalid(
            f"The latest payment attempt is already {book.get('outcome')}: only a pending "
            "attempt can be reported as " + outcome + "."
        )
    book["outcome"] = outcome
    for name in _OUTCOMES[outcome]:
        for obj in (attempt, record):
            obj[name] = copy.deepcopy(record["amount_requested"])


def report_payment(call: Call) -> dict[str, Any]:
    """A payment made outside Stripe: the record and its first attempt."""
    params = call.params
    requested = params["amount_requested"]
    currency = str(requested["currency"]).lower()
    fields: dict[str, Any] = {
        "amount_requested": _money(currency, int(requested["value"])),
        "amount": _money(currency, int(requested["value"])),
        "amount_refunded": _money(currency, 0),
        "reported_by": "user",
        "customer_presence": params.get("customer_presence"),
        "payment_method_details": copy.deepcopy(params["payment_method_details"]),
        "processor_details": copy.deepcopy(params.get("processor_details") or {"type": "custom"}),
        "latest_payment_attempt_record": None,
    }
    for name in _DETAILS:
        fields[name] = copy.deepcopy(params.get(name))
    record = make(call, "payment_record", fields)
    set_metadata(record, params.get("metadata"))
    return _attempt(call, record)


def report_attempt(call: Call) -> dict[str, Any]:
    """A new attempt, once every earlier one failed or was canceled."""
    record = own(call)
    _, book = _latest(call, record)
    if book.get("outcome") not in ("failed", "canceled"):
        raise invalid(
            "A new payment attempt can only be reported once the earlier attempts "
            "failed or were canceled."
        )
    return _attempt(call, record)


def reported(outcome: str) -> Callable[[Call], dict[str, Any]]:
    def run(call: Call) -> dict[str, Any]:
        record = own(call)
        _settle(call, record, outcome)
        return record

    return run


def report_informational(call: Call) -> dict[str, Any]:
    """Details learnt after the fact, on the record and its latest attempt."""
    record = own(call)
    attempt, _ = _latest(call, record)
    for name in _DETAILS:
        if name in call.params:
            for obj in (record, attempt):
                obj[name] = copy.deepcopy(call.params[name])
    set_metadata(record, call.params.get("metadata"))
    return record


def report_refund(call: Call) -> dict[str, Any]:
    """Money given back on a guaranteed payment (all that is left, unless `amount` says)."""
    record = own(call)
    attempt, book = _latest(call, record)
    if book.get("outcome") != "guaranteed":
        raise invalid("Only a guaranteed payment can be refunded.")
    left = record["amount_guaranteed"]["value"] - record["amount_refunded"]["value"]
    amount = call.params.get("amount")
    value = int(amount["value"]) if isinstance(amount, dict) else left
    if value <= 0 or value > left:
        raise invalid(
            f"The refund amount must be positive and at most {left}, what is left to refund.",
            param="amount",
        )
    for obj in (record, attempt):
        obj["amount_refunded"]["value"] += value
    set_metadata(record, call.params.get("metadata"))
    return record


#: Every modelled action of this kind, by operation name.

__all__ = ["report_attempt", "report_informational", "report_payment", "report_refund", "reported"]
