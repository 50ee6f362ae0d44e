"""Routes of subscription schedules."""

from __future__ import annotations

from typing import Any

from .._flows.billing import catalog, schedules
from .._modelled import Modelled
from .._params import BOOL, INT, METADATA, STR, Either, Int, ListOf, Obj, Refused, Str
from .._router import Route
from .._state import State

PRORATION = Str("always_invoice", "create_prorations", "none")


PHASE = Obj(
    {
        "items": ListOf(
            Obj(
                {
                    "price": STR,
                    "quantity": Int(minimum=0),
                    "tax_rates": ListOf(STR),
                    "metadata": METADATA,
                },
                required=("price",),
                # Item-level discounts, thresholds and inline prices are not modelled.
                unsupported=("billing_thresholds", "discounts", "plan", "price_data"),
            )
        ),
        "start_date": Either(INT, Str("now")),
        "end_date": INT,
        "duration": Obj(
            {"interval": catalog.INTERVAL, "interval_count": Int(minimum=1)},
            required=("interval",),
        ),
        "proration_behavior": PRORATION,
        "default_tax_rates": ListOf(STR),
        "description": STR,
        "metadata": METADATA,
    },
    required=("items",),
    # A phase changes the items and tax rates; its other settings are not modelled.
    unsupported=(
        "add_invoice_items",
        "application_fee_percent",
        "automatic_tax",
        "billing_cycle_anchor",
        "billing_thresholds",
        "collection_method",
        "currency",
        "default_payment_method",
        "discounts",
        "invoice_settings",
        "on_behalf_of",
        "transfer_data",
        "trial",
        "trial_end",
    ),
)


CREATE = Obj(
    {
        "customer": STR,
        "from_subscription": STR,
        "start_date": Either(INT, Str("now")),
        "end_behavior": Str("cancel", "release"),
        "phases": ListOf(PHASE),
        "metadata": METADATA,
    }
)


UPDATE = Obj(
    {
        "phases": ListOf(PHASE),
        "end_behavior": Str("cancel", "release"),
        "metadata": METADATA,
        "proration_behavior": PRORATION,
    }
)


# No final invoice of usage or prorations is made on cancel: only false is honoured.
CANCEL = Obj({"invoice_now": Refused(BOOL, True), "prorate": Refused(BOOL, True)})


RELEASE = Obj({"preserve_cancel_date": BOOL})


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    return schedules.create(state, params)


def cancel(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return schedules.cancel(state, SCHEDULES.find(state, id))


def release(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return schedules.release(state, SCHEDULES.find(state, id))


def _scheduled(schedule: dict[str, Any], params: dict[str, Any]) -> bool:
    scheduled = params.get("scheduled")
    return scheduled is None or scheduled == (schedule["status"] == "not_started")


SCHEDULES = Modelled(
    "subscription_schedule",
    create=create,
    create_params=CREATE,
    update_params=UPDATE,
    replace_update=schedules.update,
    filters={"customer": STR},
    where=_scheduled,
    where_params={"scheduled": BOOL},
)
ROUTES = [
    *SCHEDULES.routes(),
    Route("POST", "/v1/subscription_schedules/{id}/cancel", cancel, CANCEL),
    Route("POST", "/v1/subscription_schedules/{id}/release", release, RELEASE),
]
