"""/v1/payment_methods, customer payment methods, and legacy card sources."""

from __future__ import annotations

import copy
import datetime as _dt
from typing import Any

from .._cards import BY_NAME, BY_NUMBER, Card, card_error, card_for_payment_method, card_for_token
from .._errors import EmulatorError, invalid, not_found
from .._lists import paginate
from .._params import ADDRESS, INT, LIST_PARAMS, METADATA, STR, Obj, Str
from .._router import Route
from .._state import State, assign, set_metadata

BILLING_DETAILS = Obj({"address": ADDRESS, "email": STR, "name": STR, "phone": STR, "tax_id": STR})
CARD_INPUT = Obj(
    {
        "token": STR,
        "number": STR,
        "exp_month": INT,
        "exp_year": INT,
        "cvc": STR,
        "networks": Obj({"preferred": STR}),
    }
)
REDISPLAY = Str("always", "limited", "unspecified")
#: Payment method types Stripe documents but the emulator does not simulate (it
#: makes cards only): their hashes are accepted and dropped, and `type` still
#: has to be `card`.
OTHER_TYPES = (
    "acss_debit",
    "affirm",
    "afterpay_clearpay",
    "alipay",
    "alma",
    "amazon_pay",
    "au_becs_debit",
    "bacs_debit",
    "bancontact",
    "billie",
    "bizum",
    "blik",
    "boleto",
    "cashapp",
    "crypto",
    "custom",
    "customer_balance",
    "eps",
    "fpx",
    "giropay",
    "grabpay",
    "ideal",
    "interac_present",
    "kakao_pay",
    "klarna",
    "konbini",
    "kr_card",
    "link",
    "mb_way",
    "mobilepay",
    "multibanco",
    "naver_pay",
    "nz_bank_account",
    "oxxo",
    "p24",
    "pay_by_bank",
    "payco",
    "paynow",
    "paypal",
    "paypay",
    "payto",
    "pix",
    "promptpay",
    "revolut_pay",
    "samsung_pay",
    "satispay",
    "scalapay",
    "sepa_debit",
    "sequra",
    "sofort",
    "sunbit",
    "swish",
    "twint",
    "upi",
    "us_bank_account",
    "wechat_pay",
    "zip",
)
CREATE = Obj(
    {
        "type": Str("card"),
        "card": CARD_INPUT,
        "billing_details": BILLING_DETAILS,
        "metadata": METADATA,
        "allow_redisplay": REDISPLAY,
        "customer": STR,
        "payment_method": STR,
    },
    ignored=(*OTHER_TYPES, "radar_options"),
)
UPDATE = Obj(
    {
        "billing_details": BILLING_DETAILS,
        "metadata": METADATA,
        "allow_redisplay": REDISPLAY,
        "card": Obj({"exp_month": INT, "exp_year": INT, "networks": Obj({"preferred": STR})}),
    },
    ignored=("us_bank_account",),
)
#: Accounts v2 (`customer_account`) is not simulated: accepted and dropped.
LIST = Obj(
    {**LIST_PARAMS, "customer": STR, "type": STR, "allow_redisplay": REDISPLAY},
    ignored=("customer_account",),
)
CUSTOMER_LIST = Obj({**LIST_PARAMS, "type": STR, "allow_redisplay": REDISPLAY})
ATTACH = Obj({"customer": STR}, required=("customer",), ignored=("customer_account",))


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
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": "pass",
            },
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


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("payment_method") is not None:
        raise invalid(
            "Cloning PaymentMethods needs Connect, which the emulator does not offer.",
            param="payment_method",
        )
    if params.get("type") is None:
        raise EmulatorError(
            400, "Missing required param: type.", code="parameter_missing", param="type"
        )
    given = params.get("card") or {}
    if given.get("token") is not None:
        card = card_for_token(given["token"])
        if card is None:
            raise not_found("token", given["token"], param="card[token]")
    elif given.get("number") is not None:
        card = BY_NUMBER.get(given["number"].replace(" ", ""))
        if card is None:
            raise EmulatorError(
                402,
                "Your card number is incorrect. The emulator knows Stripe's test card numbers "
                "only (such as 4242424242424242).",
                type="card_error",
                code="incorrect_number",
                param="card[number]",
            )
    else:
        raise EmulatorError(
            400, "Missing required param: card.", code="parameter_missing", param="card"
        )
    pm = new_payment_method(
        state,
        card,
        billing_details=params.get("billing_details"),
        metadata=params.get("metadata"),
        exp=(given.get("exp_month"), given.get("exp_year")),
    )
    if params.get("allow_redisplay"):
        pm["allow_redisplay"] = params["allow_redisplay"]
    if params.get("customer") is not None:
        attach(state, pm, state.require("customer", params["customer"], "customer", "customer"))
    return pm


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return resolve(state, id, param="id")


def update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    pm = state.require("payment_method", id, "PaymentMethod")
    before = copy.deepcopy(pm)
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
    set_metadata(pm, params.get("metadata"))
    assign(pm, params, ("allow_redisplay",))
    state.emit_update("payment_method.updated", pm, before)
    return pm


def _listed(pm: dict[str, Any], params: dict[str, Any]) -> bool:
    """Whether a payment method passes the list filters (`type`, `allow_redisplay`)."""
    return all(params.get(name) in (None, pm[name]) for name in ("type", "allow_redisplay"))


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        pm
        for pm in state.store.newest_first("payment_method")
        if params.get("customer") in (None, pm["customer"]) and _listed(pm, params)
    ]
    return paginate(rows, params, "/v1/payment_methods", "payment method")


def attach_route(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    customer = state.require("customer", params["customer"], "customer", "customer")
    return attach(state, resolve(state, id, param="id"), customer)


def detach_route(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return detach(state, state.require("payment_method", id, "PaymentMethod"))


def customer_list(state: State, params: dict[str, Any], customer: str) -> dict[str, Any]:
    state.require("customer", customer, "customer")
    rows = [
        pm
        for pm in state.store.newest_first("payment_method")
        if pm["customer"] == customer and _listed(pm, params)
    ]
    return paginate(rows, params, f"/v1/customers/{customer}/payment_methods", "payment method")


def customer_retrieve(
    state: State, params: dict[str, Any], customer: str, id: str
) -> dict[str, Any]:
    state.require("customer", customer, "customer")
    pm = state.store.get(id, "payment_method")
    if pm is None or pm["customer"] != customer:
        raise not_found("PaymentMethod", id)
    return pm


ROUTES = [
    Route("POST", "/v1/payment_methods", create, CREATE, publishable=True),
    Route("GET", "/v1/payment_methods", list_all, LIST),
    Route("GET", "/v1/payment_methods/{id}", retrieve),
    Route("POST", "/v1/payment_methods/{id}", update, UPDATE),
    Route("POST", "/v1/payment_methods/{id}/attach", attach_route, ATTACH),
    Route("POST", "/v1/payment_methods/{id}/detach", detach_route),
    Route("GET", "/v1/customers/{customer}/payment_methods", customer_list, CUSTOMER_LIST),
    Route("GET", "/v1/customers/{customer}/payment_methods/{id}", customer_retrieve),
]
