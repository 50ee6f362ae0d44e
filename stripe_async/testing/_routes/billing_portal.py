"""/v1/billing_portal/configurations and /v1/billing_portal/sessions."""

from __future__ import annotations

from typing import Any

from .._flows.billing import portal
from .._modelled import Modelled
from .._params import ANY, BOOL, METADATA, STR, Obj
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


def session_create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return portal.new_session(state, params)


CONFIGURATIONS = Modelled(
    "billing_portal.configuration",
    "/v1/billing_portal/configurations",
    create=portal.new_configuration,
    create_params=CREATE,
    update_params=UPDATE,
    replace_update=portal.update_configuration,
    filters={"active": BOOL, "is_default": BOOL},
)
ROUTES = [
    *CONFIGURATIONS.routes(),
    Route("POST", "/v1/billing_portal/sessions", session_create, SESSION),
]
