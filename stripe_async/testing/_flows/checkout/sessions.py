"""Checkout Sessions in payment, subscription and setup mode, and their completion.

A session is created `open`. `complete()` plays the customer on the Checkout page:
it pays with a test card (or saves it, in setup mode) and makes what Stripe makes:
the Customer when needed, then a PaymentIntent, a Subscription with its first
Invoice, or a SetupIntent, and finally `checkout.session.completed`. A decline or a
failed 3D Secure challenge leaves the session open, as the page would.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..._errors import EmulatorError, invalid, missing_param
from ..._lists import sublist
from ..._settings import DAY
from ..._state import State, set_metadata
from ..billing import catalog, discounts, invoice_payments
from ..billing.subscriptions import create_subscription
from ..payments import payment_intents, payment_methods, setup_intents
from ..payments.customers import create_customer
from ..payments.money import currency_param

HOSTED = ("hosted_page", "hosted")
EMBEDDED = ("embedded_page", "embedded")


def _price_for(state: State, spec: dict[str, Any], param: str) -> dict[str, Any]:
    if spec.get("price") is not None:
        price = state.require("price", spec["price"], "price", f"{param}[price]")
        if not price["active"]:
            raise invalid(f"The price {price['id']} is not active.", param=f"{param}[price]")
        return price
    data = spec.get("price_data")
    if data is None:
        raise missing_param(f"{param}[price]")
    data = dict(data)
    if data.get("product_data") is not None:
        product = catalog.new_product(state, dict(data.pop("product_data")))
        data["product"] = product["id"]
    elif data.get("product") is not None:
        state.require("product", data["product"], "product", f"{param}[price_data][product]")
    else:
        raise missing_param(f"{param}[price_data][product]")
    return catalog.new_price(state, data)


def _line_items(state: State, mode: str, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = []
    for index, spec in enumerate(specs):
        param = f"line_items[{index}]"
        price = _price_for(state, spec, param)
        quantity = spec.get("quantity")
        if quantity is None:
            raise missing_param(f"{param}[quantity]")
        product = state.store.get(price["product"], "product") or {}
        items.append(
            {
                "id": state.new_id("li"),
                "object": "item",
                "adjustable_quantity": None,
                "amount_discount": 0,
                "amount_subtotal": (price["unit_amount"] or 0) * quantity,
                "amount_tax": 0,
                "amount_total": (price["unit_amount"] or 0) * quantity,
                "currency": price["currency"],
                "description": product.get("name"),
                "metadata": dict(spec.get("metadata") or {}),
                "price": copy.deepcopy(price),
                "quantity": quantity,
            }
        )
    recurring = [item for item in items if item["price"]["recurring"] is not None]
    if mode == "payment" and recurring:
        raise invalid(
            "You specified `payment` mode but passed a recurring price. Either switch to "
            "`subscription` mode or use only one-time prices.",
            param="line_items",
        )
    if mode == "subscription" and not recurring:
        raise invalid(
            "You must provide at least one recurring price in `subscription` mode when using "
            "prices.",
            param="line_items",
        )
    if len({item["currency"] for item in items}) > 1:
        raise invalid("All line items must use the same currency.", param="line_items")
    return items


def _check_create(params: dict[str, Any], mode: str, ui_mode: str) -> None:
    if params.get("customer") and params.get("customer_email"):
        raise invalid(
            "You may only specify one of these parameters: customer, customer_email.",
            code="parameters_exclusive",
        )
    if params.get("allow_promotion_codes") and params.get("discounts"):
        raise invalid(
            "You may only specify one of these parameters: allow_promotion_codes, discounts.",
            code="parameters_exclusive",
        )
    if mode == "subscription" and params.get("customer_creation"):
        raise invalid(
            "`customer_creation` can only be used in `payment` and `setup` mode.",
            param="customer_creation",
        )
    if mode == "setup" and params.get("line_items"):
        raise invalid("You cannot pass `line_items` in `setup` mode.", param="line_items")
    if mode != "setup" and not params.get("line_items"):
        raise missing_param("line_items")
    if mode != "subscription" and params.get("subscription_data"):
        raise invalid(
            "You can only pass `subscription_data` in `subscription` mode.",
            param="subscription_data",
        )
    if ui_mode in HOSTED:
        if params.get("return_url"):
            raise invalid(
                "`return_url` can only be used with `ui_mode: embedded_page` or "
                "`ui_mode: elements`; use success_url with a hosted page.",
                param="return_url",
            )
    else:
        for name in ("success_url", "cancel_url"):
            if params.get(name):
                raise invalid(
                    f"`{name}` cannot be used with `ui_mode: {ui_mode}`; use return_url.",
                    param=name,
                )
        if not params.get("return_url") and params.get("redirect_on_completion") != "never":
            raise EmulatorError(
                400,
                f"Missing required param: return_url (needed with `ui_mode: {ui_mode}` unless "
                "`redirect_on_completion` is `never`).",
                code="parameter_missing",
                param="return_url",
            )


def create_session(state: State, params: dict[str, Any]) -> dict[str, Any]:
    """Validate and store an open Checkout Session (nothing is charged yet)."""
    mode = params["mode"]
    ui_mode = params.get("ui_mode") or "hosted_page"
    _check_create(params, mode, ui_mode)
    customer = None
    if params.get("customer") is not None:
        customer = state.require("customer", params["customer"], "customer", "customer")
    items = _line_items(state, mode, params.get("line_items") or [])
    currency = items[0]["currency"] if items else None
    if params.get("currency"):
        currency = currency_param(params["currency"])
    wanted = discounts.resolve(
        state, params.get("discounts"), "discounts", customer=customer["id"] if customer else None
    )
    now = state.now()
    expires_at = params.get("expires_at") or now + DAY
    if not now + 1800 <= expires_at <= now + DAY:
        raise invalid(
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from now.",
            param="expires_at",
        )
    session_id = f"cs_test_a1{state.ids.token(56)}"
    subscription_data = params.get("subscription_data") or {}
    trial_days = subscription_data.get("trial_period_days")
    session: dict[str, Any] = {
        "id": session_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": False},
        "after_expiration": None,
        "allow_promotion_codes": params.get("allow_promotion_codes"),
        "amount_subtotal": None,
        "amount_total": None,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": params.get("billing_address_collection"),
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "client_secret": None
        if ui_mode in HOSTED
        else f"{session_id}_secret_{state.ids.token(24)}",
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "created": now,
        "currency": currency,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": customer["id"] if customer else None,
        "customer_account": None,
        "customer_creation": None
        if mode == "subscription"
        else params.get("customer_creation") or "if_required",
        "customer_details": None,
        "customer_email": params.get("customer_email"),
        "discounts": [],
        "expires_at": expires_at,
        "integration_identifier": None,
        "invoice": None,
        "invoice_creation": None
        if mode != "payment"
        else {"enabled": False, "invoice_data": _invoice_data()},
        "livemode": False,
        "locale": params.get("locale"),
        "managed_payments": None,
        "metadata": {},
        "mode": mode,
        "origin_context": None,
        "payment_intent": None,
        "payment_link": None,
        "payment_method_collection": "always" if mode == "subscription" else None,
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": list(params.get("payment_method_types") or ["card"]),
        "payment_status": "no_payment_required" if mode == "setup" else "unpaid",
        "permissions": None,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": "open",
        "submit_type": params.get("submit_type"),
        "subscription": None,
        "success_url": params.get("success_url"),
        "total_details": None,
        "ui_mode": ui_mode,
        "url": f"https://checkout.stripe.com/c/pay/{session_id}" if ui_mode in HOSTED else None,
        "wallet_options": None,
    }
    if ui_mode not in HOSTED:
        session["return_url"] = params.get("return_url")
        session["redirect_on_completion"] = params.get("redirect_on_completion") or "always"
    set_metadata(session, params.get("metadata"))
    state.meta[session_id] = {
        "line_items": items,
        "coupons": wanted,
        "trial_period_days": trial_days,
        "subscription_data": subscription_data,
        "payment_intent_data": params.get("payment_intent_data") or {},
        "setup_intent_data": params.get("setup_intent_data") or {},
    }
    _price(state, session, wanted)
    state.store.put(session)
    return session


def _invoice_data() -> dict[str, Any]:
    return {
        "account_tax_ids": None,
        "custom_fields": None,
        "description": None,
        "footer": None,
        "issuer": None,
        "metadata": {},
        "rendering_options": None,
    }


def _due_now(state: State, session: dict[str, Any]) -> list[dict[str, Any]]:
    """The line items paid at checkout (recurring ones wait out a trial)."""
    items: list[dict[str, Any]] = state.meta[session["id"]]["line_items"]
    if state.meta[session["id"]]["trial_period_days"]:
        return [item for item in items if item["price"]["recurring"] is None]
    return items


def _price(
    state: State,
    session: dict[str, Any],
    wanted: list[tuple[dict[str, Any], dict[str, Any] | None]],
) -> None:
    """Amounts of the session and its line items under the chosen discounts."""
    if session["mode"] == "setup":
        return
    items = state.meta[session["id"]]["line_items"]
    due = {item["id"] for item in _due_now(state, session)}
    per_line, totals = discounts.split(
        [(coupon["id"], coupon) for coupon, _ in wanted],
        [
            (
                item["id"],
                item["amount_subtotal"] if item["id"] in due else 0,
                item["price"]["product"],
            )
            for item in items
        ],
        session["currency"] or "usd",
    )
    for item in items:
        off = sum(entry["amount"] for entry in per_line[item["id"]])
        item["amount_discount"] = off
        item["amount_total"] = item["amount_subtotal"] - off
    discount_total = sum(entry["amount"] for entry in totals)
    subtotal = sum(item["amount_subtotal"] for item in items if item["id"] in due)
    session["amount_subtotal"] = subtotal
    session["amount_total"] = subtotal - discount_total
    session["total_details"] = {
        "amount_discount": discount_total,
        "amount_shipping": 0,
        "amount_tax": 0,
    }
    session["discounts"] = [
        {"coupon": coupon["id"], "promotion_code": promo["id"] if promo else None}
        for coupon, promo in wanted
    ]


def line_items_of(state: State, session: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = state.meta[session["id"]]["line_items"]
    return items


def include_line_items(state: State, session: dict[str, Any]) -> dict[str, Any]:
    """`expand[]=line_items` on a session: its first page of line items."""
    return sublist(
        copy.deepcopy(line_items_of(state, session)),
        f"/v1/checkout/sessions/{session['id']}/line_items",
    )


def install(state: State) -> None:
    state.includes[("checkout.session", "line_items")] = include_line_items


def expire_session(state: State, session: dict[str, Any]) -> dict[str, Any]:
    if session["status"] != "open":
        raise invalid(
            f"Only Checkout Sessions with a status of `open` can be expired. This session "
            f"has a status of `{session['status']}`."
        )
    session.update(status="expired", url=None, client_secret=None)
    state.emit("checkout.session.expired", session)
    return session


def expire_due(state: State) -> None:
    """Expire open sessions whose `expires_at` has passed (the clock moved)."""
    now = state.now()
    for session in list(state.store.all("checkout.session")):
        if session["status"] == "open" and session["expires_at"] <= now:
            expire_session(state, session)


# --- completion (the customer on the Checkout page) --------------------------------


def complete(
    state: State,
    session: dict[str, Any],
    *,
    payment_method: str,
    email: str | None,
    name: str | None,
    promotion_code: str | None,
    three_d_secure: bool,
) -> dict[str, Any]:
    """Pay (or save the card) as the customer; the session completes unless the card fails."""
    if session["status"] != "open":
        raise invalid(
            f"This Checkout Session is {session['status']}; only an open session can be completed."
        )
    meta = state.meta[session["id"]]
    email = email or session["customer_email"]
    if session["customer"] is None and email is None:
        email = "customer@example.com"
    wanted = meta["coupons"]
    if promotion_code is not None:
        if not session["allow_promotion_codes"]:
            raise invalid("This Checkout Session does not accept promotion codes.")
        promo = next(
            (
                p
                for p in state.store.all("promotion_code")
                if p["code"].lower() == promotion_code.lower() and p["active"]
            ),
            None,
        )
        if promo is None:
            raise invalid(f"This code is invalid: {promotion_code}.")
        _price(state, session, [])
        discounts.promotion_code_for(
            state,
            promo["id"],
            "promotion_code",
            customer=session["customer"],
            amount=session["amount_subtotal"],
            currency=session["currency"],
        )
        coupon = state.require("coupon", promo["promotion"]["coupon"], "coupon")
        wanted = [(coupon, promo)]
        meta["coupons"] = wanted
        _price(state, session, wanted)
    pm = payment_methods.resolve(state, payment_method)
    card = payment_methods.card_behaviour(state, pm)
    pm["billing_details"]["email"] = email
    pm["billing_details"]["name"] = name
    buyer = _Buyer(pm, email, name, wanted, three_d_secure)
    if session["mode"] == "setup":
        return _complete_setup(state, session, buyer)
    if session["mode"] == "subscription":
        if card.decline is not None or (card.requires_action and not three_d_secure):
            return session  # the page shows the error; nothing is created
        return _complete_subscription(state, session, buyer)
    return _complete_payment(state, session, buyer)


@dataclass(frozen=True)
class _Buyer:
    """What the customer gave on the Checkout page."""

    pm: dict[str, Any]
    email: str | None
    name: str | None
    wanted: list[tuple[dict[str, Any], dict[str, Any] | None]]
    three_d_secure: bool


def _attempt(
    state: State,
    intent: dict[str, Any],
    buyer: _Buyer,
    confirm: Callable[[State, dict[str, Any], dict[str, Any]], dict[str, Any]],
    authenticate: Callable[[State, dict[str, Any], bool], dict[str, Any]],
) -> None:
    """Confirm `intent` with the buyer's card and answer 3D Secure as the buyer does; a
    declined card leaves the intent as it is (the page shows the error)."""
    try:
        confirm(state, intent, {"payment_method": buyer.pm["id"]})
        if intent["status"] == "requires_action":
            authenticate(state, intent, buyer.three_d_secure)
    except EmulatorError as error:
        if error.type != "card_error":
            raise


def _customer(
    state: State, session: dict[str, Any], buyer: _Buyer, always: bool
) -> dict[str, Any] | None:
    if session["customer"] is not None:
        return state.require("customer", session["customer"], "customer")
    if not always:
        return None
    return create_customer(state, {"email": buyer.email, "name": buyer.name})


def _finish(
    state: State,
    session: dict[str, Any],
    customer: dict[str, Any] | None,
    buyer: _Buyer,
    payment_status: str,
) -> dict[str, Any]:
    session.update(
        status="complete",
        payment_status=payment_status,
        customer=customer["id"] if customer else None,
        url=None,
        customer_details={
            "address": None,
            "business_name": None,
            "email": (customer or {}).get("email") or buyer.email,
            "individual_name": None,
            "name": (customer or {}).get("name") or buyer.name,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
    )
    state.emit("checkout.session.completed", session)
    return session


def _redeem(
    state: State,
    session: dict[str, Any],
    wanted: list[tuple[dict[str, Any], dict[str, Any] | None]],
    customer: dict[str, Any] | None,
) -> None:
    session["discounts"] = []
    for coupon, promo in wanted:
        discount = discounts.new_discount(
            state,
            coupon,
            promo,
            customer=customer["id"] if customer else None,
            checkout_session=session["id"],
        )
        session["discounts"].append(
            {"coupon": coupon["id"], "promotion_code": discount["promotion_code"]}
        )


def _complete_payment(state: State, session: dict[str, Any], buyer: _Buyer) -> dict[str, Any]:
    meta = state.meta[session["id"]]
    data = meta["payment_intent_data"]
    always = session["customer_creation"] == "always" or bool(data.get("setup_future_usage"))
    customer = _customer(state, session, buyer, always)
    if customer is not None and session["customer"] is None:
        session["customer"] = customer["id"]  # a retry after a decline reuses it
    intent = state.store.get(session["payment_intent"] or "", "payment_intent")
    if intent is None:
        intent = payment_intents.new_intent(
            state,
            amount=session["amount_total"],
            currency=session["currency"],
            customer=customer["id"] if customer else None,
            description=data.get("description"),
            metadata=data.get("metadata"),
            capture_method=data.get("capture_method"),
            payment_method_types=session["payment_method_types"],
        )
        intent["setup_future_usage"] = data.get("setup_future_usage")
        session["payment_intent"] = intent["id"]
    _attempt(state, intent, buyer, payment_intents.confirm_intent, payment_intents.authenticate)
    if intent["status"] not in ("succeeded", "requires_capture"):
        return session
    _redeem(state, session, buyer.wanted, customer)
    return _finish(state, session, customer, buyer, "paid")


def _complete_subscription(state: State, session: dict[str, Any], buyer: _Buyer) -> dict[str, Any]:
    meta = state.meta[session["id"]]
    customer = _customer(state, session, buyer, True)
    assert customer is not None
    payment_methods.attach(state, buyer.pm, customer)
    data = meta["subscription_data"]
    items = meta["line_items"]
    params: dict[str, Any] = {
        "customer": customer["id"],
        "items": [
            {"price": item["price"]["id"], "quantity": item["quantity"]}
            for item in items
            if item["price"]["recurring"] is not None
        ],
        "add_invoice_items": [
            {"price": item["price"]["id"], "quantity": item["quantity"]}
            for item in items
            if item["price"]["recurring"] is None
        ],
        "default_payment_method": buyer.pm["id"],
        "description": data.get("description"),
        "metadata": data.get("metadata"),
        "trial_period_days": meta["trial_period_days"],
        "trial_end": data.get("trial_end"),
        "discounts": [
            {"promotion_code": promo["id"]} if promo else {"coupon": coupon["id"]}
            for coupon, promo in buyer.wanted
        ],
        "payment_behavior": "allow_incomplete",
    }
    subscription = create_subscription(state, params)
    invoice = state.require("invoice", subscription["latest_invoice"], "invoice")
    intent = invoice_payments.intent_of(state, invoice)
    if intent is not None and intent["status"] == "requires_action":
        payment_intents.authenticate(state, intent, True)
    session.update(subscription=subscription["id"], invoice=invoice["id"])
    session["discounts"] = [
        {"coupon": coupon["id"], "promotion_code": promo["id"] if promo else None}
        for coupon, promo in buyer.wanted
    ]
    if invoice["amount_due"] == 0:
        status = "no_payment_required"  # a trial: the first payment comes later
    else:
        status = "paid" if invoice["status"] == "paid" else "unpaid"
    return _finish(state, session, customer, buyer, status)


def _complete_setup(state: State, session: dict[str, Any], buyer: _Buyer) -> dict[str, Any]:
    meta = state.meta[session["id"]]
    customer = _customer(state, session, buyer, session["customer_creation"] == "always")
    intent = state.store.get(session["setup_intent"] or "", "setup_intent")
    if intent is None:
        data = meta["setup_intent_data"]
        intent = setup_intents.new_setup_intent(
            state,
            customer=customer["id"] if customer else None,
            payment_method_types=session["payment_method_types"],
            description=data.get("description"),
            metadata=data.get("metadata"),
        )
        session["setup_intent"] = intent["id"]
    _attempt(state, intent, buyer, setup_intents.confirm_setup, setup_intents.authenticate_setup)
    if intent["status"] != "succeeded":
        return session
    return _finish(state, session, customer, buyer, "no_payment_required")
