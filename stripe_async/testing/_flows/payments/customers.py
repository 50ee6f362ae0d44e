"""Customers: creation with a first card or source, shared by the API and Checkout."""

from __future__ import annotations

from typing import Any

from ..._errors import invalid, not_found
from ..._state import State, assign, set_metadata
from . import payment_methods

_PLAIN = (
    "address",
    "business_name",
    "description",
    "email",
    "individual_name",
    "name",
    "phone",
    "shipping",
    "tax_exempt",
)


def create_customer(state: State, params: dict[str, Any]) -> dict[str, Any]:
    """Create a customer from validated create params (attaching its card, if any)."""
    invoice_settings = params.get("invoice_settings") or {}
    customer: dict[str, Any] = {
        "id": state.new_id("cus"),
        "object": "customer",
        "address": None,
        "balance": params.get("balance") or 0,
        "business_name": None,
        "created": state.now(),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": None,
        "individual_name": None,
        "invoice_prefix": params.get("invoice_prefix") or state.ids.token(8).upper(),
        "invoice_settings": {
            "custom_fields": invoice_settings.get("custom_fields"),
            "default_payment_method": None,
            "footer": invoice_settings.get("footer"),
            "rendering_options": invoice_settings.get("rendering_options"),
        },
        "livemode": False,
        "metadata": {},
        "name": None,
        "next_invoice_sequence": params.get("next_invoice_sequence") or 1,
        "phone": None,
        "preferred_locales": params.get("preferred_locales") or [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": params.get("test_clock"),
    }
    assign(customer, params, _PLAIN)
    set_metadata(customer, params.get("metadata"))
    # Check everything that can fail (a declined card fails the whole call, as on
    # Stripe) before the customer exists.
    pm = None
    if params.get("payment_method") is not None:
        pm = payment_methods.resolve(state, params["payment_method"], "payment_method")
        payment_methods.check_attachable(state, pm, customer["id"])
    default_pm = invoice_settings.get("default_payment_method")
    if default_pm is not None:
        if pm is not None and default_pm in (params["payment_method"], pm["id"]):
            default_pm = pm["id"]
        else:
            raise _not_attached(default_pm)
    source = None
    if params.get("source") is not None:
        source = payment_methods.source_from_token(state, params["source"], None, "source")
        payment_methods.check_attachable(state, source, customer["id"], param="source")
        source["customer"] = customer["id"]
        customer["default_source"] = source["id"]
    customer["invoice_settings"]["default_payment_method"] = default_pm
    state.store.put(customer)
    state.emit("customer.created", customer)
    if pm is not None:
        payment_methods.attach(state, pm, customer)
    return customer


#: The fields an update sets as given (besides the ones a create sets).
UPDATE_FIELDS = (
    *_PLAIN,
    "balance",
    "invoice_prefix",
    "next_invoice_sequence",
    "preferred_locales",
    "default_source",
)


def check_update(state: State, customer: dict[str, Any], params: dict[str, Any]) -> None:
    """Stripe's checks of an update, before anything changes; a `source` token becomes
    the card it makes, attached to the customer."""
    if params.get("default_source") is not None:
        card = state.store.get(params["default_source"], "card")
        if card is None or card["customer"] != customer["id"]:
            raise not_found("source", params["default_source"], param="default_source")
    settings = params.get("invoice_settings") or {}
    pm_id = settings.get("default_payment_method")
    if pm_id is not None:
        pm = state.store.get(pm_id, "payment_method")
        if pm is None or pm["customer"] != customer["id"]:
            raise _not_attached(pm_id)
    if params.get("source") is not None:
        token = params["source"]
        params["source"] = payment_methods.source_from_token(
            state, token, customer["id"], "source"
        )["id"]


def apply_update(state: State, customer: dict[str, Any], params: dict[str, Any]) -> None:
    """What an update sets beyond plain fields: a new default source, invoice settings."""
    if params.get("source") is not None:
        customer["default_source"] = params["source"]
    for key, value in (params.get("invoice_settings") or {}).items():
        customer["invoice_settings"][key] = value


def _not_attached(pm_id: str) -> Exception:
    return invalid(
        f"No such PaymentMethod: '{pm_id}'; the payment method must be attached to the "
        "customer before it can be its default.",
        param="invoice_settings[default_payment_method]",
        code="resource_missing",
    )
