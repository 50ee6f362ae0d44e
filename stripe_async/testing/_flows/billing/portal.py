"""The customer portal: configurations, sessions, and what a customer does in it.

The portal page itself is Stripe's; the emulator plays the customer through
`StripeEmulator.portal_*` helpers, which make the same API changes the portal makes
(and only those its configuration allows).
"""

from __future__ import annotations

import copy
from typing import Any

from ..._errors import invalid, unsupported_param
from ..._state import State, set_metadata
from ..payments import payment_methods
from . import changes, subscriptions


def _feature(given: dict[str, Any], name: str) -> dict[str, Any]:
    value = given.get(name)
    return value if isinstance(value, dict) else {}


def _refuse_prorations(given: dict[str, Any]) -> None:
    """Plan switches prorate as subscription updates do; an immediate cancel's credit for
    unused time is not modelled, so a portal that would give one (Stripe's default is
    "none") is refused at configuration, not when a customer first cancels."""
    behavior = _feature(given, "subscription_cancel").get("proration_behavior")
    if behavior not in (None, "", "none"):
        raise unsupported_param("features[subscription_cancel][proration_behavior]")


def _features(given: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    base: dict[str, Any] = (
        copy.deepcopy(current)
        if current
        else {
            "customer_update": {"allowed_updates": [], "enabled": False},
            "invoice_history": {"enabled": False},
            "payment_method_update": {"enabled": False, "payment_method_configuration": None},
            "subscription_cancel": {
                "cancellation_reason": {"enabled": False, "options": []},
                "enabled": False,
                "mode": "at_period_end",
                "proration_behavior": "none",
            },
            "subscription_pause": {
                "duration": {"interval_options": [], "type": "indefinite"},
                "enabled": False,
            },
            "subscription_update": {
                "billing_cycle_anchor": None,
                "default_allowed_updates": [],
                "enabled": False,
                "products": [],
                "proration_behavior": "none",
                "schedule_at_period_end": {"conditions": []},
                "trial_update_behavior": "end_trial",
            },
        }
    )
    for name in ("customer_update", "invoice_history", "payment_method_update"):
        base[name].update({k: v for k, v in _feature(given, name).items() if v is not None})
    _refuse_prorations(given)
    cancel = _feature(given, "subscription_cancel")
    for key in ("enabled", "mode", "proration_behavior"):
        if cancel.get(key) is not None:
            base["subscription_cancel"][key] = cancel[key]
    if isinstance(cancel.get("cancellation_reason"), dict):
        reason = cancel["cancellation_reason"]
        base["subscription_cancel"]["cancellation_reason"] = {
            "enabled": _bool(reason.get("enabled")),
            "options": list(reason.get("options") or []),
        }
    update = _feature(given, "subscription_update")
    for key in ("enabled", "proration_behavior", "billing_cycle_anchor", "trial_update_behavior"):
        if update.get(key) is not None:
            base["subscription_update"][key] = update[key]
    if update.get("default_allowed_updates") is not None:
        base["subscription_update"]["default_allowed_updates"] = list(
            update["default_allowed_updates"] or []
        )
    if update.get("products") is not None:
        products = update["products"]
        if isinstance(products, dict):
            products = [products[k] for k in sorted(products, key=int)]
        base["subscription_update"]["products"] = [
            {
                "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 1},
                "prices": list(p.get("prices") or []),
                "product": p.get("product"),
            }
            for p in products or []
        ]
    for section in base.values():
        if "enabled" in section:
            section["enabled"] = _bool(section["enabled"])
    return base


def _bool(value: Any) -> bool:
    return value is True or value == "true"


def new_configuration(state: State, params: dict[str, Any]) -> dict[str, Any]:
    profile = params.get("business_profile") or {}
    now = state.now()
    default = not any(True for _ in state.store.all("billing_portal.configuration"))
    configuration: dict[str, Any] = {
        "id": state.new_id("bpc"),
        "object": "billing_portal.configuration",
        "active": True,
        "application": None,
        "business_profile": {
            "headline": profile.get("headline"),
            "privacy_policy_url": profile.get("privacy_policy_url"),
            "terms_of_service_url": profile.get("terms_of_service_url"),
        },
        "created": now,
        "default_return_url": params.get("default_return_url"),
        "features": _features(params.get("features") or {}),
        "is_default": default,
        "livemode": False,
        "login_page": {
            "enabled": bool((params.get("login_page") or {}).get("enabled")),
            "url": None,
        },
        "metadata": {},
        "name": params.get("name"),
        "updated": now,
    }
    _set_login_page(state, configuration, configuration["login_page"]["enabled"])
    set_metadata(configuration, params.get("metadata"))
    state.store.put(configuration)
    state.emit("billing_portal.configuration.created", configuration)
    return configuration


def _set_login_page(state: State, configuration: dict[str, Any], enabled: bool) -> None:
    """A login link exists while the login page is enabled (a new one each time it is)."""
    page = configuration["login_page"]
    if enabled and not page["url"]:
        page["url"] = f"https://billing.stripe.com/p/login/test_{state.ids.token(20)}"
    elif not enabled:
        page["url"] = None
    page["enabled"] = bool(enabled)


def update_configuration(
    state: State, configuration: dict[str, Any], params: dict[str, Any]
) -> dict[str, Any]:
    before = copy.deepcopy(configuration)
    if params.get("features") is not None:
        configuration["features"] = _features(params["features"], configuration["features"])
    if params.get("business_profile") is not None:
        configuration["business_profile"].update(
            {
                k: v
                for k, v in params["business_profile"].items()
                if k in ("headline", "privacy_policy_url", "terms_of_service_url")
            }
        )
    for key in ("default_return_url", "name"):
        if key in params:
            configuration[key] = params[key]
    enabled = (params.get("login_page") or {}).get("enabled")
    if enabled is not None:
        _set_login_page(state, configuration, enabled)
    if params.get("active") is not None:
        if configuration["is_default"] and not params["active"]:
            raise invalid("You cannot deactivate the default configuration.", param="active")
        configuration["active"] = params["active"]
    set_metadata(configuration, params.get("metadata"))
    configuration["updated"] = state.now()
    state.emit_update("billing_portal.configuration.updated", configuration, before)
    return configuration


def default_configuration(state: State) -> dict[str, Any]:
    """The account's default configuration (made, as Stripe's Dashboard would, if none)."""
    for configuration in state.store.all("billing_portal.configuration"):
        if configuration["is_default"]:
            return configuration
    return new_configuration(
        state,
        {
            "features": {
                "customer_update": {"allowed_updates": ["email", "address"], "enabled": True},
                "invoice_history": {"enabled": True},
                "payment_method_update": {"enabled": True},
                "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
            }
        },
    )


def new_session(state: State, params: dict[str, Any]) -> dict[str, Any]:
    customer = state.require("customer", params["customer"], "customer", "customer")
    if params.get("configuration") is not None:
        configuration = state.require(
            "billing_portal.configuration",
            params["configuration"],
            "billing_portal.configuration",
            "configuration",
        )
        if not configuration["active"]:
            raise invalid("This configuration is not active.", param="configuration")
    else:
        configuration = default_configuration(state)
    return_url = params.get("return_url") or configuration["default_return_url"]
    session: dict[str, Any] = {
        "id": state.new_id("bps"),
        "object": "billing_portal.session",
        "configuration": configuration["id"],
        "created": state.now(),
        "customer": customer["id"],
        "customer_account": None,
        "flow": None,
        "livemode": False,
        "locale": params.get("locale"),
        "on_behalf_of": params.get("on_behalf_of"),
        "return_url": return_url,
        "url": f"https://billing.stripe.com/p/session/test_{state.ids.token(40)}",
    }
    flow = params.get("flow_data")
    if isinstance(flow, dict) and flow.get("type"):
        session["flow"] = {
            "after_completion": flow.get("after_completion")
            or {"hosted_confirmation": None, "redirect": None, "type": "portal_homepage"},
            "subscription_cancel": flow.get("subscription_cancel"),
            "subscription_update": flow.get("subscription_update"),
            "subscription_update_confirm": flow.get("subscription_update_confirm"),
            "type": flow["type"],
        }
    state.store.put(session)
    state.emit("billing_portal.session.created", session)
    return session


# --- the customer in the portal ----------------------------------------------------


def _context(
    state: State, session_id: str, subscription_id: str | None
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]:
    session = state.require("billing_portal.session", session_id, "billing_portal.session")
    configuration = state.require(
        "billing_portal.configuration", session["configuration"], "billing_portal.configuration"
    )
    subscription = None
    if subscription_id is not None:
        subscription = state.require("subscription", subscription_id, "subscription")
        if subscription["customer"] != session["customer"]:
            raise invalid(f"Subscription {subscription_id} belongs to another customer.")
    return session, configuration, subscription


def cancel(
    state: State, session_id: str, subscription_id: str, reason: str | None
) -> dict[str, Any]:
    """The customer cancels: at period end or now, as the configuration says."""
    _, configuration, subscription = _context(state, session_id, subscription_id)
    assert subscription is not None
    feature = configuration["features"]["subscription_cancel"]
    if not feature["enabled"]:
        raise invalid("This portal configuration does not let customers cancel.")
    details = {"feedback": reason} if reason else None
    if feature["mode"] == "immediately":
        return subscriptions.cancel_subscription(
            state, subscription, reason="cancellation_requested", details=details
        )
    params: dict[str, Any] = {"cancel_at_period_end": True}
    if details:
        params["cancellation_details"] = details
    return subscriptions.update(state, params, subscription["id"])


def switch_price(
    state: State, session_id: str, subscription_id: str, price_id: str, quantity: int | None
) -> dict[str, Any]:
    """The customer picks another plan among the configuration's products and prices."""
    _, configuration, subscription = _context(state, session_id, subscription_id)
    assert subscription is not None
    feature = configuration["features"]["subscription_update"]
    allowed = {p for product in feature["products"] for p in product["prices"]}
    if not feature["enabled"] or "price" not in feature["default_allowed_updates"]:
        raise invalid("This portal configuration does not let customers switch plans.")
    if price_id not in allowed:
        raise invalid(f"The price {price_id} is not offered in this portal configuration.")
    items = subscriptions.items_of(state, subscription["id"])
    if len(items) != 1:
        raise invalid("The portal switches plans of single-item subscriptions only.")
    change: dict[str, Any] = {"id": items[0]["id"], "price": price_id}
    if quantity is not None:
        change["quantity"] = quantity
    params: dict[str, Any] = {
        "items": [change],
        "proration_behavior": feature["proration_behavior"],
    }
    if feature["billing_cycle_anchor"] == "now":
        params["billing_cycle_anchor"] = "now"
    return subscriptions.update(state, params, subscription["id"], prorate=changes.prorating)


def update_payment_method(state: State, session_id: str, payment_method: str) -> dict[str, Any]:
    """The customer adds a card and makes it the default for invoices and subscriptions."""
    session, configuration, _ = _context(state, session_id, None)
    if not configuration["features"]["payment_method_update"]["enabled"]:
        raise invalid("This portal configuration does not let customers update payment methods.")
    customer = state.require("customer", session["customer"], "customer")
    pm = payment_methods.resolve(state, payment_method)
    payment_methods.attach(state, pm, customer)
    before = {"invoice_settings": dict(customer["invoice_settings"])}
    customer["invoice_settings"]["default_payment_method"] = pm["id"]
    state.emit("customer.updated", customer, before)
    for subscription in state.store.all("subscription"):
        mine = subscription["customer"] == customer["id"]
        live = subscription["status"] in subscriptions.LIVE_STATUSES
        if mine and live and subscription["default_payment_method"] is not None:
            subscriptions.update(state, {"default_payment_method": pm["id"]}, subscription["id"])
    return customer
