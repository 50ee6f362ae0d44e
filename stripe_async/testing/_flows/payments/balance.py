"""Balance transactions: the ledger entry behind each capture, refund, transfer and fee.

The emulator charges no Stripe fees, so `fee` is 0 and `net` equals `amount`; funds
stay `pending` (they never settle in test time).
"""

from __future__ import annotations

from ..._state import State

#: Stripe's reporting category for each transaction type the emulator records.
_CATEGORY = {
    "application_fee": "platform_earning",
    "charge": "charge",
    "payment": "charge",
    "refund": "refund",
    "transfer": "transfer",
}


def record(
    state: State,
    *,
    amount: int,
    currency: str,
    type: str,
    source: str,
    description: str | None = None,
    category: str | None = None,
) -> str:
    """Store a BalanceTransaction and return its id."""
    now = state.now()
    transaction = {
        "id": state.new_id("txn"),
        "object": "balance_transaction",
        "amount": amount,
        "available_on": now + 2 * 86400,
        "balance_type": "payments",
        "created": now,
        "currency": currency,
        "description": description,
        "exchange_rate": None,
        "fee": 0,
        "fee_details": [],
        "net": amount,
        "reporting_category": category or _CATEGORY.get(type, type),
        "source": source,
        "status": "pending",
        "type": type,
    }
    state.store.put(transaction)
    return str(transaction["id"])
