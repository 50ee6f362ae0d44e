"""/v1/billing_portal/configurations and /v1/billing_portal/sessions."""

from __future__ import annotations

from typing import Any

from .._flows.billing import portal
from .._lists import paginate
from .._params import ANY, BOOL, LIST_PARAMS, METADATA, STR, Obj
from .._router import Route
from .._state import State

CONFIGURATION = {
    "business_profile": Obj(
        {"headline": STR, "privacy_policy_url": STR, "terms_of_service_url": STR}
    ),
    "default_return_url": STR,
    "features": ANY,
    "login_page": Obj({"enabled": BOOL}),
    "metadata": METADATA,
    "name": STR,
}
CREATE = Obj(CONFIGURATION, required=("features",))
UPDATE = Obj({**CONFIGURATION, "active": BOOL})
LIST = Obj({**LIST_PARAMS, "active": BOOL, "is_default": BOOL})
SESSION = Obj(
    {
        "configuration": STR,
        "customer": STR,
        "flow_data": ANY,
        "locale": STR,
        "on_behalf_of": STR,
        "return_url": STR,
    },
    required=("customer",),
)
KIND = "billing_portal.configuration"


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return portal.new_configuration(state, params)


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return state.require(KIND, id, KIND)


def update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return portal.update_configuration(state, state.require(KIND, id, KIND), params)


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        c
        for c in state.store.newest_first(KIND)
        if params.get("active") in (None, c["active"])
        and params.get("is_default") in (None, c["is_default"])
    ]
    return paginate(rows, params, "/v1/billing_portal/configurations", KIND)


def session_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return portal.new_session(state, params)


ROUTES = [
    Route("POST", "/v1/billing_portal/configurations", create, CREATE),
    Route("GET", "/v1/billing_portal/configurations", list_all, LIST),
    Route("GET", "/v1/billing_portal/configurations/{id}", retrieve),
    Route("POST", "/v1/billing_portal/configurations/{id}", update, UPDATE),
    Route("POST", "/v1/billing_portal/sessions", session_create, SESSION),
]
