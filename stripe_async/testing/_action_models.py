"""Small models of actions whose effect is more than a status word (`_actions.py`).

One declaration per operation, by its name in the API (`payouts.reverse`): the
parameters it honours (any other one Stripe accepts is refused as
`emulator_unsupported`) and what it does, as Stripe documents it. An action on an
object gets it loaded and checked first; the generic layer sends the object's
events after. Each model refuses, with Stripe's 400, a call the object's state
does not allow (reversing a payout that is not paid), rather than pretend.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._errors import EmulatorError, invalid, not_found
from ._resources import kinds
from ._state import State, set_metadata


@dataclass(frozen=True)
class Call:
    """One call of a modelled action."""

    state: State
    params: dict[str, Any]
    #: The object the path names (None for an action on a collection).
    obj: dict[str, Any] | None
    #: A fresh object of a kind, as a generic create fills it (given by the generic layer).
    new: Callable[[State, str], dict[str, Any]]


@dataclass(frozen=True)
class Model:
    """What an action does, and the parameters it honours."""

    run: Callable[[Call], dict[str, Any]]
    params: tuple[str, ...] = ()


def _own(call: Call) -> dict[str, Any]:
    assert call.obj is not None, "declared on an operation whose path names its object"
    return call.obj


def _make(call: Call, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A new stored object of `kind`, as a generic create makes it, with `fields` set."""
    obj = call.new(call.state, kind)
    obj.update(fields)
    return call.state.store.put(obj)


def _emit(state: State, event_type: str, obj: dict[str, Any]) -> None:
    from ..models._event_types import EVENT_OBJECT_KIND

    if event_type in EVENT_OBJECT_KIND:
        state.emit(event_type, obj)


# --- payouts and accounts ------------------------------------------------------


def _reverse_payout(call: Call) -> dict[str, Any]:
    """A paid payout is reversed by a new payout that debits the bank account; the
    answer is that reversing payout (`original_payout`), the paid one names it in
    `reversed_by`. A pending payout is canceled instead, as Stripe says."""
    payout = _own(call)
    if payout["status"] != "paid":
        raise invalid(
            f"You can only reverse payouts with a status of paid; this payout is "
            f"{payout['status']}. A pending payout can be canceled instead."
        )
    if payout.get("reversed_by") is not None:
        raise invalid(f"This payout has already been reversed by {payout['reversed_by']}.")
    reversal = copy.deepcopy(payout)
    for name in ("id", "created", "metadata", "balance_transaction", "trace_id"):
        reversal.pop(name, None)
    fresh = _make(call, "payout", {})
    fresh.update(reversal)
    fresh.update(
        {
            "status": "pending",
            "original_payout": payout["id"],
            "reversed_by": None,
            "failure_code": None,
            "failure_message": None,
            "failure_balance_transaction": None,
        }
    )
    set_metadata(fresh, call.params.get("metadata"))
    payout["reversed_by"] = fresh["id"]
    _emit(call.state, "payout.created", fresh)
    return fresh


_REJECT_REASONS = ("fraud", "terms_of_service", "other")


def _reject_account(call: Call) -> dict[str, Any]:
    """A rejected account can take no charges nor payouts; `requirements.disabled_reason`
    says why (`rejected.fraud`). Only accounts the platform is liable for (Custom and
    Express) can be rejected."""
    account = _own(call)
    reason = call.params["reason"]
    if reason not in _REJECT_REASONS:
        raise invalid(
            "Invalid reason: must be one of fraud, terms_of_service, or other", param="reason"
        )
    if account.get("type") not in ("custom", "express"):
        raise invalid("Only Custom and Express accounts can be rejected by their platform.")
    requirements = account.get("requirements")
    if isinstance(requirements, dict) and str(requirements.get("disabled_reason")).startswith(
        "rejected."
    ):
        raise invalid("This account has already been rejected.")
    call.state.meta.setdefault(account["id"], {})["before_rejection"] = {
        "charges_enabled": account.get("charges_enabled"),
        "payouts_enabled": account.get("payouts_enabled"),
        "disabled_reason": requirements.get("disabled_reason")
        if isinstance(requirements, dict)
        else None,
    }
    account["charges_enabled"] = False
    account["payouts_enabled"] = False
    if isinstance(requirements, dict):
        requirements["disabled_reason"] = f"rejected.{reason}"
    return account


def _unreject_account(call: Call) -> dict[str, Any]:
    """Undoes a rejection: the account is as it was before it."""
    account = _own(call)
    before = call.state.meta.get(account["id"], {}).pop("before_rejection", None)
    if before is None:
        raise invalid("This account is not rejected.")
    account["charges_enabled"] = before["charges_enabled"]
    account["payouts_enabled"] = before["payouts_enabled"]
    if isinstance(account.get("requirements"), dict):
        account["requirements"]["disabled_reason"] = before["disabled_reason"]
    return account


# --- apps secrets ----------------------------------------------------------------


