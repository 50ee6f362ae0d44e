"""/v1/accounts, /v1/account_links, /v1/transfers and /v1/application_fees."""

from __future__ import annotations

import copy
from typing import Any

from .._errors import invalid
from .._flows.connect import accounts
from .._flows.payments.money import check_amount, currency_param
from .._lists import paginate
from .._params import ANY, LIST_PARAMS, METADATA, STR, Int, Obj, Refused, Str
from .._router import Route
from .._state import State, set_metadata

ACCOUNT_CREATE = Obj(
    {
        "business_profile": ANY,
        "business_type": Str("company", "government_entity", "individual", "non_profit"),
        "capabilities": ANY,
        "controller": ANY,
        "country": STR,
        "default_currency": STR,
        "email": STR,
        "metadata": METADATA,
        "type": Str("custom", "express", "standard"),
    },
)
ACCOUNT_UPDATE = Obj(
    {"business_profile": ANY, "email": STR, "metadata": METADATA, "capabilities": ANY},
)
LINK = Obj(
    {
        "account": STR,
        "type": Str("account_onboarding", "account_update"),
        "refresh_url": STR,
        "return_url": STR,
        "collect": STR,
        "collection_options": ANY,
    },
    required=("account", "type"),
)
TRANSFER_CREATE = Obj(
    {
        "amount": Int(minimum=1),
        "currency": STR,
        "destination": STR,
        "description": STR,
        "metadata": METADATA,
        "source_transaction": STR,
        # Transfers come from the card balance, the only one the emulator keeps.
        "source_type": Refused(Str("bank_account", "card", "fpx"), "bank_account", "fpx"),
        "transfer_group": STR,
    },
    required=("currency", "destination"),
)
TRANSFER_UPDATE = Obj({"description": STR, "metadata": METADATA})
TRANSFER_LIST = Obj({**LIST_PARAMS, "destination": STR, "transfer_group": STR})
FEE_LIST = Obj({**LIST_PARAMS, "charge": STR})


def account_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    if state.store.scope is not None:
        raise invalid("Connected accounts cannot create connected accounts.")
    return accounts.new_account(state, params)


def _account(state: State, id: str) -> dict[str, Any]:
    return state.require("account", id, "account")


def account_retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return _account(state, id)


def account_update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    account = _account(state, id)
    before = copy.deepcopy(account)
    if params.get("email") is not None:
        account["email"] = params["email"]
    for name, spec in (params.get("capabilities") or {}).items():
        if isinstance(spec, dict) and spec.get("requested") in (True, "true"):
            account["capabilities"].setdefault(name, "inactive")
    set_metadata(account, params.get("metadata"))
    state.emit_update("account.updated", account, before)
    return account


def account_delete(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    _account(state, id)
    return state.store.delete(id)


def account_list(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return paginate(state.store.newest_first("account"), params, "/v1/accounts", "account")


def link_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    if params["type"] == "account_onboarding":
        for name in ("refresh_url", "return_url"):
            if not params.get(name):
                raise invalid(f"Missing required param: {name}.", param=name)
    return accounts.new_account_link(state, params)


def transfer_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    currency = currency_param(params["currency"])
    account = accounts.destination(state, params["destination"], "destination")
    source = params.get("source_transaction")
    amount = params.get("amount")
    if source is not None:
        charge = state.require("charge", source, "charge", "source_transaction")
        amount = charge["amount"] if amount is None else amount
    if amount is None:
        raise invalid("Missing required param: amount.", param="amount")
    check_amount(amount, currency)
    return accounts.new_transfer(
        state,
        amount=amount,
        currency=currency,
        account=account,
        source_transaction=source,
        transfer_group=params.get("transfer_group"),
        description=params.get("description"),
        metadata=params.get("metadata"),
    )


def _transfer(state: State, id: str) -> dict[str, Any]:
    return state.require("transfer", id, "transfer")


def transfer_retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return _transfer(state, id)


def transfer_update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    transfer = _transfer(state, id)
    before = copy.deepcopy(transfer)
    if "description" in params:
        transfer["description"] = params["description"]
    set_metadata(transfer, params.get("metadata"))
    state.emit_update("transfer.updated", transfer, before)
    return transfer


def transfer_list(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        t
        for t in state.store.newest_first("transfer")
        if params.get("destination") in (None, t["destination"])
        and params.get("transfer_group") in (None, t["transfer_group"])
    ]
    return paginate(rows, params, "/v1/transfers", "transfer")


def fee_retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return state.require("application_fee", id, "application_fee")


def fee_list(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        f
        for f in state.store.newest_first("application_fee")
        if params.get("charge") in (None, f["charge"], f["originating_transaction"])
    ]
    return paginate(rows, params, "/v1/application_fees", "application_fee")


def onboard(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return accounts.finish_onboarding(state, _account(state, id))


ROUTES = [
    Route("POST", "/v1/accounts", account_create, ACCOUNT_CREATE),
    Route("GET", "/v1/accounts", account_list, Obj(LIST_PARAMS)),
    Route("GET", "/v1/accounts/{id}", account_retrieve),
    Route("POST", "/v1/accounts/{id}", account_update, ACCOUNT_UPDATE),
    Route("DELETE", "/v1/accounts/{id}", account_delete),
    Route("POST", "/v1/account_links", link_create, LINK),
    Route("POST", "/v1/transfers", transfer_create, TRANSFER_CREATE),
    Route("GET", "/v1/transfers", transfer_list, TRANSFER_LIST),
    Route("GET", "/v1/transfers/{id}", transfer_retrieve),
    Route("POST", "/v1/transfers/{id}", transfer_update, TRANSFER_UPDATE),
    Route("GET", "/v1/application_fees", fee_list, FEE_LIST),
    Route("GET", "/v1/application_fees/{id}", fee_retrieve),
    Route("POST", "/_emulator/accounts/{id}/onboard", onboard),
]
