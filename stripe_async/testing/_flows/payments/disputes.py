"""Disputes: a cardholder's bank contests a charge.

The `createDispute` test cards make a succeeded charge disputed at once: the dispute
(`needs_response`, or `warning_needs_response` for an inquiry) withdraws the charge's
amount through a balance transaction, with `charge.dispute.created` and (unless an
inquiry) `charge.dispute.funds_withdrawn`. Submitting evidence puts it
`under_review`; as on Stripe, the evidence text `winning_evidence` or
`losing_evidence` decides it at once. Closing it accepts the loss.
"""

from __future__ import annotations

import copy
from typing import Any

from ..._errors import invalid
from ..._state import State, set_metadata
from . import balance

EVIDENCE_FIELDS = (
    "access_activity_log",
    "billing_address",
    "cancellation_policy",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "customer_communication",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "customer_signature",
    "duplicate_charge_documentation",
    "duplicate_charge_explanation",
    "duplicate_charge_id",
    "product_description",
    "receipt",
    "refund_policy",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
    "service_documentation",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_documentation",
    "shipping_tracking_number",
    "uncategorized_file",
    "uncategorized_text",
)
#: Days the merchant has to respond, as Stripe's test disputes give.
RESPONSE_DAYS = 7
CLOSED = ("won", "lost", "warning_closed", "prevented")


def _transaction(state: State, dispute: dict[str, Any], amount: int, what: str) -> None:
    txn_id = balance.record(
        state,
        amount=amount,
        currency=dispute["currency"],
        type="adjustment",
        source=dispute["id"],
        description=f"{what} for {dispute['charge']}",
        category="dispute" if amount < 0 else "dispute_reversal",
    )
    dispute["balance_transactions"].append(copy.deepcopy(state.store.get(txn_id)))


def open_dispute(
    state: State, charge: dict[str, Any], reason: str, *, inquiry: bool = False
) -> dict[str, Any]:
    now = state.now()
    card = (charge.get("payment_method_details") or {}).get("card") or {}
    dispute: dict[str, Any] = {
        "id": state.new_id("dp"),
        "object": "dispute",
        "amount": charge["amount"],
        "balance_transactions": [],
        "charge": charge["id"],
        "created": now,
        "currency": charge["currency"],
        "enhanced_eligibility_types": [],
        "evidence": {**dict.fromkeys(EVIDENCE_FIELDS), "enhanced_evidence": {}},
        "evidence_details": {
            "due_by": now + RESPONSE_DAYS * 86400,
            "enhanced_eligibility": {},
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "intended_submission_method": None,
        "is_charge_refundable": inquiry,
        "livemode": False,
        "metadata": {},
        "network_reason_code": "10.4" if reason == "fraudulent" else "13.1",
        "payment_intent": charge["payment_intent"],
        "payment_method_details": {
            "card": {
                "brand": card.get("brand", "visa"),
                "case_type": "inquiry" if inquiry else "chargeback",
                "network_reason_code": "10.4" if reason == "fraudulent" else "13.1",
            },
            "type": "card",
        },
        "reason": reason,
        "status": "warning_needs_response" if inquiry else "needs_response",
    }
    state.store.put(dispute)
    before = {"disputed": charge["disputed"]}
    charge["disputed"] = True
    state.emit("charge.updated", charge, before)
    state.emit("charge.dispute.created", dispute)
    if not inquiry:
        _transaction(state, dispute, -dispute["amount"], "Chargeback withdrawal")
        state.emit("charge.dispute.funds_withdrawn", dispute)
    return dispute


def _check_open(dispute: dict[str, Any], action: str) -> None:
    if dispute["status"] in CLOSED:
        raise invalid(
            f"This dispute is already closed ({dispute['status']}); it cannot be {action}."
        )


def update_dispute(state: State, dispute: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """Stage evidence, and submit it unless `submit=false` (Stripe's default is to submit)."""
    evidence = params.get("evidence") or {}
    submit = params.get("submit")
    if evidence or submit:
        _check_open(dispute, "updated")  # a closed dispute keeps only its metadata editable
    before = copy.deepcopy(dispute)
    for name, value in evidence.items():
        dispute["evidence"][name] = value
    if evidence:
        dispute["evidence_details"]["has_evidence"] = True
    set_metadata(dispute, params.get("metadata"))
    if params.get("intended_submission_method") is not None:
        dispute["intended_submission_method"] = params["intended_submission_method"]
    if (evidence or submit) and submit is not False:
        dispute["evidence_details"]["submission_count"] += 1
        inquiry = dispute["status"].startswith("warning_")
        dispute["status"] = "warning_under_review" if inquiry else "under_review"
    state.emit_update("charge.dispute.updated", dispute, before)
    verdict = dispute["evidence"].get("uncategorized_text")
    if dispute["status"] == "under_review" and verdict in ("winning_evidence", "losing_evidence"):
        _decide(state, dispute, won=verdict == "winning_evidence")
    return dispute


def _decide(state: State, dispute: dict[str, Any], *, won: bool) -> None:
    dispute["status"] = "won" if won else "lost"
    if won:
        _transaction(state, dispute, dispute["amount"], "Chargeback reversal")
        state.emit("charge.dispute.funds_reinstated", dispute)
    state.emit("charge.dispute.closed", dispute)


def close_dispute(state: State, dispute: dict[str, Any]) -> dict[str, Any]:
    """Accept the dispute: it is lost (an inquiry is closed), as on Stripe."""
    _check_open(dispute, "closed")
    before = {"status": dispute["status"]}
    inquiry = dispute["status"].startswith("warning_")
    dispute["status"] = "warning_closed" if inquiry else "lost"
    state.emit("charge.dispute.closed", dispute, before)
    return dispute
