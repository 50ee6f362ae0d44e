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
from typing import Any

from . import _action_ledgers as ledgers
from . import _action_records as records
from ._action_call import Call, Model, emit, make, own
from ._errors import invalid, not_found
from ._state import set_metadata

# --- payouts and accounts ------------------------------------------------------


def _reverse_payout(call: Call) -> dict[str, Any]:
    """A paid payout is reversed by a new payout that debits the bank account; the
    answer is that reversing payout (`original_payout`), the paid one names it in
    `reversed_by`. A pending payout is canceled instead, as Stripe says."""
    payout = own(call)
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
    fresh = make(call, "payout", {})
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
    emit(call.state, "payout.created", fresh)
    return fresh


_REJECT_REASONS = ("fraud", "terms_of_service", "other")


def _reject_account(call: Call) -> dict[str, Any]:
    """A rejected account can take no charges nor payouts; `requirements.disabled_reason`
    says why (`rejected.fraud`). Only accounts the platform is liable for (Custom and
    Express) can be rejected."""
    account = own(call)
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
    account = own(call)
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
    account = own(call)
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
    account = own(call)
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
    account = own(call)
    current = list(account.get("subscriptions") or [])
    for feature in _features(call, ("transactions",)):
        if feature not in current:
            current.append(feature)
    account["subscriptions"] = current
    return account


def _unsubscribe(call: Call) -> dict[str, Any]:
    account = own(call)
    dropped = _features(call, ("transactions",))
    account["subscriptions"] = [f for f in account.get("subscriptions") or [] if f not in dropped]
    return account


# --- identity, payment method domains ------------------------------------------------


def _redact(call: Call) -> dict[str, Any]:
    """Redaction starts (`redaction.status = processing`); a session still waiting for
    input is canceled by it; one being processed cannot be redacted yet."""
    session = own(call)
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
    domain = own(call)
    for wallet in _WALLETS:
        if wallet in domain:
            domain[wallet] = {"status": "active"}
    return domain


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
    "test_helpers.issuing.authorizations.increment": Model(
        ledgers.increment, ("increment_amount",)
    ),
    "test_helpers.issuing.authorizations.finalize_amount": Model(
        ledgers.finalize_amount, ("final_amount",)
    ),
    "test_helpers.issuing.transactions.create_force_capture": Model(
        ledgers.force_capture, ("amount", "card", "currency", "merchant_data")
    ),
    "test_helpers.issuing.transactions.create_unlinked_refund": Model(
        ledgers.unlinked_refund, ("amount", "card", "currency", "merchant_data")
    ),
    "test_helpers.treasury.inbound_transfers.return_inbound_transfer": Model(
        ledgers.return_inbound_transfer
    ),
    "tax.transactions.create_from_calculation": Model(
        ledgers.from_calculation, ("calculation", "metadata", "posted_at", "reference")
    ),
    "tax.transactions.create_reversal": Model(
        ledgers.reversal, ("metadata", "mode", "original_transaction", "reference")
    ),
    "payment_records.report_payment": Model(
        records.report_payment,
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
        records.report_attempt,
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
        records.reported("canceled"), ("canceled_at", "metadata")
    ),
    "payment_records.report_payment_attempt_failed": Model(
        records.reported("failed"), ("failed_at", "metadata")
    ),
    "payment_records.report_payment_attempt_guaranteed": Model(
        records.reported("guaranteed"), ("guaranteed_at", "metadata")
    ),
    "payment_records.report_payment_attempt_informational": Model(
        records.report_informational,
        ("customer_details", "description", "metadata", "shipping_details"),
    ),
    "payment_records.report_refund": Model(
        records.report_refund,
        ("amount", "initiated_at", "metadata", "outcome", "processor_details"),
    ),
}

__all__ = ["MODELS", "Call", "Model"]
