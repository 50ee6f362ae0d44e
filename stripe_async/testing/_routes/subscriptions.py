"""Routes of subscriptions: parse, call the flow, render."""

from __future__ import annotations

import copy
from typing import Any

from .._errors import invalid
from .._flows.billing import catalog, invoices
from .._flows.billing.changes import after_change, before_change, prorating
from .._flows.billing.invoice_items import PRICE_DATA
from .._flows.billing.subscriptions import (
    apply_item_change,
    cancel_subscription,
    collect_invoice,
    create_subscription,
    first_invoice,
    items_of,
    lookup,
    new_item,
    resolve_price,
    start_period,
    sync_items,
    update,
)
from .._lists import paginate
from .._params import (
    ANY,
    AUTOMATIC_TAX,
    BOOL,
    DISCOUNTS,
    INT,
    LIST_PARAMS,
    METADATA,
    NONNEG,
    SEARCH_PARAMS,
    STR,
    Decimal,
    Either,
    Int,
    ListOf,
    Obj,
    Refused,
    Str,
)
from .._router import Route
from .._search import search_handler
from .._state import State

ITEM_PRICE_DATA = Obj(
    {
        "currency": STR,
        "product": STR,
        "recurring": Obj(
            {"interval": catalog.INTERVAL, "interval_count": Int(minimum=1)},
            required=("interval",),
        ),
        "unit_amount": NONNEG,
        "unit_amount_decimal": Decimal(),
        "tax_behavior": Str("exclusive", "inclusive", "unspecified"),
    },
    required=("currency", "product", "recurring"),
)


ITEM = Obj(
    {
        "price": STR,
        "plan": STR,
        "price_data": ITEM_PRICE_DATA,
        "quantity": Int(minimum=0),
        "metadata": METADATA,
        "tax_rates": ListOf(STR),
    }
)


UPDATE_ITEM = ITEM.extend({"id": STR, "deleted": BOOL, "clear_usage": BOOL})


PRORATION = Str("always_invoice", "create_prorations", "none")


PAYMENT_BEHAVIOR = Str(
    "allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"
)


_COMMON = {
    "automatic_tax": AUTOMATIC_TAX,
    "cancel_at": Either(INT, Str("max_period_end", "min_period_end")),
    "cancel_at_period_end": BOOL,
    "collection_method": invoices.COLLECTION,
    "days_until_due": Int(minimum=0),
    "default_tax_rates": ListOf(STR),
    "default_payment_method": STR,
    "default_source": STR,
    "description": STR,
    "discounts": DISCOUNTS,
    "metadata": METADATA,
    "off_session": BOOL,
    "payment_behavior": PAYMENT_BEHAVIOR,
    "proration_behavior": Str("always_invoice", "create_prorations", "none"),
    "trial_end": Either(INT, Str("now")),
}


CREATE = Obj(
    {
        **_COMMON,
        # Read when the subscription starts (its first invoice and trial), not on update.
        "add_invoice_items": ListOf(
            Obj(
                {
                    "price": STR,
                    "price_data": PRICE_DATA,
                    "quantity": Int(minimum=1),
                    "discounts": ANY,
                    "metadata": METADATA,
                    "period": ANY,
                }
            )
        ),
        "trial_settings": ANY,
        "customer": STR,
        "items": ListOf(ITEM),
        # A price's own trial is not applied; only false (the default) is honoured.
        "trial_from_plan": Refused(BOOL, True),
        "trial_period_days": Int(minimum=0, maximum=730),
    },
    required=("customer", "items"),
)


UPDATE = Obj(
    {
        **_COMMON,
        "items": ListOf(UPDATE_ITEM),
        "cancellation_details": Obj({"comment": STR, "feedback": STR}),
        "pause_collection": Obj(
            {"behavior": Str("keep_as_draft", "mark_uncollectible", "void"), "resumes_at": INT},
            required=("behavior",),
        ),
        "proration_date": INT,
        # A price's own trial is not applied; only false (the default) is honoured.
        "trial_from_plan": Refused(BOOL, True),
        "billing_cycle_anchor": Str("now", "unchanged"),
    },
)


