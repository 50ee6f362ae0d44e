"""/v1/accounts, /v1/account_links, /v1/transfers and /v1/application_fees."""

from __future__ import annotations

from typing import Any

from .._errors import invalid
from .._flows.connect import accounts
from .._flows.payments.money import check_amount, currency_param
from .._modelled import Modelled
from .._params import ANY, METADATA, STR, Int, Obj, Refused, Str
from .._router import Route
from .._state import State

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


def account_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    if state.store.scope is not None:
        raise invalid("Connected accounts cannot create connected accounts.")
    return accounts.new_account(state, params)


def _request_capabilities(state: State, account: dict[str, Any], params: dict[str, Any]) -> None:
    if params.get("email") is not None:
        account["email"] = params["email"]
    for name, spec in (params.get("capabilities") or {}).items():
        if isinstance(spec, dict) and spec.get("requested") in (True, "true"):
            account["capabilities"].setdefault(name, "inactive")


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


def _of_charge(fee: dict[str, Any], params: dict[str, Any]) -> bool:
    return params.get("charge") in (None, fee["charge"], fee["originating_transaction"])


def onboard(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return accounts.finish_onboarding(state, ACCOUNTS.find(state, id))


ACCOUNTS = Modelled(
    "account",
    create=account_create,
    create_params=ACCOUNT_CREATE,
    update_params=ACCOUNT_UPDATE,
    update_fields=(),
    apply_update=_request_capabilities,
    deletable=True,
    emits=("updated",),
)
TRANSFERS = Modelled(
    "transfer",
    create=transfer_create,
    create_params=TRANSFER_CREATE,
    update_params=Obj({"description": STR, "metadata": METADATA}),
    filters={"destination": STR, "transfer_group": STR},
)
APPLICATION_FEES = Modelled(
    "application_fee",
    where=_of_charge,
    where_params={"charge": STR},
)
ROUTES = [
    *ACCOUNTS.routes(),
    Route("POST", "/v1/account_links", link_create, LINK),
    *TRANSFERS.routes(),
    *APPLICATION_FEES.routes(),
    Route("POST", "/_emulator/accounts/{id}/onboard", onboard),
]
