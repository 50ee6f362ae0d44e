"""/v1/events, /v1/webhook_endpoints, /v1/balance and /v1/balance_transactions."""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from .._errors import invalid
from .._lists import paginate
from .._modelled import Modelled
from .._params import BOOL, LIST_PARAMS, METADATA, STR, ListOf, Obj
from .._router import Route
from .._state import State, set_metadata

#: Every event type the emulator emits (what `enabled_events` may name, besides "*").
EVENT_TYPES = frozenset(
    {
        "account.updated",
        "application_fee.created",
        "billing_portal.configuration.created",
        "billing_portal.configuration.updated",
        "billing_portal.session.created",
        "checkout.session.completed",
        "checkout.session.expired",
        "coupon.created",
        "coupon.deleted",
        "coupon.updated",
        "customer.discount.created",
        "customer.discount.deleted",
        "promotion_code.created",
        "promotion_code.updated",
        "setup_intent.canceled",
        "setup_intent.created",
        "setup_intent.requires_action",
        "setup_intent.setup_failed",
        "setup_intent.succeeded",
        "transfer.created",
        "transfer.updated",
        "charge.captured",
        "charge.failed",
        "charge.refunded",
        "charge.succeeded",
        "charge.updated",
        "customer.created",
        "customer.deleted",
        "customer.updated",
        "customer.subscription.created",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
        "customer.subscription.trial_will_end",
        "customer.subscription.updated",
        "invoice.created",
        "invoice.deleted",
        "invoice.finalized",
        "invoice.marked_uncollectible",
        "invoice.paid",
        "invoice.payment_action_required",
        "invoice.payment_failed",
        "invoice.payment_succeeded",
        "invoice.sent",
        "invoice.updated",
        "invoice.upcoming",
        "invoice.voided",
        "invoice_payment.paid",
        "invoiceitem.created",
        "invoiceitem.deleted",
        "invoiceitem.updated",
        "payment_intent.amount_capturable_updated",
        "payment_intent.canceled",
        "payment_intent.created",
        "payment_intent.payment_failed",
        "payment_intent.requires_action",
        "payment_intent.succeeded",
        "payment_method.attached",
        "payment_method.detached",
        "payment_method.updated",
        "plan.created",
        "plan.deleted",
        "plan.updated",
        "price.created",
        "price.deleted",
        "price.updated",
        "product.created",
        "product.deleted",
        "product.updated",
        "refund.created",
        "refund.updated",
        "test_helpers.test_clock.advancing",
        "test_helpers.test_clock.created",
        "test_helpers.test_clock.deleted",
        "test_helpers.test_clock.ready",
    }
)

ENDPOINT_CREATE = Obj(
    {
        "url": STR,
        "enabled_events": ListOf(STR),
        "description": STR,
        "metadata": METADATA,
        "api_version": STR,
        "connect": BOOL,
    },
    required=("url", "enabled_events"),
)
ENDPOINT_UPDATE = Obj(
    {
        "url": STR,
        "enabled_events": ListOf(STR),
        "description": STR,
        "metadata": METADATA,
        "disabled": BOOL,
    }
)
EVENT_LIST = Obj(
    {
        **LIST_PARAMS,
        "type": STR,
        "types": ListOf(STR),
        "delivery_success": BOOL,
    }
)