CANCEL = Obj(
    {
        "cancellation_details": Obj({"comment": STR, "feedback": STR}),
        # No final invoice of pending items or prorations is made: only false is.
        "invoice_now": Refused(BOOL, True),
        "prorate": Refused(BOOL, True),
    }
)


RESUME = Obj(
    {
        # The paused period is not prorated: only a fresh cycle from now (the default).
        "billing_cycle_anchor": Refused(Str("now", "unchanged"), "unchanged"),
        "payment_behavior": Str("resume_on_payment_attempt", "resume_on_payment_success"),
        "proration_behavior": Str("always_invoice", "create_prorations", "none"),
        "proration_date": INT,
    }
)


LIST = Obj(
    {
        **LIST_PARAMS,
        "customer": STR,
        "price": STR,
        "plan": STR,
        "status": Str(
            "active",
            "all",
            "canceled",
            "ended",
            "incomplete",
            "incomplete_expired",
            "past_due",
            "paused",
            "trialing",
            "unpaid",
        ),
        "collection_method": invoices.COLLECTION,
        # No subscription computes tax: filtering on enabled=true would find none.
        "automatic_tax": Obj({"enabled": Refused(BOOL, True)}, required=("enabled",)),
    },
)


SEARCH_FIELDS = {"created": "created", "status": "status", "customer": "customer"}


ITEM_CREATE = ITEM.extend(
    {
        "subscription": STR,
        "payment_behavior": PAYMENT_BEHAVIOR,
        "proration_behavior": PRORATION,
        "proration_date": INT,
    },
    required=("subscription",),
)


ITEM_UPDATE = ITEM.extend(
    {
        "payment_behavior": PAYMENT_BEHAVIOR,
        "proration_behavior": PRORATION,
        "proration_date": INT,
        "off_session": BOOL,
    },
)


ITEM_DELETE = Obj(
    {
        "clear_usage": BOOL,
        "payment_behavior": PAYMENT_BEHAVIOR,
        "proration_behavior": PRORATION,
        "proration_date": INT,
    }
)


ITEM_LIST = Obj({**LIST_PARAMS, "subscription": STR}, required=("subscription",))


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return create_subscription(state, params)


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return lookup(state, id)


