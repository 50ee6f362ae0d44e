"""/v1/refunds: full and partial refunds of a charge or PaymentIntent."""

from __future__ import annotations

import copy
from typing import Any

from ..._state import State
from . import balance, charges


def new_refund(
    state: State,
    charge: dict[str, Any],
    amount: int,
    reason: str | None,
    metadata: dict[str, str],
    *,
    release: bool = False,
) -> dict[str, Any]:
    """Store a refund, update its charge, emit refund.created and charge.refunded.

    `release` refunds an uncaptured authorization (a canceled PaymentIntent).
    """
    refund_id = state.new_id("re")
    refund = {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "balance_transaction": None
        if release
        else balance.record(
            state, amount=-amount, currency=charge["currency"], type="refund", source=refund_id
        ),
        "charge": charge["id"],
        "created": state.now(),
        "currency": charge["currency"],
        "customer": charge["customer"],
        "customer_account": None,
        "destination_details": {
            "card": {
                "reference": None,
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "reversal" if release else "refund",
            },
            "type": "card",
        },
        "metadata": dict(metadata),
        "payment_intent": charge["payment_intent"],
        "payment_method": charge["payment_method"],
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }
    state.store.put(refund)
    state.emit("refund.created", refund)
    before = copy.deepcopy(charge)
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
    charges.sync_refunds(state, charge)
    state.emit(
        "charge.refunded",
        charge,
        {key: before[key] for key in ("amount_refunded", "refunded", "refunds")},
    )
    return refund
