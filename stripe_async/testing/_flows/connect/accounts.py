"""Connect: connected accounts, onboarding links, transfers and application fees.

A destination charge (a PaymentIntent with `transfer_data[destination]`) that
succeeds moves its amount, less `application_fee_amount`, to the connected account
with a Transfer, and records the platform's ApplicationFee.
"""

from __future__ import annotations

from typing import Any

from ..._errors import invalid
from ..._lists import sublist
from ..._state import State, set_metadata
from ..payments import balance
from ..payments.money import currency_param

_TYPES = ("custom", "express", "standard")
_ONBOARDING = [
    "business_profile.mcc",
    "business_profile.url",
    "business_type",
    "external_account",
    "representative.first_name",
    "representative.last_name",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]


def _requirements(due: list[str]) -> dict[str, Any]:
    return {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": list(due),
        "disabled_reason": "requirements.past_due" if due else None,
        "errors": [],
        "eventually_due": list(due),
        "past_due": list(due),
        "pending_verification": [],
    }


def _controller(kind: str | None, given: dict[str, Any] | None) -> dict[str, Any]:
    if kind == "standard" or (given or {}).get("stripe_dashboard", {}).get("type") == "full":
        return {"is_controller": True, "type": "application", "stripe_dashboard": {"type": "full"}}
    dashboard = "express" if kind == "express" else "none"
    return {
        "fees": {"payer": "application"},
        "is_controller": True,
        "losses": {"payments": "application"},
        "requirement_collection": "application" if kind == "custom" else "stripe",
        "stripe_dashboard": {"type": dashboard},
        "type": "application",
    }


def new_account(state: State, params: dict[str, Any]) -> dict[str, Any]:
    kind = params.get("type")
    if kind is None and params.get("controller") is None:
        kind = "standard"
    requested = params.get("capabilities") or {}
    if kind in ("custom", "express") and not requested:
        raise invalid(
            "You must request at least one capability (such as `capabilities[transfers]"
            "[requested]=true`) when creating an express or custom account.",
            param="capabilities",
        )
    capabilities = {
        name: "inactive"
        for name, spec in requested.items()
        if isinstance(spec, dict) and spec.get("requested") in (True, "true")
    }
    account_id = state.new_id("acct")
    profile = params.get("business_profile") or {}
    account: dict[str, Any] = {
        "id": account_id,
        "object": "account",
        "business_profile": {
            "annual_revenue": None,
            "estimated_worker_count": None,
            "mcc": profile.get("mcc"),
            "minority_owned_business_designation": None,
            "name": profile.get("name"),
            "product_description": profile.get("product_description"),
            "support_address": None,
            "support_email": None,
            "support_phone": None,
            "support_url": None,
            "url": profile.get("url"),
        },
        "business_type": params.get("business_type"),
        "capabilities": capabilities,
        "charges_enabled": False,
        "controller": _controller(kind, params.get("controller")),
        "country": params.get("country") or "US",
        "created": state.now(),
        "default_currency": currency_param(params.get("default_currency") or "usd"),
        "details_submitted": False,
        "email": params.get("email"),
        "external_accounts": sublist([], f"/v1/accounts/{account_id}/external_accounts"),
        "future_requirements": _requirements([]),
        "metadata": {},
        "payouts_enabled": False,
        "requirements": _requirements(_ONBOARDING),
        "settings": {
            "branding": {
                "icon": None,
                "logo": None,
                "primary_color": None,
                "secondary_color": None,
            },
            "card_payments": {
                "decline_on": {"avs_failure": False, "cvc_failure": False},
                "statement_descriptor_prefix": None,
                "statement_descriptor_prefix_kana": None,
                "statement_descriptor_prefix_kanji": None,
            },
            "dashboard": {"display_name": profile.get("name"), "timezone": "Etc/UTC"},
            "invoices": {"default_account_tax_ids": None, "hosted_payment_method_save": None},
            "payments": {
                "statement_descriptor": None,
                "statement_descriptor_kana": None,
                "statement_descriptor_kanji": None,
            },
            "payouts": {
                "debit_negative_balances": True,
                "schedule": {"delay_days": 2, "interval": "daily"},
                "statement_descriptor": None,
            },
        },
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": kind or "none",
    }
    set_metadata(account, params.get("metadata"))
    state.store.put(account)
    return account