def _check_url(state: State, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid(f"Invalid URL: {url}. URLs must begin with http:// or https://", param="url")
    refusal = state.webhook_url_refusal(url) if state.webhook_url_refusal else None
    if refusal is not None:
        raise invalid(f"Invalid URL: {url}. Not delivered there: {refusal}.", param="url")


def _check_events(events: list[str]) -> None:
    if not events:
        raise invalid(
            "You must specify at least one event in enabled_events.", param="enabled_events"
        )
    for index, name in enumerate(events):
        if name != "*" and name not in EVENT_TYPES:
            raise invalid(
                f"Invalid enabled_events[{index}]: {name!r} is not an event type the emulator "
                'sends; use "*" or one of: ' + ", ".join(sorted(EVENT_TYPES)),
                param=f"enabled_events[{index}]",
            )


def endpoint_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    _check_url(state, params["url"])
    _check_events(params["enabled_events"])
    endpoint = {
        "id": state.new_id("we"),
        "object": "webhook_endpoint",
        "api_version": params.get("api_version"),
        "application": None,
        "created": state.now(),
        "description": params.get("description"),
        "enabled_events": list(params["enabled_events"]),
        "livemode": False,
        "metadata": {},
        "status": "enabled",
        "url": params["url"],
    }
    set_metadata(endpoint, params.get("metadata"))
    state.store.put(endpoint)
    # Whether the endpoint listens to connected accounts (Stripe keeps this off the object).
    state.meta[endpoint["id"]] = {"connect": bool(params.get("connect"))}
    secret = state.webhook_secret or "whsec_" + state.ids.token(32)
    state.secrets[endpoint["id"]] = secret
    # The signing secret is only ever shown in the reply to create, as on Stripe.
    return {**copy.deepcopy(endpoint), "secret": secret}


def _check_endpoint(state: State, endpoint: dict[str, Any], params: dict[str, Any]) -> None:
    if params.get("url") is not None:
        _check_url(state, params["url"])
    if params.get("enabled_events") is not None:
        _check_events(params["enabled_events"])


def _set_endpoint(state: State, endpoint: dict[str, Any], params: dict[str, Any]) -> None:
    for key in ("url", "enabled_events"):
        if params.get(key) is not None:
            endpoint[key] = params[key]
    if params.get("disabled") is not None:
        endpoint["status"] = "disabled" if params["disabled"] else "enabled"


def _forget_secret(state: State, endpoint: dict[str, Any], params: dict[str, Any]) -> None:
    state.secrets.pop(endpoint["id"], None)


def _type_matches(event_type: str, pattern: str) -> bool:
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return event_type == pattern


def event_list(state: State, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("type") is not None and params.get("types"):
        raise invalid(
            "You may only specify one of these parameters: type, types.",
            code="parameters_exclusive",
        )
    patterns = params.get("types") or ([params["type"]] if params.get("type") else [])
    delivered = params.get("delivery_success")
    rows = [
        e
        for e in state.store.newest_first("event")
        if (not patterns or any(_type_matches(e["type"], p) for p in patterns))
        and (delivered is None or delivered == (e["pending_webhooks"] == 0))
    ]
    return paginate(rows, params, "/v1/events", "event")


def balance(state: State, params: dict[str, Any]) -> dict[str, Any]:
    """Captured charges less refunds, as pending funds per currency (no fees)."""
    pending: dict[str, int] = defaultdict(int)
    for charge in state.store.all("charge"):
        if charge["captured"]:
            pending[charge["currency"]] += charge["amount"] - charge["amount_refunded"]
    currencies = sorted(pending) or ["usd"]
    return {
        "object": "balance",
        "available": [
            {"amount": 0, "currency": c, "source_types": {"card": 0}} for c in currencies
        ],
        "connect_reserved": [{"amount": 0, "currency": c} for c in currencies],
        "livemode": False,
        "pending": [
            {"amount": pending[c], "currency": c, "source_types": {"card": pending[c]}}
            for c in currencies
        ],
    }


WEBHOOK_ENDPOINTS = Modelled(
    "webhook_endpoint",
    label="webhook endpoint",
    create=endpoint_create,
    create_params=ENDPOINT_CREATE,
    update_params=ENDPOINT_UPDATE,
    update_fields=("description",),
    check_update=_check_endpoint,
    apply_update=_set_endpoint,
    deletable=True,
    check_delete=_forget_secret,
    emits=(),
)
BALANCE_TRANSACTIONS = Modelled(
    "balance_transaction",
    filters={"currency": STR, "source": STR, "type": STR},
    # Nothing is paid out: no transaction belongs to a payout.
    where=lambda transaction, params: params.get("payout") is None,
    where_params={"payout": STR},
)
ROUTES = [
    *WEBHOOK_ENDPOINTS.routes(),
    *Modelled("event", listed=False).routes(),
    Route("GET", "/v1/events", event_list, EVENT_LIST),
    Route("GET", "/v1/balance", balance),
    *BALANCE_TRANSACTIONS.routes(),
]
