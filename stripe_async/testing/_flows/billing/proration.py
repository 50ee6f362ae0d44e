"""Prorations: what Stripe credits and charges when a subscription changes mid-period.

A changed item gets two pending invoice items (`proration: true`), each over the rest
of the current period `[proration_date, current_period_end)`: a credit for the unused
time of what it billed before, and a charge for the remaining time of what it bills
now, each `amount * remaining_seconds / period_seconds` rounded to the nearest cent
(halves away from zero). Metered items are billed in arrears and are not prorated.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from ..._errors import invalid
from ..._state import State
from . import invoices

BEHAVIORS = ("always_invoice", "create_prorations", "none")


def prorate(amount: int, remaining: int, period: int) -> int:
    """`amount * remaining / period` to the nearest cent, halves away from zero."""
    if period <= 0:
        return 0
    remaining = max(0, min(remaining, period))
    magnitude = (abs(amount) * remaining * 2 + period) // (2 * period)
    return magnitude if amount >= 0 else -magnitude


@dataclass(frozen=True)
class Slot:
    """What one subscription item bills over its current period."""

    item_id: str
    price: dict[str, Any]
    quantity: int
    start: int
    end: int
    tax_rates: tuple[str, ...] = ()

    @property
    def amount(self) -> int:
        return (self.price["unit_amount"] or 0) * self.quantity

    @property
    def metered(self) -> bool:
        return (self.price["recurring"] or {}).get("usage_type") == "metered"

    @property
    def cadence(self) -> tuple[str, int]:
        recurring = self.price["recurring"] or {}
        return recurring.get("interval") or "", recurring.get("interval_count") or 1


def slot_of(item: dict[str, Any]) -> Slot:
    return Slot(
        item["id"],
        item["price"],
        item["quantity"],
        item["current_period_start"],
        item["current_period_end"],
        tuple(_rate_ids(item.get("tax_rates"))),
    )


def _rate_ids(rates: Any) -> list[str]:
    return [r if isinstance(r, str) else r["id"] for r in rates or []]


def snapshot(items: list[dict[str, Any]]) -> dict[str, Slot]:
    return {item["id"]: slot_of(item) for item in items}


def resets_cycle(before: dict[str, Slot], after: dict[str, Slot]) -> bool:
    """A change of billing interval restarts the cycle now, as on Stripe."""
    old = {s.cadence for s in before.values()}
    new = {s.cadence for s in after.values()}
    return bool(old) and bool(new) and old != new


def check_date(before: dict[str, Slot], when: int, param: str = "proration_date") -> None:
    for slot in before.values():
        if not slot.start <= when <= slot.end:
            raise invalid(
                "The proration_date must be within the subscription's current billing period.",
                param=param,
            )


def _date(moment: int) -> str:
    return _dt.datetime.fromtimestamp(moment, tz=_dt.timezone.utc).strftime("%d %b %Y")


def _label(state: State, slot: Slot) -> str:
    product = state.store.get(slot.price["product"], "product")
    name = product["name"] if product else slot.price["product"]
    return name if slot.quantity == 1 else f"{slot.quantity} \u00d7 {name}"


def lines(
    state: State,
    before: dict[str, Slot],
    after: dict[str, Slot],
    when: int,
    *,
    reset: bool = False,
) -> list[dict[str, Any]]:
    """The proration items a change from `before` to `after` at `when` makes (unstored
    specs: amount, description, period, price, quantity, item, tax rates). When the
    cycle restarts (`reset`) only the unused time is credited: the new period is
    billed in full."""
    out: list[dict[str, Any]] = []
    for item_id in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(item_id), after.get(item_id)
        if (
            not reset
            and old is not None
            and new is not None
            and (old.price["id"], old.quantity) == (new.price["id"], new.quantity)
        ):
            continue
        if old is not None and not old.metered and old.amount:
            out.append(_spec(state, old, -1, when, f"Unused time on {_label(state, old)}"))
        if new is not None and not new.metered and new.amount and not reset:
            # An item added mid-period bills what is left of the subscription's period.
            anchor = old or next(iter(before.values()), new)
            slot = Slot(
                new.item_id, new.price, new.quantity, anchor.start, anchor.end, new.tax_rates
            )
            out.append(_spec(state, slot, 1, when, f"Remaining time on {_label(state, new)}"))
    # A change at (or past) the period's end leaves no time to credit or charge.
    return [spec for spec in out if spec["amount"]]


def _spec(state: State, slot: Slot, sign: int, when: int, what: str) -> dict[str, Any]:
    amount = sign * prorate(slot.amount, slot.end - when, slot.end - slot.start)
    return {
        "amount": amount,
        "description": f"{what} after {_date(when)}",
        "period": {"start": when, "end": slot.end},
        "price": slot.price,
        "quantity": slot.quantity,
        "subscription_item": slot.item_id,
        "tax_rates": list(slot.tax_rates),
    }


def invoice_item(
    state: State, subscription: dict[str, Any], spec: dict[str, Any], *, store: bool = True
) -> dict[str, Any]:
    """A pending invoice item (`proration: true`) from a spec of `lines()`."""
    price = spec["price"]
    item: dict[str, Any] = {
        "id": state.new_id("ii") if store else f"ii_tmp_{state.ids.token(12)}",
        "object": "invoiceitem",
        "amount": spec["amount"],
        "currency": price["currency"],
        "customer": subscription["customer"],
        "customer_account": None,
        "date": state.now(),
        "description": spec["description"],
        "discountable": True,
        "discounts": [],
        "invoice": None,
        "livemode": False,
        "metadata": {},
        "net_amount": spec["amount"],
        "parent": {
            "subscription_details": {
                "subscription": subscription["id"],
                "subscription_item": spec["subscription_item"],
            },
            "type": "subscription_details",
        },
        "period": dict(spec["period"]),
        "pricing": {
            "price_details": {"price": price["id"], "product": price["product"]},
            "type": "price_details",
            "unit_amount_decimal": price["unit_amount_decimal"],
        },
        "proration": True,
        "proration_details": {"discount_amounts": []},
        "quantity": spec["quantity"],
        "quantity_decimal": str(spec["quantity"]),
        "tax_rates": [r for r in map(state.store.get, spec["tax_rates"]) if r is not None],
        "test_clock": None,
    }
    if store:
        state.store.put(item)
        state.emit("invoiceitem.created", item)
    return item


def pending_items(
    state: State, customer_id: str, currency: str, subscription_id: str | None, *, only_own: bool
) -> list[dict[str, Any]]:
    """Pending invoice items a subscription's invoice takes: its own, and (for a cycle
    invoice) the customer's that belong to no subscription."""
    out = []
    for item in state.store.all("invoiceitem"):
        if item["customer"] != customer_id or item["invoice"] is not None:
            continue
        if item["currency"] != currency:
            continue
        owner = ((item["parent"] or {}).get("subscription_details") or {}).get("subscription")
        if owner == subscription_id or (owner is None and not only_own):
            out.append(item)
    return out


def attach_pending(
    state: State, invoice: dict[str, Any], subscription: dict[str, Any], *, only_own: bool = False
) -> None:
    """Move the pending items the invoice takes onto it, as lines."""
    for item in pending_items(
        state, subscription["customer"], invoice["currency"], subscription["id"], only_own=only_own
    ):
        item["invoice"] = invoice["id"]
        invoices.item_line(state, invoice, item)
