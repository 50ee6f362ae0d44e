"""/v1/charges: the Charge objects payments create, and legacy token charges."""

from __future__ import annotations

import copy
from typing import Any

from ..._cards import Card, Decline
from ..._errors import invalid
from ..._lists import sublist
from ..._state import State
from . import balance, disputes, payment_methods


def _outcome(decline: Decline | None) -> dict[str, Any]:
    if decline is None:
        return {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "risk_score": 20,
            "seller_message": "Payment complete.",
            "type": "authorized",
        }
    return {
        "advice_code": "try_again_later" if decline.code == "processing_error" else None,
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": "declined_by_network",
        "reason": decline.decline_code,
        "risk_level": "normal",
        "risk_score": 20,
        "seller_message": "The bank did not return any further details with this decline.",
        "type": "issuer_declined",
    }


def _card_details(pm: dict[str, Any], card: Card, amount: int, three_ds: bool) -> dict[str, Any]:
    exp_month = pm["card"]["exp_month"] if pm["object"] == "payment_method" else pm["exp_month"]
    exp_year = pm["card"]["exp_year"] if pm["object"] == "payment_method" else pm["exp_year"]
    return {
        "card": {
            "amount_authorized": amount,
            "authorization_code": None,
            "brand": card.brand,
            "checks": payment_methods.card_checks(),
            "country": card.country,
            "exp_month": exp_month,
            "exp_year": exp_year,
            "extended_authorization": {"status": "disabled"},
            "fingerprint": card.fingerprint,
            "funding": card.funding,
            "incremental_authorization": {"status": "unavailable"},
            "installments": None,
            "last4": card.last4,
            "mandate": None,
            "multicapture": {"status": "unavailable"},
            "network": card.brand,
            "network_token": {"used": False},
            "network_transaction_id": None,
            "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
            "regulated_status": "unregulated",
            "three_d_secure": (
                {
                    "authentication_flow": "challenge",
                    "electronic_commerce_indicator": "05",
                    "exemption_indicator": None,
                    "result": "authenticated",
                    "result_reason": None,
                    "transaction_id": None,
                    "version": "2.2.0",
                }
                if three_ds
                else None
            ),
            "wallet": None,
        },
        "type": "card",
    }


def new_charge(
    state: State,
    *,
    amount: int,
    currency: str,
    pm: dict[str, Any],
    customer: str | None,
    capture: bool,
    decline: Decline | None,
    payment_intent: str | None = None,
    description: str | None = None,
    metadata: dict[str, str] | None = None,
    receipt_email: str | None = None,
    shipping: dict[str, Any] | None = None,
    three_ds: bool = False,
) -> dict[str, Any]:
    """Store a Charge for one payment attempt and emit charge.succeeded/failed."""
    card = payment_methods.card_behaviour(state, pm)
    succeeded = decline is None
    charge_id = state.new_id("ch")
    if pm["object"] == "payment_method":
        billing = copy.deepcopy(pm["billing_details"])
    else:
        billing = payment_methods.billing_from_source(pm)
    charge: dict[str, Any] = {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount if succeeded and capture else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": (
            balance.record(state, amount=amount, currency=currency, type="charge", source=charge_id)
            if succeeded and capture
            else None
        ),
        "billing_details": billing,
        "calculated_statement_descriptor": "STRIPE EMULATOR",
        "captured": succeeded and capture,
        "created": state.now(),
        "currency": currency,
        "customer": customer,
        "description": description,
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": None if decline is None else decline.code,
        "failure_message": None if decline is None else decline.message,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(metadata or {}),
        "on_behalf_of": None,
        "outcome": _outcome(decline),
        "paid": succeeded,
        "payment_intent": payment_intent,
        "payment_method": pm["id"],
        "payment_method_details": _card_details(pm, card, amount, three_ds),
        "receipt_email": receipt_email,
        "receipt_number": None,
        "receipt_url": f"https://pay.stripe.com/receipts/payment/{state.ids.token(40)}",
        "refunded": False,
        "refunds": sublist([], f"/v1/charges/{charge_id}/refunds"),
        "review": None,
        "shipping": copy.deepcopy(shipping),
        "source": None if pm["object"] == "payment_method" else copy.deepcopy(pm),
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "succeeded" if succeeded else "failed",
        "transfer_data": None,
        "transfer_group": None,
    }
    state.store.put(charge)
    state.emit("charge.succeeded" if succeeded else "charge.failed", charge)
    if succeeded and capture and card.dispute is not None:
        disputes.open_dispute(state, charge, card.dispute, inquiry=card.inquiry)
    return charge


def sync_refunds(state: State, charge: dict[str, Any]) -> None:
    """Refresh the embedded `refunds` list after a refund changed."""
    refunds = [r for r in state.store.newest_first("refund") if r["charge"] == charge["id"]]
    charge["refunds"] = sublist(copy.deepcopy(refunds), f"/v1/charges/{charge['id']}/refunds")


def capture_charge(state: State, charge: dict[str, Any], amount: int | None) -> dict[str, Any]:
    """Capture an authorized charge (all, or part: the rest is released)."""
    if charge["captured"]:
        raise invalid(
            f"Charge {charge['id']} has already been captured.", code="charge_already_captured"
        )
    if charge["status"] != "succeeded" or charge["refunded"]:
        raise invalid(
            f"Charge {charge['id']} cannot be captured: it is {charge['status']}"
            + (" and refunded." if charge["refunded"] else "."),
            code="charge_expired_for_capture" if charge["refunded"] else None,
        )
    amount = charge["amount"] if amount is None else amount
    if amount > charge["amount"]:
        raise invalid(
            f"You cannot capture more than the charge amount ({amount} > {charge['amount']}).",
            param="amount",
            code="amount_too_large",
        )
    before = copy.deepcopy(charge)
    charge["captured"] = True
    charge["amount_captured"] = amount
    charge["amount_refunded"] = charge["amount"] - amount
    charge["balance_transaction"] = balance.record(
        state, amount=amount, currency=charge["currency"], type="charge", source=charge["id"]
    )
    state.emit("charge.captured", charge, {k: before[k] for k in ("amount_captured", "captured")})
    return charge
