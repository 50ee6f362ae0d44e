"""/v1/subscriptions and /v1/subscription_items.

Creating a subscription invoices its first period and pays that invoice from the
default payment method (subscription's, else the customer's): `active` when it
is paid, `incomplete` when declined or waiting for 3D Secure. Renewals, trial
ends and payment retries happen as time moves (renewal.py and dunning.py, run by the
time engine in clock.py).
"""

from __future__ import annotations

import calendar
import copy
import datetime as _dt
from collections.abc import Callable
from typing import Any

from ..._cards import card_error
from ..._errors import EmulatorError, invalid
from ..._lists import sublist
from ..._state import State, assign, set_metadata
from ..payments import payment_intents, payment_methods
from . import catalog, discounts, invoices, proration, tax
from .invoice_items import create as create_item

LIVE_STATUSES = ("active", "trialing", "past_due", "unpaid", "incomplete", "paused")


def period_end(start: int, interval: str, count: int) -> int:
    """`start` plus `count` intervals, months and years on the calendar (Jan 31 + 1 month
    is the last day of February)."""
    if interval == "day":
        return start + 86400 * count
    if interval == "week":
        return start + 7 * 86400 * count
    moment = _dt.datetime.fromtimestamp(start, tz=_dt.timezone.utc)
    months = count * (12 if interval == "year" else 1)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def resolve_price(state: State, item: dict[str, Any], param: str) -> dict[str, Any]:
    price_id = item.get("price") or item.get("plan")
    if price_id is not None:
        price = state.require("price", price_id, "price", f"{param}[price]")
    elif item.get("price_data") is not None:
        data = item["price_data"]
        state.require("product", data["product"], "product", f"{param}[price_data][product]")
        price = catalog.new_price(state, data)
    else:
        raise EmulatorError(
            400,
            f"Missing required param: {param}[price].",
            code="parameter_missing",
            param=f"{param}[price]",
        )
    if price["recurring"] is None:
        raise invalid(
            f"The price specified ({price['id']}) is a one-time price. Subscription items "
            "need recurring prices; use add_invoice_items for one-time prices.",
            param=f"{param}[price]",
        )
    if not price["active"]:
        raise invalid(f"The price {price['id']} is not active.", param=f"{param}[price]")
    return price


def new_item(
    state: State, subscription: dict[str, Any], price: dict[str, Any], spec: dict[str, Any]
) -> dict[str, Any]:
    item = {
        "id": state.new_id("si"),
        "object": "subscription_item",
        "billing_thresholds": None,
        "created": state.now(),
        "current_period_end": subscription_period(state, subscription, price)[1],
        "current_period_start": subscription_period(state, subscription, price)[0],
        "discounts": [],
        "metadata": {},
        "plan": catalog.plan_view(price),
        "price": copy.deepcopy(price),
        "quantity": 1 if spec.get("quantity") is None else spec["quantity"],
        "subscription": subscription["id"],
        "tax_rates": tax.resolve(state, spec.get("tax_rates"), "tax_rates"),
    }
    set_metadata(item, spec.get("metadata"))
    return state.store.put(item)


def subscription_period(
    state: State, subscription: dict[str, Any], price: dict[str, Any]
) -> tuple[int, int]:
    start = state.meta[subscription["id"]]["period_start"]
    recurring = price["recurring"]
    return start, period_end(start, recurring["interval"], recurring["interval_count"])


def items_of(state: State, subscription_id: str) -> list[dict[str, Any]]:
    return [i for i in state.store.all("subscription_item") if i["subscription"] == subscription_id]


def sync_items(state: State, subscription: dict[str, Any]) -> None:
    subscription["items"] = sublist(
        copy.deepcopy(items_of(state, subscription["id"])),
        f"/v1/subscription_items?subscription={subscription['id']}",
        limit=20,
    )


