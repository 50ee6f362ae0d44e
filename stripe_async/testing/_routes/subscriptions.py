"""Routes of subscriptions: parse, call the flow, render."""

from __future__ import annotations

import copy
from typing import Any

from .._cards import card_error
from .._errors import EmulatorError, invalid
from .._flows.billing import catalog, invoices
from .._flows.billing.invoice_items import PRICE_DATA
from .._flows.billing.subscriptions import (
    _apply_item_change,
    _collect,
    _first_invoice,
    _lookup,
    _new_item,
    _resolve_price,
    _start_period,
    cancel_subscription,
    items_of,
    sync_items,
    update,
)
from .._flows.payments import payment_intents, payment_methods
from .._lists import paginate, sublist
from .._params import (
    ANY,
    BOOL,
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
    Str,
)
from .._router import Route
from .._search import search_handler
from .._state import State, assign, set_metadata

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
        "tax_rates": ANY,
        "discounts": ANY,
        "billing_thresholds": ANY,
    }
)


UPDATE_ITEM = ITEM.extend({"id": STR, "deleted": BOOL, "clear_usage": BOOL})


PAYMENT_BEHAVIOR = Str(
    "allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"
)


_COMMON = {
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
    "application_fee_percent": Decimal(),
    "automatic_tax": ANY,
    "billing_thresholds": ANY,
    "cancel_at": Either(INT, Str("max_period_end", "min_period_end")),
    "cancel_at_period_end": BOOL,
    "collection_method": invoices.COLLECTION,
    "days_until_due": Int(minimum=0),
    "default_payment_method": STR,
    "default_source": STR,
    "default_tax_rates": ANY,
    "description": STR,
    "discounts": ANY,
    "invoice_settings": ANY,
    "metadata": METADATA,
    "off_session": BOOL,
    "on_behalf_of": STR,
    "payment_behavior": PAYMENT_BEHAVIOR,
    "payment_settings": ANY,
    "pending_invoice_item_interval": ANY,
    "proration_behavior": Str("always_invoice", "create_prorations", "none"),
    "transfer_data": ANY,
    "trial_end": Either(INT, Str("now")),
    "trial_settings": ANY,
}


NOT_SIMULATED = ("billing_schedules", "customer_account")


CREATE = Obj(
    {
        **_COMMON,
        "customer": STR,
        "items": ListOf(ITEM),
        "currency": STR,
        "backdate_start_date": INT,
        "billing_cycle_anchor": INT,
        "billing_cycle_anchor_config": ANY,
        "billing_mode": ANY,
        "trial_from_plan": BOOL,
        "trial_period_days": Int(minimum=0, maximum=730),
    },
    required=("customer", "items"),
    ignored=NOT_SIMULATED,
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
        "trial_from_plan": BOOL,
        "billing_cycle_anchor": Str("now", "unchanged"),
    },
    ignored=NOT_SIMULATED,
)


CANCEL = Obj(
    {
        "cancellation_details": Obj({"comment": STR, "feedback": STR}),
        "invoice_now": BOOL,
        "prorate": BOOL,
    }
)


RESUME = Obj(
    {
        "billing_cycle_anchor": Str("now", "unchanged"),
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
        "current_period_end": ANY,
        "current_period_start": ANY,
        "test_clock": STR,
        "automatic_tax": ANY,
    },
    ignored=("customer_account",),
)


SEARCH_FIELDS = {"created": "created", "status": "status", "customer": "customer"}


ITEM_CREATE = ITEM.extend(
    {
        "subscription": STR,
        "payment_behavior": PAYMENT_BEHAVIOR,
        "proration_behavior": STR,
        "proration_date": INT,
    },
    required=("subscription",),
    # Trial offers are not simulated.
    ignored=("current_trial",),
)


ITEM_UPDATE = ITEM.extend(
    {
        "payment_behavior": PAYMENT_BEHAVIOR,
        "proration_behavior": STR,
        "proration_date": INT,
        "off_session": BOOL,
    },
    ignored=("current_trial",),
)


ITEM_DELETE = Obj(
    {
        "clear_usage": BOOL,
        "payment_behavior": PAYMENT_BEHAVIOR,
        "proration_behavior": STR,
        "proration_date": INT,
    }
)


