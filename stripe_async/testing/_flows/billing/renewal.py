"""A subscription over time, in Stripe's order of events.

- `customer.subscription.trial_will_end` three days before a trial ends (at its start
  for a shorter trial);
- `invoice.upcoming` `BillingSettings.upcoming_renewal_days` before a period ends that
  will renew (a preview of the renewal invoice, without an id);
- at the trial's or period's end: a new period, `customer.subscription.updated`, and a
  draft invoice (`invoice.created`) whose period is the period just ended and whose
  lines bill the new one; dunning.py finalizes and charges it an hour later;
- `cancel_at_period_end` and `cancel_at` end the subscription when they fall due;
- an `incomplete` subscription not paid within 23 hours becomes `incomplete_expired`
  and its first invoice is voided;
- `pause_collection`: renewal invoices stay drafts (`keep_as_draft`), are voided
  (`void`) or marked uncollectible (`mark_uncollectible`), until `resumes_at`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import partial
from typing import Any

from ..._settings import DAY
from ..._state import State
from ..payments import payment_intents
from . import invoice_payments, invoices, subscriptions
from .clock import Step, in_frame, source
from .dunning import schedule_draft

TRIAL_WILL_END_BEFORE = 3 * DAY
#: An incomplete subscription whose first invoice is not paid within 23 hours expires.
INCOMPLETE_EXPIRES_AFTER = 23 * 3600

_TRIAL_WILL_END, _UPCOMING, _CANCEL_AT, _RESUME, _PERIOD_END, _EXPIRE = 0, 1, 2, 3, 4, 7
_RENEWING = ("active", "past_due", "unpaid")


def _period_end(state: State, subscription: dict[str, Any]) -> int:
    return min(
        int(i["current_period_end"]) for i in subscriptions.items_of(state, subscription["id"])
    )


def _renews_at(subscription: dict[str, Any], end: int) -> bool:
    cancel_at = subscription["cancel_at"]
    return not subscription["cancel_at_period_end"] and (cancel_at is None or cancel_at > end)


@source
def subscription_steps(state: State, frame: str | None) -> Iterator[Step]:
    for sub in in_frame(state, "subscription", frame):
        status, sub_id = sub["status"], sub["id"]
        if status == "incomplete":
            at = sub["created"] + INCOMPLETE_EXPIRES_AFTER
            yield Step(at, _EXPIRE, sub_id, partial(_expire, subscription=sub))
            continue
        if status not in ("trialing", *_RENEWING):
            continue
        meta = state.meta[sub_id]
        end = sub["trial_end"] if status == "trialing" else _period_end(state, sub)
        if status == "trialing" and not meta.get("trial_will_end_sent"):
            at = max(meta["period_start"], end - TRIAL_WILL_END_BEFORE)
            yield Step(at, _TRIAL_WILL_END, sub_id, partial(_trial_will_end, subscription=sub))
        lead = state.settings.upcoming_renewal_days * DAY
        if (
            lead
            and meta.get("upcoming_for") != end
            and end - lead > meta["period_start"]
            and _renews_at(sub, end)
        ):
            yield Step(end - lead, _UPCOMING, sub_id, partial(_upcoming, subscription=sub, end=end))
        if sub["cancel_at"] is not None and sub["cancel_at"] <= end:
            yield Step(sub["cancel_at"], _CANCEL_AT, sub_id, partial(_cancel, subscription=sub))
        resumes_at = (sub["pause_collection"] or {}).get("resumes_at")
        if resumes_at is not None:
            yield Step(resumes_at, _RESUME, sub_id, partial(_resume_collection, subscription=sub))
        yield Step(end, _PERIOD_END, sub_id, partial(_period_ends, subscription=sub))


def _trial_will_end(state: State, subscription: dict[str, Any]) -> None:
    state.meta[subscription["id"]]["trial_will_end_sent"] = True
    state.emit("customer.subscription.trial_will_end", subscription)


def _upcoming(state: State, subscription: dict[str, Any], end: int) -> None:
    """`invoice.upcoming`: the renewal invoice as it would be made now (not stored)."""
    meta = state.meta[subscription["id"]]
    meta["upcoming_for"] = end
    customer = state.require("customer", subscription["customer"], "customer", "customer")
    preview = invoices.new_invoice(
        state,
        customer,
        currency=subscription["currency"],
        subscription=subscription,
        billing_reason="upcoming",
        collection_method=subscription["collection_method"],
        auto_advance=True,
        period=(meta["period_start"], end),
        store=False,
    )
    lines, _ = subscriptions.preview_lines(state, preview, subscription, [])
    preview["discounts"] = list(subscription["discounts"])
    invoices.recompute(state, preview, lines)
    preview["next_payment_attempt"] = end + 3600
    # An upcoming invoice is a preview: Stripe's has no id.
    del preview["id"]
    state.emit("invoice.upcoming", preview)


def _expire(state: State, subscription: dict[str, Any]) -> None:
    """`incomplete_expired`: a terminal state; the unpaid first invoice is voided."""
    before = copy.deepcopy(subscription)
    now = state.now()
    subscription.update(status="incomplete_expired", ended_at=now)
    invoice = state.store.get(subscription["latest_invoice"] or "", "invoice")
    if invoice is not None and invoice["status"] == "open":
        _void(state, invoice)
    state.emit_update("customer.subscription.updated", subscription, before)


def _cancel(state: State, subscription: dict[str, Any]) -> None:
    subscriptions.cancel_subscription(state, subscription, reason="cancellation_requested")


def _resume_collection(state: State, subscription: dict[str, Any]) -> None:
    before = copy.deepcopy(subscription)
    subscription["pause_collection"] = None
    state.emit_update("customer.subscription.updated", subscription, before)


def _period_ends(state: State, subscription: dict[str, Any]) -> None:
    if subscription["cancel_at_period_end"]:
        # A trial is the current period too: it ends the subscription, unbilled.
        _cancel(state, subscription)
        return
    before = copy.deepcopy(subscription)
    if subscription["status"] == "trialing":
        invoice = subscriptions._end_trial(state, subscription, collect=False)
    else:
        invoice = _renew(state, subscription)
    if invoice is not None:
        _collect_later(state, subscription, invoice)
    state.emit_update("customer.subscription.updated", subscription, before)


def _renew(state: State, subscription: dict[str, Any]) -> dict[str, Any]:
    now = state.now()
    customer = state.require("customer", subscription["customer"], "customer", "customer")
    ended = state.meta[subscription["id"]]["period_start"]
    subscriptions.start_period(state, subscription, now)
    invoice = subscriptions.first_invoice(
        state,
        subscription,
        customer,
        [],
        trial=False,
        billing_reason="subscription_cycle",
        invoice_period=(ended, now),
    )
    subscription["latest_invoice"] = invoice["id"]
    return invoice


def _collect_later(state: State, subscription: dict[str, Any], invoice: dict[str, Any]) -> None:
    pause = subscription["pause_collection"]
    if subscription["status"] == "unpaid" or (pause and pause["behavior"] == "keep_as_draft"):
        # Stripe keeps making invoices for an unpaid subscription, as drafts it leaves be.
        invoice["auto_advance"] = False
        return
    if pause:
        _void_or_write_off(state, invoice, pause["behavior"])
        return
    schedule_draft(state, invoice)


def _void_or_write_off(state: State, invoice: dict[str, Any], behavior: str) -> None:
    """`pause_collection`'s `void` and `mark_uncollectible`: finalized, then not collected."""
    invoice["auto_advance"] = False
    invoices.finalize_invoice(state, invoice)
    if invoice["status"] != "open":
        return  # nothing was due (a zero total is paid at once)
    if behavior == "void":
        _void(state, invoice)
    else:
        invoice.update(status="uncollectible", next_payment_attempt=None)
        invoice["status_transitions"]["marked_uncollectible_at"] = state.now()
        state.emit("invoice.marked_uncollectible", invoice, {"status": "open"})


def _void(state: State, invoice: dict[str, Any]) -> None:
    intent = invoice_payments.intent_of(state, invoice)
    if intent is not None and intent["status"] in payment_intents.CANCELABLE:
        payment_intents.cancel_intent(state, intent, None)
    invoice_payments.cancel(state, invoice)
    invoice.update(status="void", next_payment_attempt=None, amount_remaining=0)
    invoice["status_transitions"]["voided_at"] = state.now()
    state.emit("invoice.voided", invoice, {"status": "open"})