def _secret_named(call: Call) -> dict[str, Any]:
    """The newest secret with this name in this scope (Stripe keeps one per pair)."""
    name, scope = call.params["name"], call.params["scope"]
    for secret in call.state.store.newest_first("apps.secret"):
        if secret.get("name") == name and secret.get("scope") == scope:
            return secret
    raise not_found("secret", name, param="name")


def _find_secret(call: Call) -> dict[str, Any]:
    return _secret_named(call)


def _delete_secret(call: Call) -> dict[str, Any]:
    """The secret is gone; the answer is it, marked `deleted` (its value left out)."""
    secret = _secret_named(call)
    call.state.store.delete(secret["id"])
    gone = {key: value for key, value in secret.items() if key != "payload"}
    return {**gone, "deleted": True}


# --- financial connections ---------------------------------------------------------

#: The permission each feature needs, and the field its refresh is reported in.
_FEATURES = {
    "balance": ("balances", "balance_refresh"),
    "ownership": ("ownership", "ownership_refresh"),
    "transactions": ("transactions", "transaction_refresh"),
}


def _features(call: Call, allowed: tuple[str, ...]) -> list[str]:
    account = _own(call)
    features = list(call.params["features"] or [])
    for feature in features:
        if feature not in allowed:
            raise invalid(
                f"Invalid features[]: must be one of {', '.join(allowed)}", param="features"
            )
        permission = _FEATURES[feature][0]
        if permission not in (account.get("permissions") or []):
            raise invalid(
                f"The account was not granted the {permission} permission, so its "
                f"{feature} data cannot be accessed.",
                param="features",
            )
    if account.get("status") != "active":
        raise invalid("Only an active Financial Connections account can be refreshed.")
    return features


def _refresh(call: Call) -> dict[str, Any]:
    """Each feature's refresh starts (`pending`), stamped with when it was asked for."""
    account = _own(call)
    now = call.state.now()
    for feature in _features(call, ("balance", "ownership", "transactions")):
        field = _FEATURES[feature][1]
        refresh: dict[str, Any] = {
            "last_attempted_at": now,
            "next_refresh_available_at": None,
            "status": "pending",
        }
        if feature == "transactions":
            refresh = {"id": call.state.new_id("fctxnref"), **refresh}
        account[field] = refresh
    return account


def _subscribe(call: Call) -> dict[str, Any]:
    account = _own(call)
    current = list(account.get("subscriptions") or [])
    for feature in _features(call, ("transactions",)):
        if feature not in current:
            current.append(feature)
    account["subscriptions"] = current
    return account


def _unsubscribe(call: Call) -> dict[str, Any]:
    account = _own(call)
    dropped = _features(call, ("transactions",))
    account["subscriptions"] = [f for f in account.get("subscriptions") or [] if f not in dropped]
    return account


# --- identity, payment method domains ------------------------------------------------


def _redact(call: Call) -> dict[str, Any]:
    """Redaction starts (`redaction.status = processing`); a session still waiting for
    input is canceled by it; one being processed cannot be redacted yet."""
    session = _own(call)
    if session["status"] == "processing":
        raise invalid("A VerificationSession cannot be redacted while it is processing.")
    if isinstance(session.get("redaction"), dict):
        raise invalid("This VerificationSession has already been redacted.")
    if session["status"] == "requires_input":
        session["status"] = "canceled"
    session["redaction"] = {"status": "processing"}
    return session


_WALLETS = ("amazon_pay", "apple_pay", "google_pay", "klarna", "link", "paypal")


def _validate_domain(call: Call) -> dict[str, Any]:
    """The emulator has no registration steps to miss: every payment method on the
    domain is `active` once validated."""
    domain = _own(call)
    for wallet in _WALLETS:
        if wallet in domain:
            domain[wallet] = {"status": "active"}
    return domain


# --- issuing ---------------------------------------------------------------------


def _pending_authorization(call: Call) -> dict[str, Any]:
    authorization = _own(call)
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


def _increment(call: Call) -> dict[str, Any]:
    authorization = _pending_authorization(call)
    step = call.params["increment_amount"]
    if step <= 0:
        raise invalid("The increment amount must be positive.", param="increment_amount")
    _set_amount(authorization, authorization["amount"] + step)
    return authorization