def first_invoice(
    state: State,
    subscription: dict[str, Any],
    customer: dict[str, Any],
    add_items: list[dict[str, Any]],
    *,
    trial: bool,
    billing_reason: str,
    invoice_period: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """The invoice of the subscription's current period; its own period is
    `invoice_period` (a renewal's is the period just ended), else the start instant."""
    items = items_of(state, subscription["id"])
    start, end = subscription_period(state, subscription, items[0]["price"])
    if trial and subscription["trial_end"] is not None:
        end = subscription["trial_end"]  # a trial's 0.00 line covers the trial
    discounts.retire_used(state, subscription)
    invoice = invoices.new_invoice(
        state,
        customer,
        currency=subscription["currency"],
        subscription=subscription,
        billing_reason=billing_reason,
        collection_method=subscription["collection_method"],
        auto_advance=True,
        period=invoice_period or (start, start),
    )
    if subscription["collection_method"] == "send_invoice":
        invoice["due_date"] = state.now() + 86400 * (subscription["days_until_due"] or 0)
    for item in items:
        line = invoices.subscription_item_line(state, invoice, item, {"start": start, "end": end})
        if trial:
            line.update(amount=0, subtotal=0, description=f"Trial period for {line['description']}")
    for index, extra in enumerate(add_items):
        _one_time_line(state, invoice, extra, f"add_invoice_items[{index}]")
    if billing_reason != "subscription_create":
        proration.attach_pending(state, invoice, subscription)
    invoice["discounts"] = [
        discount_id
        for discount_id in subscription["discounts"]
        if discounts.applies_now(state, state.store.get(discount_id, "discount") or {}, invoice)
    ]
    invoices.recompute(state, invoice)
    state.emit("invoice.created", invoice)
    return invoice


def _one_time_line(state: State, invoice: dict[str, Any], spec: dict[str, Any], param: str) -> None:
    create_item(
        state,
        {
            "customer": invoice["customer"],
            "invoice": invoice["id"],
            "price": spec.get("price"),
            "price_data": spec.get("price_data"),
            "quantity": spec.get("quantity"),
            "metadata": spec.get("metadata"),
            "subscription": invoices.subscription_of(invoice),
        },
    )


def collect_invoice(
    state: State,
    subscription: dict[str, Any],
    invoice: dict[str, Any],
    behavior: str,
    *,
    off_session: bool,
) -> None:
    """Finalize the invoice and try to pay it; the subscription follows the outcome.

    The caller announces the subscription's change itself (hence "managed").
    """
    meta = state.meta[subscription["id"]]
    meta["managed"] = True
    try:
        invoices.finalize_invoice(state, invoice)
        if invoice["status"] == "paid" or subscription["collection_method"] == "send_invoice":
            return
        if behavior == "default_incomplete":
            return
        pm = invoices.default_payment_method(state, invoice)
        if pm is None:
            return
        try:
            invoices.pay_invoice(state, invoice, payment_method=pm, off_session=off_session)
        except EmulatorError as error:
            if error.type != "card_error":
                raise
    finally:
        meta["managed"] = False


def on_invoice_paid(state: State, invoice: dict[str, Any]) -> None:
    """A paid invoice makes an incomplete or past_due subscription active."""
    subscription = state.store.get(invoices.subscription_of(invoice) or "", "subscription")
    if subscription is None or subscription["status"] not in (
        "incomplete",
        "past_due",
        "unpaid",
        "paused",
    ):
        return
    before = copy.deepcopy(subscription)
    subscription["status"] = "active"
    if not state.meta[subscription["id"]].get("managed"):
        state.emit_update("customer.subscription.updated", subscription, before)


def on_customer_deleted(state: State, customer: dict[str, Any]) -> None:
    for subscription in list(state.store.all("subscription")):
        if subscription["customer"] == customer["id"] and subscription["status"] in LIVE_STATUSES:
            cancel_subscription(state, subscription, reason="cancellation_requested")


def cancel_subscription(
    state: State,
    subscription: dict[str, Any],
    *,
    reason: str,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if subscription["status"] in ("canceled", "incomplete_expired"):
        raise invalid(
            f"A canceled subscription can only update its cancellation_details and metadata; "
            f"{subscription['id']} is already {subscription['status']}."
        )
    now = state.now()
    subscription.update(status="canceled", canceled_at=now, ended_at=now)
    subscription["cancellation_details"] = {
        "comment": (details or {}).get("comment"),
        "feedback": (details or {}).get("feedback"),
        "reason": reason,
    }
    latest = state.store.get(subscription["latest_invoice"] or "", "invoice")
    if latest is not None and latest["status"] == "draft":
        invoices.finalize_invoice(state, latest)
    state.emit("customer.subscription.deleted", subscription)
    return subscription


def lookup(state: State, id: str) -> dict[str, Any]:
    return state.require("subscription", id, "subscription")


#: Called before an item change with (state, subscription, params); returns what to
#: call once the change is applied (changes.prorating: prorations and invoices).
Prorate = Callable[[State, dict[str, Any], dict[str, Any]], Callable[[], None]]


def update(
    state: State, params: dict[str, Any], id: str, *, prorate: Prorate | None = None
) -> dict[str, Any]:
    subscription = lookup(state, id)
    if subscription["status"] in ("canceled", "incomplete_expired"):
        extra = sorted(set(params) - {"metadata", "cancellation_details"})
        if extra:
            raise invalid(
                "A canceled subscription can only update its cancellation_details and metadata.",
                param=extra[0],
            )
    for key in ("default_payment_method", "default_source"):
        if params.get(key) is not None:
            pm = state.store.get(params[key], "payment_method") or state.store.get(
                params[key], "card"
            )
            if pm is None or pm["customer"] != subscription["customer"]:
                raise invalid(
                    f"The customer does not have a payment method with the ID {params[key]}. "
                    "The payment method must be attached to the customer.",
                    param=key,
                    code="resource_missing",
                )
    changes = _plan_item_changes(state, subscription, params.get("items") or [])
    finish = prorate(state, subscription, params) if prorate is not None else None
    wanted = None
    if "discounts" in params:
        wanted = discounts.resolve(
            state, params["discounts"], "discounts", customer=subscription["customer"]
        )
    before = copy.deepcopy(subscription)
    if wanted is not None:
        replace_discounts(state, subscription, wanted)
    for action, target, spec in changes:
        apply_item_change(state, subscription, action, target, spec)
    assign(
        subscription,
        params,
        (
            "cancel_at_period_end",
            "collection_method",
            "days_until_due",
            "default_payment_method",
            "default_source",
            "description",
        ),
    )
    if "default_tax_rates" in params:
        subscription["default_tax_rates"] = tax.resolve(
            state, params["default_tax_rates"], "default_tax_rates"
        )
    if "cancel_at" in params:
        subscription["cancel_at"] = (
            params["cancel_at"] if isinstance(params["cancel_at"], int) else None
        )
    if "pause_collection" in params:
        pause = params["pause_collection"]
        subscription["pause_collection"] = (
            None
            if pause is None
            else {"behavior": pause["behavior"], "resumes_at": pause.get("resumes_at")}
        )
    if params.get("cancellation_details") is not None:
        subscription["cancellation_details"].update(
            {k: v for k, v in params["cancellation_details"].items()}
        )
    if finish is not None and (changes or params.get("billing_cycle_anchor") == "now"):
        finish()
    if params.get("trial_end") == "now" and subscription["status"] == "trialing":
        # Stripe sends trial_will_end when a trial is ended at once, too.
        state.emit("customer.subscription.trial_will_end", subscription)
        _end_trial(state, subscription)
    set_metadata(subscription, params.get("metadata"))
    sync_items(state, subscription)
    state.emit_update("customer.subscription.updated", subscription, before)
    return subscription


def _plan_item_changes(
    state: State, subscription: dict[str, Any], specs: list[dict[str, Any]]
) -> list[tuple[str, Any, dict[str, Any]]]:
    """Validate item edits first so a bad one changes nothing."""
    changes: list[tuple[str, Any, dict[str, Any]]] = []
    for index, spec in enumerate(specs):
        param = f"items[{index}]"
        if spec.get("id") is not None:
            item = state.store.get(spec["id"], "subscription_item")
            if item is None or item["subscription"] != subscription["id"]:
                raise invalid(
                    f"Subscription item {spec['id']} does not belong to {subscription['id']}.",
                    param=f"{param}[id]",
                )
            if spec.get("deleted"):
                changes.append(("delete", item, spec))
                continue
            price = None
            if spec.get("price") or spec.get("plan") or spec.get("price_data"):
                price = resolve_price(state, spec, param)
            changes.append(("update", (item, price), spec))
        else:
            price = resolve_price(state, spec, param)
            if price["currency"] != subscription["currency"]:
                raise invalid(
                    "All prices on a subscription must have the same currency.",
                    param=f"{param}[price]",
                )
            changes.append(("add", price, spec))
    remaining = len(items_of(state, subscription["id"])) + sum(
        1 if a == "add" else -1 if a == "delete" else 0 for a, _, _ in changes
    )
    if specs and remaining < 1:
        raise invalid("A subscription must have at least one active plan.", param="items")
    return changes


def apply_item_change(
    state: State, subscription: dict[str, Any], action: str, target: Any, spec: dict[str, Any]
) -> None:
    if action == "delete":
        state.store.delete(target["id"])
    elif action == "add":
        new_item(state, subscription, target, spec)
    else:
        item, price = target
        if price is not None:
            item["price"] = copy.deepcopy(price)
            item["plan"] = catalog.plan_view(price)
        if spec.get("quantity") is not None:
            item["quantity"] = spec["quantity"]
        if "tax_rates" in spec:
            item["tax_rates"] = tax.resolve(state, spec["tax_rates"], "tax_rates")
        set_metadata(item, spec.get("metadata"))


def start_period(state: State, subscription: dict[str, Any], start: int) -> None:
    state.meta[subscription["id"]]["period_start"] = start
    for item in items_of(state, subscription["id"]):
        item["current_period_start"], item["current_period_end"] = subscription_period(
            state, subscription, item["price"]
        )
    sync_items(state, subscription)


def _end_trial(
    state: State, subscription: dict[str, Any], *, collect: bool = True
) -> dict[str, Any] | None:
    """The trial is over: bill the first paid period (or pause/cancel without a card).

    Returns the new invoice; `collect=False` leaves it a draft for the time engine to
    finalize and charge (a trial reaching its end), where `trial_end=now` charges at once.
    """
    now = state.now()
    trial_start = state.meta[subscription["id"]]["period_start"]
    customer = state.require("customer", subscription["customer"], "customer", "customer")
    subscription["trial_end"] = now
    probe = {
        "default_payment_method": None,
        "subscription": subscription["id"],
        "customer": customer["id"],
    }
    has_pm = invoices.default_payment_method(state, probe) is not None
    behavior = subscription["trial_settings"]["end_behavior"]["missing_payment_method"]
    if not has_pm and subscription["collection_method"] == "charge_automatically":
        if behavior == "pause":
            subscription["status"] = "paused"
            state.emit("customer.subscription.paused", subscription)
            return None
        if behavior == "cancel":
            cancel_subscription(state, subscription, reason="cancellation_requested")
            return None
    start_period(state, subscription, now)
    invoice = first_invoice(
        state,
        subscription,
        customer,
        [],
        trial=False,
        billing_reason="subscription_cycle",
        invoice_period=(trial_start, now),
    )
    subscription["latest_invoice"] = invoice["id"]
    subscription["status"] = "active"
    if collect:
        collect_invoice(state, subscription, invoice, "allow_incomplete", off_session=True)
        _past_due_if_unpaid(subscription, invoice)
    return invoice


def _past_due_if_unpaid(subscription: dict[str, Any], invoice: dict[str, Any]) -> None:
    if invoice["status"] == "open" and subscription["collection_method"] == "charge_automatically":
        subscription["status"] = "past_due"


def preview_lines(
    state: State,
    invoice: dict[str, Any],
    subscription: dict[str, Any] | None,
    changes: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], tuple[int, int] | None]:
    """Lines of the next period's invoice, with item `changes` applied (not stored)."""
    now = state.now()
    items = {i["id"]: dict(i) for i in items_of(state, subscription["id"])} if subscription else {}
    start = now
    if subscription is not None and items:
        start = min(i["current_period_end"] for i in items.values())
    for index, spec in enumerate(changes):
        if spec.get("id") in items:
            if spec.get("deleted"):
                del items[spec["id"]]
                continue
            if spec.get("price"):
                items[spec["id"]]["price"] = resolve_price(
                    state, spec, f"subscription_details[items][{index}]"
                )
            if spec.get("quantity") is not None:
                items[spec["id"]]["quantity"] = spec["quantity"]
        else:
            price = resolve_price(state, spec, f"subscription_details[items][{index}]")
            key = f"si_preview_{index}"
            items[key] = {
                "id": key,
                "price": price,
                "quantity": spec.get("quantity") or 1,
                "subscription": subscription["id"] if subscription else None,
                "metadata": spec.get("metadata") or {},
            }
    lines: list[dict[str, Any]] = []
    period: tuple[int, int] | None = None
    for item in items.values():
        recurring = item["price"]["recurring"]
        end = period_end(start, recurring["interval"], recurring["interval_count"])
        period = (start, end) if period is None else period
        lines.append(
            invoices.subscription_item_line(
                state, invoice, item, {"start": start, "end": end}, store=False
            )
        )
    return lines, period


# --- subscription items -------------------------------------------------------


def _check_payable(state: State, customer: dict[str, Any], params: dict[str, Any]) -> None:
    """Fail before creating anything when Stripe would refuse the subscription."""
    if (
        params.get("collection_method") == "send_invoice"
        or params.get("trial_end")
        or params.get("trial_period_days")
    ):
        return
    behavior = params.get("payment_behavior") or "allow_incomplete"
    if behavior == "default_incomplete":
        return
    pm_id = (
        params.get("default_payment_method")
        or params.get("default_source")
        or customer["invoice_settings"]["default_payment_method"]
        or customer["default_source"]
    )
    if pm_id is None:
        raise invalid(invoices.NO_PAYMENT_METHOD, code="resource_missing")
    pm = state.store.get(pm_id, "payment_method") or state.store.get(pm_id, "card")
    if pm is None or pm["customer"] != customer["id"]:
        raise invalid(
            f"The customer does not have a payment method with the ID {pm_id}. The payment "
            "method must be attached to the customer.",
            param="default_payment_method",
            code="resource_missing",
        )
    if behavior == "error_if_incomplete":
        card = payment_methods.card_behaviour(state, pm)
        if card.decline is not None:
            raise card_error(card.decline)
        if card.requires_action:
            raise card_error(payment_intents.AUTHENTICATION_REQUIRED)


def create_subscription(state: State, params: dict[str, Any]) -> dict[str, Any]:
    """Create a subscription from validated create params, bill its first invoice and
    try to pay it."""
    customer = state.require("customer", params["customer"], "customer", "customer")
    if not params["items"]:
        raise EmulatorError(
            400, "Missing required param: items.", code="parameter_missing", param="items"
        )
    prices = [resolve_price(state, item, f"items[{i}]") for i, item in enumerate(params["items"])]
    currencies = {p["currency"] for p in prices}
    if len(currencies) > 1:
        raise invalid("All prices on a subscription must have the same currency.", param="items")
    currency = currencies.pop()
    if customer["currency"] not in (None, currency):
        raise invalid(
            f"You cannot combine currencies on a single customer. This customer has an "
            f"active subscription, subscription schedule, discount, quote, or invoice item "
            f"with currency {customer['currency']}.",
            param="currency",
        )
    collection = params.get("collection_method") or "charge_automatically"
    if collection == "send_invoice" and params.get("days_until_due") is None:
        raise EmulatorError(
            400,
            "Missing required param: days_until_due.",
            code="parameter_missing",
            param="days_until_due",
        )
    wanted = discounts.resolve(state, params.get("discounts"), "discounts", customer=customer["id"])
    _check_payable(state, customer, params)
    now = state.now()
    trial_end = params.get("trial_end")
    if trial_end == "now":
        trial_end = None
    if trial_end is None and params.get("trial_period_days"):
        trial_end = now + 86400 * params["trial_period_days"]
    if trial_end is not None and trial_end <= now:
        raise invalid(
            "Invalid timestamp: must be an integer Unix timestamp in the future.", param="trial_end"
        )
    subscription: dict[str, Any] = {
        "id": state.new_id("sub"),
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": trial_end or now,
        "billing_cycle_anchor_config": None,
        "billing_mode": {"flexible": None, "type": "classic"},
        "billing_schedules": [],
        "billing_thresholds": None,
        "cancel_at": None,
        "cancel_at_period_end": bool(params.get("cancel_at_period_end")),
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": collection,
        "created": now,
        "currency": currency,
        "customer": customer["id"],
        "customer_account": None,
        "days_until_due": params.get("days_until_due"),
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": params.get("description"),
        "discounts": [],
        "ended_at": None,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": sublist([], ""),
        "latest_invoice": None,
        "livemode": False,
        "managed_payments": None,
        "metadata": {},
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": now,
        "status": "incomplete",
        "test_clock": state.test_clock,
        "transfer_data": None,
        "trial_end": trial_end,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": now if trial_end else None,
    }
    assign(subscription, params, ("default_payment_method", "default_source"))
    subscription["default_tax_rates"] = tax.resolve(
        state, params.get("default_tax_rates"), "default_tax_rates"
    )
    if isinstance(params.get("cancel_at"), int):
        subscription["cancel_at"] = params["cancel_at"]
    trial_settings = params.get("trial_settings")
    if isinstance(trial_settings, dict) and isinstance(trial_settings.get("end_behavior"), dict):
        behavior = trial_settings["end_behavior"].get("missing_payment_method")
        if behavior in ("cancel", "create_invoice", "pause"):
            subscription["trial_settings"]["end_behavior"]["missing_payment_method"] = behavior
    set_metadata(subscription, params.get("metadata"))
    state.meta[subscription["id"]] = {"period_start": now}
    state.store.put(subscription)
    replace_discounts(state, subscription, wanted)
    for price, spec in zip(prices, params["items"], strict=True):
        new_item(state, subscription, price, spec)
    if trial_end is not None:
        # The first period is the trial: it ends when the trial does.
        for item in items_of(state, subscription["id"]):
            item["current_period_end"] = trial_end
    sync_items(state, subscription)
    if customer["currency"] is None:
        customer["currency"] = currency
    invoice = first_invoice(
        state,
        subscription,
        customer,
        params.get("add_invoice_items") or [],
        trial=trial_end is not None,
        billing_reason="subscription_create",
    )
    subscription["latest_invoice"] = invoice["id"]
    if trial_end is not None:
        subscription["status"] = "trialing"
    elif collection == "send_invoice":
        subscription["status"] = "active"
    state.emit("customer.subscription.created", subscription)
    before = copy.deepcopy(subscription)
    collect_invoice(
        state,
        subscription,
        invoice,
        params.get("payment_behavior") or "allow_incomplete",
        off_session=bool(params.get("off_session")),
    )
    if subscription != before:
        state.emit_update("customer.subscription.updated", subscription, before)
    return subscription


def replace_discounts(
    state: State,
    subscription: dict[str, Any],
    wanted: list[tuple[dict[str, Any], dict[str, Any] | None]],
) -> None:
    """Make the subscription's discounts `wanted` (existing ones kept when named again)."""
    keep: list[str] = []
    for coupon, promo in wanted:
        existing = next(
            (
                d
                for d in subscription["discounts"]
                if (state.store.get(d, "discount") or {}).get("source", {}).get("coupon")
                == coupon["id"]
            ),
            None,
        )
        if existing is None:
            existing = discounts.new_discount(
                state,
                coupon,
                promo,
                customer=subscription["customer"],
                subscription=subscription["id"],
            )["id"]
        keep.append(existing)
    for discount_id in subscription["discounts"]:
        if discount_id not in keep:
            gone = state.store.get(discount_id, "discount")
            if gone is not None:
                state.store.delete(discount_id)
                state.emit("customer.discount.deleted", gone)
    subscription["discounts"] = keep


def install(state: State) -> None:
    state.on("invoice.paid", on_invoice_paid)
    state.on("customer.deleted", on_customer_deleted)
