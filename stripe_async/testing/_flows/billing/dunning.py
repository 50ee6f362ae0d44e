"""Collecting invoices over time: drafts finalized when due, failed payments retried.

A subscription's renewal invoice is a draft for about an hour
(`automatically_finalizes_at`); then it is finalized and charged. A failed charge is
retried on the schedule of `BillingSettings.payment_retry_days` (each attempt shows
in `attempt_count`, `next_payment_attempt` and an `invoice.payment_failed` event);
when the last one fails the subscription ends as `after_final_failure` says.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import partial
from typing import Any

from ..._errors import EmulatorError
from ..._state import State
from . import invoices, subscriptions
from .clock import Step, in_frame, source
from .retries import retried, retry_at

#: Stripe finalizes a subscription's draft invoice about an hour after creating it.
FINALIZE_AFTER = 3600

_FINALIZE, _RETRY = 5, 6


def schedule_draft(state: State, invoice: dict[str, Any]) -> None:
    """Let the engine finalize (and charge) this draft an hour from now."""
    at = state.now() + FINALIZE_AFTER
    invoice["automatically_finalizes_at"] = at
    if invoice["collection_method"] == "charge_automatically":
        invoice["next_payment_attempt"] = at


@source
def invoice_steps(state: State, frame: str | None) -> Iterator[Step]:
    for invoice in in_frame(state, "invoice", frame):
        if not invoice["auto_advance"]:
            continue
        if invoice["status"] == "draft" and invoice["automatically_finalizes_at"] is not None:
            yield Step(
                invoice["automatically_finalizes_at"],
                _FINALIZE,
                invoice["id"],
                partial(_finalize, invoice=invoice),
            )
        elif (
            invoice["status"] == "open"
            and invoice["next_payment_attempt"] is not None
            and invoice["collection_method"] == "charge_automatically"
            and invoice["billing_reason"] != "subscription_create"
        ):
            yield Step(
                invoice["next_payment_attempt"],
                _RETRY,
                invoice["id"],
                partial(_attempt, invoice=invoice),
            )


def _subscription(state: State, invoice: dict[str, Any]) -> dict[str, Any] | None:
    return state.store.get(invoices.subscription_of(invoice) or "", "subscription")


def _finalize(state: State, invoice: dict[str, Any]) -> None:
    subscription = _subscription(state, invoice)
    if subscription is None:
        invoices.finalize_invoice(state, invoice)
        if _unattempted(invoice):
            _charge(state, invoice)
        return
    before = copy.deepcopy(subscription)
    # Charged as Stripe charges renewals: a card that needs authentication asks for it
    # (`invoice.payment_action_required`) instead of failing outright.
    subscriptions.collect_invoice(
        state, subscription, invoice, "allow_incomplete", off_session=False
    )
    if _unattempted(invoice):
        _charge(state, invoice)  # there was no payment method to charge: a failed attempt
    subscriptions._past_due_if_unpaid(subscription, invoice)
    _after_attempt(state, subscription, invoice, before)


def _unattempted(invoice: dict[str, Any]) -> bool:
    return bool(
        invoice["status"] == "open"
        and invoice["attempt_count"] == 0
        and invoice["collection_method"] == "charge_automatically"
    )


def _attempt(state: State, invoice: dict[str, Any]) -> None:
    subscription = _subscription(state, invoice)
    before = copy.deepcopy(subscription) if subscription is not None else None
    due = invoice["next_payment_attempt"]
    _charge(state, invoice)
    if invoice["status"] == "open" and invoice["next_payment_attempt"] == due:
        invoice["next_payment_attempt"] = None  # the step must move on, whatever happened
    if subscription is not None and before is not None:
        _after_attempt(state, subscription, invoice, before)


def _charge(state: State, invoice: dict[str, Any]) -> None:
    """One payment attempt from the default payment method; none is a failed attempt."""
    pm = invoices.default_payment_method(state, invoice)
    if pm is None:
        previous = {"attempt_count": invoice["attempt_count"], "attempted": invoice["attempted"]}
        invoice["attempt_count"] += 1
        invoice["attempted"] = True
        invoice["next_payment_attempt"] = retry_at(state, invoice)
        state.emit("invoice.payment_failed", invoice, previous)
        state.run_hooks("invoice.payment_failed", invoice)
        return
    try:
        invoices.pay_invoice(state, invoice, payment_method=pm, off_session=False)
    except EmulatorError as error:
        if error.type != "card_error":
            raise


def _after_attempt(
    state: State, subscription: dict[str, Any], invoice: dict[str, Any], before: dict[str, Any]
) -> None:
    """Announce the subscription's change; end it when the last retry failed."""
    if subscription["status"] in ("canceled", "incomplete_expired"):
        return
    exhausted = (
        invoice["status"] == "open"
        and invoice["next_payment_attempt"] is None
        and retried(invoice)
        and invoice["attempt_count"] > len(state.settings.payment_retry_days)
    )
    if exhausted:
        final = state.settings.after_final_failure
        if final == "canceled":
            state.emit_update("customer.subscription.updated", subscription, before)
            subscriptions.cancel_subscription(state, subscription, reason="payment_failed")
            return
        if final == "unpaid":
            subscription["status"] = "unpaid"
    state.emit_update("customer.subscription.updated", subscription, before)
