"""Routes of credit notes and of customers' balance transactions."""

from __future__ import annotations

from typing import Any

from .._flows.billing import credit_notes, credits
from .._flows.payments.money import currency_param
from .._lists import paginate
from .._modelled import Modelled
from .._params import INT, LIST_PARAMS, METADATA, NONNEG, STR, ListOf, Obj, Str
from .._router import Route
from .._state import State, set_metadata

LINE = Obj(
    {
        "type": Str("custom_line_item", "invoice_line_item"),
        "invoice_line_item": STR,
        "amount": NONNEG,
        "quantity": NONNEG,
        "unit_amount": NONNEG,
        "description": STR,
        "metadata": METADATA,
    },
    required=("type",),
    # A line's tax is its share of the invoice line's; setting it by hand is not modelled.
    unsupported=("tax_amounts", "tax_rates", "unit_amount_decimal"),
)


NOTE = {
    "invoice": STR,
    "amount": NONNEG,
    "credit_amount": NONNEG,
    "refund_amount": NONNEG,
    "out_of_band_amount": NONNEG,
    "lines": ListOf(LINE),
    "memo": STR,
    "metadata": METADATA,
    "reason": Str("duplicate", "fraudulent", "order_change", "product_unsatisfactory"),
    "effective_at": INT,
}


CREATE = Obj(NOTE, required=("invoice",))


PREVIEW_LINES = Obj({**NOTE, **LIST_PARAMS}, required=("invoice",))


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return credit_notes.issue(state, params)


def preview(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return credit_notes.build(state, params, store=False)


def preview_lines(state: State, params: dict[str, Any]) -> dict[str, Any]:
    note = credit_notes.build(state, params, store=False)
    return paginate(
        note["lines"]["data"], params, "/v1/credit_notes/preview/lines", "credit_note_line_item"
    )


def void(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return credit_notes.void(state, CREDIT_NOTES.find(state, id))


def lines(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    note = CREDIT_NOTES.find(state, id)
    return paginate(
        note["lines"]["data"], params, f"/v1/credit_notes/{id}/lines", "credit_note_line_item"
    )


CREDIT_NOTES = Modelled(
    "credit_note",
    create=create,
    create_params=CREATE,
    update_params=Obj({"memo": STR, "metadata": METADATA}),
    filters={"invoice": STR, "customer": STR},
)


BALANCE_CREATE = Obj(
    {"amount": INT, "currency": STR, "description": STR, "metadata": METADATA},
    required=("amount", "currency"),
)


BALANCE_UPDATE = Obj({"description": STR, "metadata": METADATA})


BALANCE_LIST = Obj({**LIST_PARAMS, "invoice": STR})


def balance_create(state: State, params: dict[str, Any], customer: str) -> dict[str, Any]:
    owner = state.require("customer", customer, "customer", "customer")
    return credits.record(
        state,
        owner,
        params["amount"],
        currency_param(params["currency"]),
        type="adjustment",
        description=params.get("description"),
        metadata=params.get("metadata"),
    )


def _entry(state: State, customer: str, id: str) -> dict[str, Any]:
    state.require("customer", customer, "customer", "customer")
    entry = state.require("customer_balance_transaction", id, "customer_balance_transaction")
    if entry["customer"] != customer:
        entry = state.require("customer_balance_transaction", "", "customer_balance_transaction")
    return entry


def balance_retrieve(
    state: State, params: dict[str, Any], customer: str, id: str
) -> dict[str, Any]:
    return _entry(state, customer, id)


def balance_update(state: State, params: dict[str, Any], customer: str, id: str) -> dict[str, Any]:
    entry = _entry(state, customer, id)
    if "description" in params:
        entry["description"] = params["description"]
    set_metadata(entry, params.get("metadata"))
    return entry


def balance_list(state: State, params: dict[str, Any], customer: str) -> dict[str, Any]:
    state.require("customer", customer, "customer", "customer")
    rows = [
        t
        for t in credits.transactions_of(state, customer)
        if params.get("invoice") in (None, t["invoice"])
    ]
    return paginate(
        rows,
        params,
        f"/v1/customers/{customer}/balance_transactions",
        "customer_balance_transaction",
    )


ROUTES = [
    *CREDIT_NOTES.routes(),
    Route("GET", "/v1/credit_notes/preview", preview, CREATE),
    Route("GET", "/v1/credit_notes/preview/lines", preview_lines, PREVIEW_LINES),
    Route("POST", "/v1/credit_notes/{id}/void", void),
    Route("GET", "/v1/credit_notes/{id}/lines", lines, Obj(LIST_PARAMS)),
    Route("POST", "/v1/customers/{customer}/balance_transactions", balance_create, BALANCE_CREATE),
    Route("GET", "/v1/customers/{customer}/balance_transactions", balance_list, BALANCE_LIST),
    Route("GET", "/v1/customers/{customer}/balance_transactions/{id}", balance_retrieve),
    Route(
        "POST",
        "/v1/customers/{customer}/balance_transactions/{id}",
        balance_update,
        BALANCE_UPDATE,
    ),
]