def finish_onboarding(state: State, account: dict[str, Any]) -> dict[str, Any]:
    """The account holder completes onboarding: requirements met, capabilities active."""
    before = {
        "capabilities": dict(account["capabilities"]),
        "charges_enabled": account["charges_enabled"],
        "details_submitted": account["details_submitted"],
        "payouts_enabled": account["payouts_enabled"],
        "requirements": dict(account["requirements"]),
    }
    account["capabilities"] = {name: "active" for name in account["capabilities"]}
    account.update(
        charges_enabled=True,
        details_submitted=True,
        payouts_enabled=True,
        requirements=_requirements([]),
    )
    account["tos_acceptance"].update(date=state.now(), ip="127.0.0.1")
    # Stripe sends account.updated to the platform's Connect endpoints.
    scope, state.store.scope = state.store.scope, account["id"]
    try:
        state.emit("account.updated", account, before)
    finally:
        state.store.scope = scope
    return account


def new_account_link(state: State, params: dict[str, Any]) -> dict[str, Any]:
    account = state.require("account", params["account"], "account", "account")
    now = state.now()
    return {
        "object": "account_link",
        "created": now,
        "expires_at": now + 300,
        "url": f"https://connect.stripe.com/setup/e/{account['id']}/{state.ids.token(12)}",
    }


def destination(state: State, account_id: Any, param: str) -> dict[str, Any]:
    """A connected account that can receive transfers, or Stripe's 400."""
    account = state.store.get(account_id, "account") if isinstance(account_id, str) else None
    if account is None:
        raise invalid(f"No such destination: '{account_id}'", param=param)
    if account["capabilities"].get("transfers") != "active":
        raise invalid(
            "Your destination account needs to have at least one of the following "
            "capabilities enabled: transfers, crypto_transfers, legacy_payments",
            param=param,
        )
    return account


def new_transfer(
    state: State,
    *,
    amount: int,
    currency: str,
    account: dict[str, Any],
    source_transaction: str | None = None,
    transfer_group: str | None = None,
    description: str | None = None,
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    transfer_id = state.new_id("tr")
    transfer: dict[str, Any] = {
        "id": transfer_id,
        "object": "transfer",
        "amount": amount,
        "amount_reversed": 0,
        "balance_transaction": balance.record(
            state, amount=-amount, currency=currency, type="transfer", source=transfer_id
        ),
        "created": state.now(),
        "currency": currency,
        "description": description,
        "destination": account["id"],
        "destination_payment": state.new_id("py"),
        "livemode": False,
        "metadata": dict(metadata or {}),
        "reversals": sublist([], f"/v1/transfers/{transfer_id}/reversals"),
        "reversed": False,
        "source_transaction": source_transaction,
        "source_type": "card",
        "transfer_group": transfer_group,
    }
    state.store.put(transfer)
    state.emit("transfer.created", transfer)
    return transfer


def on_payment_intent(state: State, intent: dict[str, Any]) -> None:
    """A destination charge succeeded: transfer the account's share, keep the fee."""
    target = (intent.get("transfer_data") or {}).get("destination")
    if target is None or intent["status"] != "succeeded":
        return
    charge = state.store.get(intent["latest_charge"] or "", "charge")
    if charge is None or "transfer" in charge:
        return
    account = state.store.get(target, "account")
    if account is None:
        return
    fee_amount = intent.get("application_fee_amount") or 0
    share = intent["transfer_data"].get("amount")
    transfer = new_transfer(
        state,
        amount=share if share is not None else charge["amount"] - fee_amount,
        currency=charge["currency"],
        account=account,
        source_transaction=charge["id"],
        transfer_group=intent.get("transfer_group") or f"group_{intent['id']}",
    )
    charge.update(
        transfer=transfer["id"],
        transfer_data={"amount": share, "destination": account["id"]},
        transfer_group=transfer["transfer_group"],
        application_fee_amount=fee_amount or None,
    )
    if fee_amount:
        fee = _new_fee(state, fee_amount, charge, account, transfer)
        charge["application_fee"] = fee["id"]


def _new_fee(
    state: State,
    amount: int,
    charge: dict[str, Any],
    account: dict[str, Any],
    transfer: dict[str, Any],
) -> dict[str, Any]:
    fee_id = state.new_id("fee")
    fee: dict[str, Any] = {
        "id": fee_id,
        "object": "application_fee",
        "account": account["id"],
        "amount": amount,
        "amount_refunded": 0,
        "application": "ca_emulator",
        "balance_transaction": balance.record(
            state, amount=amount, currency=charge["currency"], type="application_fee", source=fee_id
        ),
        "charge": transfer["destination_payment"],
        "created": state.now(),
        "currency": charge["currency"],
        "fee_source": {"charge": transfer["destination_payment"], "type": "charge"},
        "livemode": False,
        "originating_transaction": charge["id"],
        "refunded": False,
        "refunds": sublist([], f"/v1/application_fees/{fee_id}/refunds"),
    }
    state.store.put(fee)
    state.emit("application_fee.created", fee)
    return fee


def install(state: State) -> None:
    state.on("payment_intent.changed", on_payment_intent)