ITEM_LIST = Obj({**LIST_PARAMS, "subscription": STR}, required=("subscription",))


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


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    customer = state.require("customer", params["customer"], "customer", "customer")
    if not params["items"]:
        raise EmulatorError(
            400, "Missing required param: items.", code="parameter_missing", param="items"
        )
    prices = [_resolve_price(state, item, f"items[{i}]") for i, item in enumerate(params["items"])]
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
        "test_clock": None,
        "transfer_data": None,
        "trial_end": trial_end,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": now if trial_end else None,
    }
    assign(subscription, params, ("default_payment_method", "default_source"))
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
    for price, spec in zip(prices, params["items"], strict=True):
        _new_item(state, subscription, price, spec)
    if trial_end is not None:
        # The first period is the trial: it ends when the trial does.
        for item in items_of(state, subscription["id"]):
            item["current_period_end"] = trial_end
    sync_items(state, subscription)
    if customer["currency"] is None:
        customer["currency"] = currency
    invoice = _first_invoice(
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
    _collect(
        state,
        subscription,
        invoice,
        params.get("payment_behavior") or "allow_incomplete",
        off_session=bool(params.get("off_session")),
    )
    if subscription != before:
        state.emit_update("customer.subscription.updated", subscription, before)
    return subscription


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return _lookup(state, id)


def cancel(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    subscription = _lookup(state, id)
    return cancel_subscription(
        state,
        subscription,
        reason="cancellation_requested",
        details=params.get("cancellation_details"),
    )


def resume(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    subscription = _lookup(state, id)
    if subscription["status"] != "paused":
        raise invalid(
            f"Only a subscription with status paused can be resumed; {id} is "
            f"{subscription['status']}.",
        )
    customer = state.require("customer", subscription["customer"], "customer", "customer")
    before = copy.deepcopy(subscription)
    _start_period(state, subscription, state.now())
    invoice = _first_invoice(
        state, subscription, customer, [], trial=False, billing_reason="subscription_update"
    )
    subscription["latest_invoice"] = invoice["id"]
    _collect(state, subscription, invoice, "allow_incomplete", off_session=True)
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
    subscription = _lookup(state, params["subscription"])
    price = _resolve_price(state, params, "")
    if price["currency"] != subscription["currency"]:
        raise invalid("All prices on a subscription must have the same currency.", param="price")
    before = copy.deepcopy(subscription)
    item = _new_item(state, subscription, price, params)
    sync_items(state, subscription)
    state.emit_update("customer.subscription.updated", subscription, before)
    return item


def item_retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return state.require("subscription_item", id, "subscription_item")


def item_update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    item = state.require("subscription_item", id, "subscription_item")
    subscription = _lookup(state, item["subscription"])
    price = None
    if params.get("price") or params.get("plan") or params.get("price_data"):
        price = _resolve_price(state, params, "")
    before = copy.deepcopy(subscription)
    _apply_item_change(state, subscription, "update", (item, price), params)
    sync_items(state, subscription)
    state.emit_update("customer.subscription.updated", subscription, before)
    return item


def item_delete(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    item = state.require("subscription_item", id, "subscription_item")
    subscription = _lookup(state, item["subscription"])
    if len(items_of(state, subscription["id"])) <= 1:
        raise invalid(
            "A subscription must have at least one active plan. To cancel a subscription, "
            "please use the cancel API endpoint on /v1/subscriptions."
        )
    before = copy.deepcopy(subscription)
    tombstone = state.store.delete(id)
    sync_items(state, subscription)
    state.emit_update("customer.subscription.updated", subscription, before)
    return tombstone


def item_list(state: State, params: dict[str, Any]) -> dict[str, Any]:
    _lookup(state, params["subscription"])
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
    Route("POST", "/v1/subscriptions/{id}", update, UPDATE),
    Route("DELETE", "/v1/subscriptions/{id}", cancel, CANCEL),
    Route("POST", "/v1/subscriptions/{id}/resume", resume, RESUME),
    Route("POST", "/v1/subscription_items", item_create, ITEM_CREATE),
    Route("GET", "/v1/subscription_items", item_list, ITEM_LIST),
    Route("GET", "/v1/subscription_items/{id}", item_retrieve),
    Route("POST", "/v1/subscription_items/{id}", item_update, ITEM_UPDATE),
    Route("DELETE", "/v1/subscription_items/{id}", item_delete, ITEM_DELETE),
]
