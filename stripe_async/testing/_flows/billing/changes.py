"""A subscription's item change, prorated and invoiced as Stripe does it.

`proration_behavior`: `create_prorations` (the default) leaves the proration items
pending for the next invoice; `always_invoice` invoices them now (finalized and
charged); `none` makes none. A change of billing interval, or
`billing_cycle_anchor="now"`, restarts the cycle now with an invoice for the new
period (and the prorations, unless `none`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..._errors import unsupported_param
from ..._state import State
from . import invoices, proration
from .subscriptions import (
    _past_due_if_unpaid,
    collect_invoice,
    first_invoice,
    items_of,
    period_end,
    start_period,
)

#: Subscriptions whose changes are prorated; a trial or an unpaid first invoice bills nothing yet.
PRORATED = ("active", "past_due", "unpaid")


def before_change(
    state: State,
    subscription: dict[str, Any],
    params: dict[str, Any],
    param: str = "proration_date",
) -> dict[str, proration.Slot]:
    """What the items bill now (and a check of `proration_date`), before a change."""
    invoices_now = params.get("proration_behavior") == "always_invoice" or (
        params.get("billing_cycle_anchor") == "now"
    )
    if invoices_now and params.get("payment_behavior") == "pending_if_incomplete":
        # Stripe keeps such a change pending until its invoice is paid; not modelled.
        raise unsupported_param("payment_behavior", "pending_if_incomplete")
    before = proration.snapshot(items_of(state, subscription["id"]))
    if params.get("proration_date") is not None:
        proration.check_date(before, params["proration_date"], param)
    return before


def prorating(
    state: State, subscription: dict[str, Any], params: dict[str, Any]
) -> Callable[[], None]:
    """`subscriptions.update`'s prorate hook: snapshot now, prorate once changed."""
    slots = before_change(state, subscription, params)
    return lambda: after_change(state, subscription, slots, params)


def after_change(
    state: State,
    subscription: dict[str, Any],
    before: dict[str, proration.Slot],
    params: dict[str, Any],
) -> None:
    """Prorate and invoice a change already applied to the items."""
    if subscription["status"] not in PRORATED:
        return
    behavior = params.get("proration_behavior") or "create_prorations"
    now = state.now()
    after = proration.snapshot(items_of(state, subscription["id"]))
    reset = params.get("billing_cycle_anchor") == "now" or proration.resets_cycle(before, after)
    when = now if reset else (params.get("proration_date") or now)
    made = []
    if behavior != "none":
        made = [
            proration.invoice_item(state, subscription, spec)
            for spec in proration.lines(state, before, after, when, reset=reset)
        ]
    customer = state.require("customer", subscription["customer"], "customer", "customer")
    payment_behavior = params.get("payment_behavior") or "allow_incomplete"
    if reset:
        start_period(state, subscription, now)
        subscription["billing_cycle_anchor"] = now
        invoice = first_invoice(
            state, subscription, customer, [], trial=False, billing_reason="subscription_update"
        )
    elif behavior == "always_invoice" and made:
        invoice = invoices.new_invoice(
            state,
            customer,
            currency=subscription["currency"],
            subscription=subscription,
            billing_reason="subscription_update",
            collection_method=subscription["collection_method"],
            auto_advance=True,
            period=(when, when),
        )
        proration.attach_pending(state, invoice, subscription, only_own=True)
        invoices.recompute(state, invoice)
        state.emit("invoice.created", invoice)
    else:
        return
    subscription["latest_invoice"] = invoice["id"]
    collect_invoice(state, subscription, invoice, payment_behavior, off_session=True)
    _past_due_if_unpaid(subscription, invoice)


def preview(
    state: State,
    invoice: dict[str, Any],
    subscription: dict[str, Any],
    details: dict[str, Any],
    renewal: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], tuple[int, int] | None]:
    """The lines `invoices.create_preview` shows for `subscription_details` item changes:
    the next renewal plus the prorations (create_prorations), or what would be invoiced
    now (always_invoice, or a reset cycle). Nothing is stored."""
    behavior = details.get("proration_behavior") or "create_prorations"
    before = before_change(state, subscription, details, "subscription_details[proration_date]")
    after = dict(before)
    for index, spec in enumerate(details.get("items") or []):
        key = spec.get("id") or f"si_preview_{index}"
        if spec.get("deleted"):
            after.pop(key, None)
            continue
        base = after.get(key)
        price = base.price if base is not None else None
        if spec.get("price"):
            price = state.require(
                "price", spec["price"], "price", f"subscription_details[items][{index}][price]"
            )
        if price is None:
            continue
        quantity = spec.get("quantity")
        if quantity is None:
            quantity = base.quantity if base is not None else 1
        start, end = (base.start, base.end) if base is not None else (0, 0)
        after[key] = proration.Slot(key, price, quantity, start, end)
    now = state.now()
    reset = details.get("billing_cycle_anchor") == "now" or proration.resets_cycle(before, after)
    when = now if reset else (details.get("proration_date") or now)
    specs = [] if behavior == "none" else proration.lines(state, before, after, when, reset=reset)
    made = [proration.invoice_item(state, subscription, spec, store=False) for spec in specs]
    extra = [invoices.item_line(state, invoice, item, store=False) for item in made]
    if reset:
        fresh = []
        for slot in after.values():
            interval, count = slot.cadence
            end = period_end(now, interval, count)
            item = {
                "id": slot.item_id,
                "price": slot.price,
                "quantity": slot.quantity,
                "subscription": subscription["id"],
                "metadata": {},
            }
            period = {"start": now, "end": end}
            fresh.append(invoices.subscription_item_line(state, invoice, item, period, store=False))
        return [*extra, *fresh], (now, now)
    if behavior == "always_invoice":
        return extra, (when, when)
    return [*renewal, *extra], None
