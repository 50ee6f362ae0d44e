"""/v1/payment_methods, customer payment methods, and legacy card sources."""

from __future__ import annotations

import copy
import datetime as _dt
from typing import Any

from ..._cards import BY_NAME, Card, card_error, card_for_payment_method, card_for_token
from ..._errors import invalid, not_found
from ..._state import State


def _expiry(state: State) -> tuple[int, int]:
    year = _dt.datetime.fromtimestamp(state.now(), tz=_dt.timezone.utc).year
    return 12, year + 5


def _billing_details(given: dict[str, Any] | None) -> dict[str, Any]:
    details: dict[str, Any] = {
        "address": {
            "city": None,
            "country": None,
            "line1": None,
            "line2": None,
            "postal_code": None,
            "state": None,
        },
        "email": None,
        "name": None,
        "phone": None,
        "tax_id": None,
    }
    for key, value in (given or {}).items():
        if key == "address" and isinstance(value, dict):
            details["address"].update(value)
        else:
            details[key] = value
    return details


def card_checks() -> dict[str, Any]:
    """What a test card's checks show: the CVC passed, no address was checked."""
    return {"address_line1_check": None, "address_postal_code_check": None, "cvc_check": "pass"}


def new_payment_method(
    state: State,
    card: Card,
    *,
    billing_details: dict[str, Any] | None = None,
    metadata: dict[str, str] | None = None,
    exp: tuple[int | None, int | None] = (None, None),
) -> dict[str, Any]:
    """Store a card PaymentMethod for a test card."""
    default_month, default_year = _expiry(state)
    pm: dict[str, Any] = {
        "id": state.new_id("pm"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": _billing_details(billing_details),
        "card": {
            "brand": card.brand,
            "checks": card_checks(),
            "country": card.country,
            "display_brand": card.brand,
            "exp_month": exp[0] or default_month,
            "exp_year": exp[1] or default_year,
            "fingerprint": card.fingerprint,
            "funding": card.funding,
            "generated_from": None,
            "last4": card.last4,
            "networks": {"available": [card.brand], "preferred": None},
            "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": True},
            "wallet": None,
        },
        "created": state.now(),
        "customer": None,
        "customer_account": None,
        "livemode": False,
        "metadata": dict(metadata or {}),
        "type": "card",
    }
    state.meta[pm["id"]] = {"card": card.name}
    return state.store.put(pm)


def new_card_source(state: State, card: Card, customer: str | None) -> dict[str, Any]:
    """A legacy `card_...` source (from a `tok_...` token)."""
    month, year = _expiry(state)
    source: dict[str, Any] = {
        "id": state.new_id("card"),
        "object": "card",
        "address_city": None,
        "address_country": None,
        "address_line1": None,
        "address_line1_check": None,
        "address_line2": None,
        "address_state": None,
        "address_zip": None,
        "address_zip_check": None,
        "brand": {"amex": "American Express", "mastercard": "MasterCard"}.get(
            card.brand, card.brand.capitalize()
        ),
        "country": card.country,
        "customer": customer,
        "cvc_check": "pass",
        "dynamic_last4": None,
        "exp_month": month,
        "exp_year": year,
        "fingerprint": card.fingerprint,
        "funding": card.funding,
        "last4": card.last4,
        "metadata": {},
        "name": None,
        "regulated_status": "unregulated",
        "tokenization_method": None,
    }
    state.meta[source["id"]] = {"card": card.name}
    return state.store.put(source)


def billing_from_source(source: dict[str, Any]) -> dict[str, Any]:
    """A legacy card's address fields in PaymentMethod billing_details form."""
    return _billing_details(
        {
            "name": source["name"],
            "address": {
                "city": source["address_city"],
                "country": source["address_country"],
                "line1": source["address_line1"],
                "line2": source["address_line2"],
                "postal_code": source["address_zip"],
                "state": source["address_state"],
            },
        }
    )


def card_behaviour(state: State, payment_method: dict[str, Any]) -> Card:
    """The test-card behaviour of a stored PaymentMethod or card source."""
    return BY_NAME[state.meta[payment_method["id"]]["card"]]


def resolve(state: State, value: str, param: str = "payment_method") -> dict[str, Any]:
    """A PaymentMethod (or card source) from an id or a test shortcut like `pm_card_visa`.

    A shortcut creates a fresh PaymentMethod each time, as Stripe does.
    """
    card = card_for_payment_method(value)
    if card is not None:
        return new_payment_method(state, card)
    found = state.store.get(value, "payment_method") or state.store.get(value, "card")
    if found is None:
        raise not_found("PaymentMethod", value, param=param)
    return found


def source_from_token(state: State, token: str, customer: str | None, param: str) -> dict[str, Any]:
    card = card_for_token(token)
    if card is None:
        found = state.store.get(token, "card")
        if found is None:
            raise not_found("token", token, param=param)
        return found
    return new_card_source(state, card, customer)


def check_attachable(
    state: State, pm: dict[str, Any], customer_id: str, param: str = "payment_method"
) -> None:
    """Stripe checks a card when it is attached: most decline cards fail with a 402."""
    if pm["customer"] == customer_id:
        return
    if pm["customer"] is not None:
        raise invalid(
            "The payment method you provided has already been attached to a customer.",
            param="payment_method",
        )
    if state.meta.get(pm["id"], {}).get("consumed"):
        raise invalid(
            "This PaymentMethod was previously used without being attached to a Customer or "
            "was detached from a Customer, and may not be used again.",
            param="payment_method",
        )
    card = card_behaviour(state, pm)
    if card.decline is not None and card.declines_on_attach:
        raise card_error(card.decline, param=param)


def attach(state: State, pm: dict[str, Any], customer: dict[str, Any]) -> dict[str, Any]:
    if pm["customer"] == customer["id"]:
        return pm
    check_attachable(state, pm, customer["id"])
    pm["customer"] = customer["id"]
    state.emit("payment_method.attached", pm)
    return pm


def detach(state: State, pm: dict[str, Any]) -> dict[str, Any]:
    if pm["customer"] is None:
        raise invalid(
            f"The payment method {pm['id']} is not attached to a customer.",
            code="payment_method_unexpected_state",
        )
    previous = pm["customer"]
    pm["customer"] = None
    state.meta.setdefault(pm["id"], {})["consumed"] = True
    state.emit("payment_method.detached", pm, {"customer": previous})
    customer = state.store.get(previous, "customer")
    if customer is not None and customer["invoice_settings"]["default_payment_method"] == pm["id"]:
        before = {"invoice_settings": dict(customer["invoice_settings"])}
        customer["invoice_settings"]["default_payment_method"] = None
        state.emit("customer.updated", customer, before)
    return pm


def apply_update(state: State, pm: dict[str, Any], params: dict[str, Any]) -> None:
    """An update's billing details merge into the old ones; a card's expiry changes."""
    if params.get("billing_details") is not None:
        merged = copy.deepcopy(pm["billing_details"])
        for key, value in params["billing_details"].items():
            if key == "address" and isinstance(value, dict):
                merged["address"].update(value)
            else:
                merged[key] = value
        pm["billing_details"] = merged
    for key, value in (params.get("card") or {}).items():
        if key in ("exp_month", "exp_year") and value is not None:
            pm["card"][key] = value
