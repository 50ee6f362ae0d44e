"""A customer's credit balance: its transactions, and what an invoice takes from it.

`customer.balance` is negative when the customer has credit (a credit note's
`credit_amount`, a manual adjustment) and positive when they owe. A finalized
invoice applies it, as Stripe does: credit lowers `amount_due` (never below 0), a
debt is added to it, and an invoice whose total is negative credits the customer.
`starting_balance` and `ending_balance` show the balance before and after.
"""

from __future__ import annotations

from typing import Any

from ..._errors import invalid
from ..._state import State, set_metadata


def record(
    state: State,
    customer: dict[str, Any],
    amount: int,
    currency: str,
    *,
    type: str,
    description: str | None = None,
    invoice: str | None = None,
    credit_note: str | None = None,
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Move the customer's balance by `amount` (negative: credit) and keep the entry."""
    if customer["currency"] not in (None, currency):
        raise invalid(
            f"The customer's balance is in {customer['currency']}; it cannot take {currency}.",
            param="currency",
        )
    customer["currency"] = currency
    before = {"balance": customer["balance"]}
    customer["balance"] += amount
    entry: dict[str, Any] = {
        "id": state.new_id("cbtxn"),
        "object": "customer_balance_transaction",
        "amount": amount,
        "checkout_session": None,
        "created": state.now(),
        "credit_note": credit_note,
        "currency": currency,
        "customer": customer["id"],
        "customer_account": None,
        "description": description,
        "ending_balance": customer["balance"],
        "invoice": invoice,
        "livemode": False,
        "metadata": {},
        "type": type,
    }
    set_metadata(entry, metadata)
    state.store.put(entry)
    state.emit("customer.updated", customer, before)
    return entry


def transactions_of(state: State, customer_id: str) -> list[dict[str, Any]]:
    return [
        t
        for t in state.store.newest_first("customer_balance_transaction")
        if t["customer"] == customer_id
    ]


def settle(starting: int, total: int) -> tuple[int, int]:
    """(amount_due, ending_balance) of an invoice of `total` against a balance of
    `starting` (negative: credit): credit is used up to the total, a debt is added, and
    a negative total is credited."""
    combined = starting + total
    return max(combined, 0), min(combined, 0)


def apply_balance(
    state: State, invoice: dict[str, Any], customer: dict[str, Any], *, store: bool = True
) -> None:
    """Apply the customer's balance to an invoice being finalized (or previewed)."""
    same = customer["currency"] in (None, invoice["currency"])
    starting = customer["balance"] if same else 0
    due, ending = settle(starting, invoice["total"])
    invoice.update(
        starting_balance=starting,
        ending_balance=ending,
        amount_due=due,
        amount_remaining=due - invoice["amount_paid"],
    )
    if store and ending != starting:
        record(
            state,
            customer,
            ending - starting,
            invoice["currency"],
            type="applied_to_invoice",
            invoice=invoice["id"],
        )