def update_prorating(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return update(state, params, id, prorate=prorating)


def cancel(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    subscription = lookup(state, id)
    return cancel_subscription(
        state,
        subscription,
        reason="cancellation_requested",
        details=params.get("cancellation_details"),
    )


def resume(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    subscription = lookup(state, id)
    if subscription["status"] != "paused":
        raise invalid(
            f"Only a subscription with status paused can be resumed; {id} is "
            f"{subscription['status']}.",
        )
    customer = state.require("customer", subscription["customer"], "customer", "customer")
    before = copy.deepcopy(subscription)
    start_period(state, subscription, state.now())
    invoice = first_invoice(
        state, subscription, customer, [], trial=False, billing_reason="subscription_update"
    )
    subscription["latest_invoice"] = invoice["id"]
    collect_invoice(state, subscription, invoice, "allow_incomplete", off_session=True)
    if invoice["status"] != "paid" and params.get("payment_behavior") == (
        "resume_on_payment_success"
    ):
        # Stays paused; paying the invoice resumes it (on_invoice_paid).
        subscription["status"] = "paused"
        state.emit_update("customer.subscription.updated", subscription, before)
        return subscription
    subscription["status"] = "active" if invoice["status"] == "paid" else "past_due"
    state.emit("customer.subscription.resumed", subscription)
    state.emit_update("customer.subscription.updated", subscription, before)
    return subscription


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    status = params.get("status")
    price = params.get("price") or params.get("plan")

    def wanted(sub: dict[str, Any]) -> bool:
        if status is None:
            return sub["status"] not in ("canceled", "incomplete_expired")
        if status == "all":
            return True
        if status == "ended":
            return sub["status"] in ("canceled", "incomplete_expired")
        return bool(sub["status"] == status)

    rows = [
        s
        for s in state.store.newest_first("subscription")
        if wanted(s)
        and params.get("customer") in (None, s["customer"])
        and params.get("collection_method") in (None, s["collection_method"])
        and (price is None or any(i["price"]["id"] == price for i in items_of(state, s["id"])))
    ]
    return paginate(rows, params, "/v1/subscriptions", "subscription")


search_route = search_handler("subscription", "subscriptions", SEARCH_FIELDS)


def item_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    subscription = lookup(state, params["subscription"])
    price = resolve_price(state, params, "")
    if price["currency"] != subscription["currency"]:
        raise invalid("All prices on a subscription must have the same currency.", param="price")
    slots = before_change(state, subscription, params)
    before = copy.deepcopy(subscription)
    item = new_item(state, subscription, price, params)
    after_change(state, subscription, slots, params)
    sync_items(state, subscription)
    state.emit_update("customer.subscription.updated", subscription, before)
    return item


def item_retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return state.require("subscription_item", id, "subscription_item")


def item_update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    item = state.require("subscription_item", id, "subscription_item")
    subscription = lookup(state, item["subscription"])
    price = None
    if params.get("price") or params.get("plan") or params.get("price_data"):
        price = resolve_price(state, params, "")
    change = ("update", (item, price), params)
    slots = before_change(state, subscription, params)
    before = copy.deepcopy(subscription)
    apply_item_change(state, subscription, *change)
    after_change(state, subscription, slots, params)
    sync_items(state, subscription)
    state.emit_update("customer.subscription.updated", subscription, before)
    return item


def item_delete(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    item = state.require("subscription_item", id, "subscription_item")
    subscription = lookup(state, item["subscription"])
    if len(items_of(state, subscription["id"])) <= 1:
        raise invalid(
            "A subscription must have at least one active plan. To cancel a subscription, "
            "please use the cancel API endpoint on /v1/subscriptions."
        )
    slots = before_change(state, subscription, params)
    before = copy.deepcopy(subscription)
    tombstone = state.store.delete(id)
    after_change(state, subscription, slots, params)
    sync_items(state, subscription)
    state.emit_update("customer.subscription.updated", subscription, before)
    return tombstone


def item_list(state: State, params: dict[str, Any]) -> dict[str, Any]:
    lookup(state, params["subscription"])
    rows = list(reversed(items_of(state, params["subscription"])))
    return paginate(
        rows,
        params,
        f"/v1/subscription_items?subscription={params['subscription']}",
        "subscription_item",
    )


ROUTES = [
    Route("POST", "/v1/subscriptions", create, CREATE),
    Route("GET", "/v1/subscriptions", list_all, LIST),
    Route("GET", "/v1/subscriptions/search", search_route, SEARCH_PARAMS),
    Route("GET", "/v1/subscriptions/{id}", retrieve),
    Route("POST", "/v1/subscriptions/{id}", update_prorating, UPDATE),
    Route("DELETE", "/v1/subscriptions/{id}", cancel, CANCEL),
    Route("POST", "/v1/subscriptions/{id}/resume", resume, RESUME),
    Route("POST", "/v1/subscription_items", item_create, ITEM_CREATE),
    Route("GET", "/v1/subscription_items", item_list, ITEM_LIST),
    Route("GET", "/v1/subscription_items/{id}", item_retrieve),
    Route("POST", "/v1/subscription_items/{id}", item_update, ITEM_UPDATE),
    Route("DELETE", "/v1/subscription_items/{id}", item_delete, ITEM_DELETE),
]