def _finalize_amount(call: Call) -> dict[str, Any]:
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
    transaction = _make(
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
    _emit(state, "issuing_transaction.created", transaction)
    return transaction


def _force_capture(call: Call) -> dict[str, Any]:
    return _card_transaction(call, -1, "capture")


def _unlinked_refund(call: Call) -> dict[str, Any]:
    return _card_transaction(call, 1, "refund")


# --- treasury --------------------------------------------------------------------


def _return_inbound_transfer(call: Call) -> dict[str, Any]:
    """A succeeded InboundTransfer is returned: `returned` is set and a ReceivedDebit,
    the money going back, is linked to it."""
    transfer = _own(call)
    if transfer["status"] != "succeeded":
        raise invalid(
            f"Only a succeeded InboundTransfer can be returned; this one is {transfer['status']}."
        )
    if transfer.get("returned"):
        raise invalid("This InboundTransfer has already been returned.")
    debit = _make(
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
    _emit(call.state, "treasury.received_debit.created", debit)
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


def _from_calculation(call: Call) -> dict[str, Any]:
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
    transaction = _make(
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


def _reversal(call: Call) -> dict[str, Any]:
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
    reversal = _make(
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
    attempt = _make(call, "payment_attempt_record", fields)
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


def _report_payment(call: Call) -> dict[str, Any]:
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
    record = _make(call, "payment_record", fields)
    set_metadata(record, params.get("metadata"))
    return _attempt(call, record)


def _report_attempt(call: Call) -> dict[str, Any]:
    """A new attempt, once every earlier one failed or was canceled."""
    record = _own(call)
    _, book = _latest(call, record)
    if book.get("outcome") not in ("failed", "canceled"):
        raise invalid(
            "A new payment attempt can only be reported once the earlier attempts "
            "failed or were canceled."
        )
    return _attempt(call, record)


def _reported(outcome: str) -> Callable[[Call], dict[str, Any]]:
    def run(call: Call) -> dict[str, Any]:
        record = _own(call)
        _settle(call, record, outcome)
        return record

    return run


def _report_informational(call: Call) -> dict[str, Any]:
    """Details learnt after the fact, on the record and its latest attempt."""
    record = _own(call)
    attempt, _ = _latest(call, record)
    for name in _DETAILS:
        if name in call.params:
            for obj in (record, attempt):
                obj[name] = copy.deepcopy(call.params[name])
    set_metadata(record, call.params.get("metadata"))
    return record


def _report_refund(call: Call) -> dict[str, Any]:
    """Money given back on a guaranteed payment (all that is left, unless `amount` says)."""
    record = _own(call)
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
MODELS: dict[str, Model] = {
    "payouts.reverse": Model(_reverse_payout, ("metadata",)),
    "accounts.reject": Model(_reject_account, ("reason",)),
    "accounts.unreject": Model(_unreject_account),
    "apps.secrets.find": Model(_find_secret, ("name", "scope")),
    "apps.secrets.delete_where": Model(_delete_secret, ("name", "scope")),
    "financial_connections.accounts.refresh": Model(_refresh, ("features",)),
    "financial_connections.accounts.subscribe": Model(_subscribe, ("features",)),
    "financial_connections.accounts.unsubscribe": Model(_unsubscribe, ("features",)),
    "identity.verification_sessions.redact": Model(_redact),
    "payment_method_domains.validate": Model(_validate_domain),
    "test_helpers.issuing.authorizations.increment": Model(_increment, ("increment_amount",)),
    "test_helpers.issuing.authorizations.finalize_amount": Model(
        _finalize_amount, ("final_amount",)
    ),
    "test_helpers.issuing.transactions.create_force_capture": Model(
        _force_capture, ("amount", "card", "currency", "merchant_data")
    ),
    "test_helpers.issuing.transactions.create_unlinked_refund": Model(
        _unlinked_refund, ("amount", "card", "currency", "merchant_data")
    ),
    "test_helpers.treasury.inbound_transfers.return_inbound_transfer": Model(
        _return_inbound_transfer
    ),
    "tax.transactions.create_from_calculation": Model(
        _from_calculation, ("calculation", "metadata", "posted_at", "reference")
    ),
    "tax.transactions.create_reversal": Model(
        _reversal, ("metadata", "mode", "original_transaction", "reference")
    ),
    "payment_records.report_payment": Model(
        _report_payment,
        (
            "amount_requested",
            "customer_details",
            "customer_presence",
            "description",
            "initiated_at",
            "metadata",
            "outcome",
            "payment_method_details",
            "processor_details",
            "shipping_details",
        ),
    ),
    "payment_records.report_payment_attempt": Model(
        _report_attempt,
        (
            "description",
            "initiated_at",
            "metadata",
            "outcome",
            "payment_method_details",
            "shipping_details",
        ),
    ),
    "payment_records.report_payment_attempt_canceled": Model(
        _reported("canceled"), ("canceled_at", "metadata")
    ),
    "payment_records.report_payment_attempt_failed": Model(
        _reported("failed"), ("failed_at", "metadata")
    ),
    "payment_records.report_payment_attempt_guaranteed": Model(
        _reported("guaranteed"), ("guaranteed_at", "metadata")
    ),
    "payment_records.report_payment_attempt_informational": Model(
        _report_informational, ("customer_details", "description", "metadata", "shipping_details")
    ),
    "payment_records.report_refund": Model(
        _report_refund, ("amount", "initiated_at", "metadata", "outcome", "processor_details")
    ),
}

__all__ = ["MODELS", "Call", "Model"]
