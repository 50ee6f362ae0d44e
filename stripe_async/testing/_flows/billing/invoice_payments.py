"""/v1/invoice_payments: how an invoice reaches its PaymentIntent in the current API.

Finalizing an invoice with an amount due creates its default InvoicePayment, which
names the PaymentIntent Stripe made for it (`payment.payment_intent`). Invoices no
longer carry `payment_intent`; they offer two includable fields instead, computed
here when expanded: `payments` (a list of these objects) and `confirmation_secret`
(the PaymentIntent's client secret, for Stripe.js).
"""

from __future__ import annotations

from typing import Any

from ..._lists import paginate
from ..._state import State

URL = "/v1/invoice_payments"


def open_payment(state: State, invoice: dict[str, Any], intent: dict[str, Any]) -> dict[str, Any]:
    """The invoice's default payment, open until its PaymentIntent succeeds."""
    payment: dict[str, Any] = {
        "id": state.new_id("inpay"),
        "object": "invoice_payment",
        "amount_paid": None,
        "amount_requested": intent["amount"],
        "created": state.now(),
        "currency": intent["currency"],
        "invoice": invoice["id"],
        "is_default": True,
        "livemode": False,
        "payment": {"payment_intent": intent["id"], "type": "payment_intent"},
        "status": "open",
        "status_transitions": {"canceled_at": None, "paid_at": None},
    }
    state.store.put(payment)
    # The hidden link the emulator pays through (Stripe's invoice no longer shows it).
    state.meta.setdefault(invoice["id"], {})["payment_intent"] = intent["id"]
    return payment


def intent_of(state: State, invoice: dict[str, Any]) -> dict[str, Any] | None:
    """The PaymentIntent made when the invoice was finalized, if any."""
    intent_id = state.meta.get(invoice["id"], {}).get("payment_intent")
    return state.store.get(intent_id, "payment_intent") if intent_id else None


def payments_of(state: State, invoice_id: str) -> list[dict[str, Any]]:
    """The invoice's payments, newest first."""
    return [p for p in state.store.newest_first("invoice_payment") if p["invoice"] == invoice_id]


def _default(state: State, invoice_id: str) -> dict[str, Any] | None:
    return next((p for p in payments_of(state, invoice_id) if p["is_default"]), None)


def settle(state: State, invoice: dict[str, Any], amount: int) -> None:
    """The default payment was paid (the invoice's PaymentIntent succeeded)."""
    payment = _default(state, invoice["id"])
    if payment is None or payment["status"] != "open":
        return
    payment.update(status="paid", amount_paid=amount)
    payment["status_transitions"]["paid_at"] = state.now()
    state.emit("invoice_payment.paid", payment)


def cancel(state: State, invoice: dict[str, Any]) -> None:
    """The default payment will not be paid (invoice voided or paid out of band)."""
    payment = _default(state, invoice["id"])
    if payment is None or payment["status"] != "open":
        return
    payment["status"] = "canceled"
    payment["status_transitions"]["canceled_at"] = state.now()


def include_payments(state: State, invoice: dict[str, Any]) -> dict[str, Any]:
    """`expand[]=payments`: the first page of the invoice's payments."""
    rows = payments_of(state, invoice["id"])
    page = paginate(rows, {}, URL, "invoice payment")
    return {**page, "total_count": len(rows)}


def include_confirmation_secret(state: State, invoice: dict[str, Any]) -> dict[str, Any] | None:
    """`expand[]=confirmation_secret`: what Stripe.js confirms the invoice's payment with."""
    payment = _default(state, invoice["id"])
    intent_id = payment["payment"]["payment_intent"] if payment else None
    intent = state.store.get(intent_id, "payment_intent") if intent_id else None
    if intent is None:
        return None
    return {"client_secret": intent["client_secret"], "type": "payment_intent"}


def install(state: State) -> None:
    state.includes[("invoice", "payments")] = include_payments
    state.includes[("invoice", "confirmation_secret")] = include_confirmation_secret
