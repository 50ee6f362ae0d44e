"""v2 accounts in the emulator: create, retrieve, update, list and close.

An account keeps what it was given; `configuration`, `identity`, `defaults` and
`requirements` come back only when named in `include`, as on Stripe. Persons,
person tokens and account tokens are refused as `emulator_unsupported` (the
emulator verifies no identity).
"""

from __future__ import annotations

from typing import Any

from ._errors import EmulatorError, invalid
from ._router import Route
from ._state import State
from ._v2_events import emit_thin, page, require, timestamp

ACCOUNT = "v2.core.account"
FIELDS = ("contact_email", "display_name", "dashboard", "metadata")
INCLUDABLE = ("configuration", "defaults", "identity", "requirements")
ACCEPTED = frozenset({*FIELDS, *INCLUDABLE, "include"}) - {"requirements"}

__all__ = ["ROUTES"]


def _check(params: dict[str, Any]) -> None:
    unknown = sorted(set(params) - ACCEPTED)
    if unknown:
        raise EmulatorError(
            400,
            f"The Stripe emulator does not model {unknown[0]} on v2 accounts: leave it out "
            "of calls that run on the emulator",
            code="emulator_unsupported",
            param=unknown[0],
        )


def _view(obj: dict[str, Any], include: Any) -> dict[str, Any]:
    wanted = {item.split(".", 1)[0] for item in include} if isinstance(include, list) else set()
    return {
        key: (None if key in INCLUDABLE and key not in wanted else value)
        for key, value in obj.items()
    }


def _url(obj: dict[str, Any]) -> str:
    return f"/v2/core/accounts/{obj['id']}"


def create_account(state: State, params: dict[str, Any]) -> dict[str, Any]:
    _check(params)
    configuration = params.get("configuration") or {}
    if not isinstance(configuration, dict):
        raise invalid("configuration must be an object", param="configuration")
    obj: dict[str, Any] = {
        "id": state.new_id("acct"),
        "object": ACCOUNT,
        "applied_configurations": sorted(configuration),
        "closed": False,
        "configuration": configuration,
        "contact_email": params.get("contact_email"),
        "created": timestamp(state.now()),
        "dashboard": params.get("dashboard"),
        "defaults": params.get("defaults"),
        "display_name": params.get("display_name"),
        "identity": params.get("identity"),
        "livemode": False,
        "metadata": dict(params.get("metadata") or {}),
        "requirements": {"entries": [], "summary": None},
    }
    state.store.put(obj)
    emit_thin(state, "v2.core.account.created", obj, _url(obj))
    return _view(obj, params.get("include"))


def retrieve_account(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return _view(require(state, ACCOUNT, id, "account"), params.get("include"))


def update_account(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    _check(params)
    obj = require(state, ACCOUNT, id, "account")
    if obj["closed"]:
        raise invalid(f"Account {id} is closed and cannot be updated")
    for name in ("contact_email", "display_name", "dashboard", "defaults", "identity"):
        if name in params:
            obj[name] = params[name]
    if "configuration" in params:
        obj["configuration"] = {**(obj["configuration"] or {}), **params["configuration"]}
        obj["applied_configurations"] = sorted(obj["configuration"])
    if "metadata" in params:
        merged = {**obj["metadata"], **(params["metadata"] or {})}
        obj["metadata"] = {k: v for k, v in merged.items() if v is not None}
    emit_thin(state, "v2.core.account.updated", obj, _url(obj))
    return _view(obj, params.get("include"))


def close_account(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    obj = require(state, ACCOUNT, id, "account")
    obj["closed"] = True
    emit_thin(state, "v2.core.account.closed", obj, _url(obj))
    return _view(obj, None)


def list_accounts(state: State, params: dict[str, Any]) -> dict[str, Any]:
    items = [_view(o, None) for o in state.store.newest_first(ACCOUNT)]
    if "closed" in params:
        wanted = str(params["closed"]).lower() == "true"
        items = [o for o in items if o["closed"] == wanted]
    return page(state, ACCOUNT, "/v2/core/accounts", params, items)  # type: ignore[no-any-return]


ROUTES = [
    Route("POST", "/v2/core/accounts", create_account),
    Route("GET", "/v2/core/accounts", list_accounts),
    Route("GET", "/v2/core/accounts/{id}", retrieve_account),
    Route("POST", "/v2/core/accounts/{id}", update_account),
    Route("POST", "/v2/core/accounts/{id}/close", close_account),
]
