"""Routes of tax rates (the rates invoices, items and subscriptions apply)."""

from __future__ import annotations

from typing import Any

from .._flows.billing import tax
from .._modelled import Modelled
from .._params import BOOL, CREATED, METADATA, STR, Decimal, Obj, Str
from .._state import State

_EDITABLE = {
    "active": BOOL,
    "country": STR,
    "description": STR,
    "display_name": STR,
    "jurisdiction": STR,
    "metadata": METADATA,
    "state": STR,
    "tax_type": Str(
        "amusement_tax",
        "communications_tax",
        "gst",
        "hst",
        "igst",
        "jct",
        "lease_tax",
        "pst",
        "qst",
        "retail_delivery_fee",
        "rst",
        "sales_tax",
        "service_tax",
        "vat",
    ),
}


CREATE = Obj(
    {**_EDITABLE, "inclusive": BOOL, "percentage": Decimal()},
    required=("display_name", "inclusive", "percentage"),
)


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return tax.new_rate(state, params)


TAX_RATES = Modelled(
    "tax_rate",
    create=create,
    create_params=CREATE,
    update_params=Obj(_EDITABLE),
    replace_update=tax.update_rate,
    filters={"active": BOOL, "inclusive": BOOL},
    where_params={"created": CREATED},
)
ROUTES = TAX_RATES.routes()
