"""Served test helpers Stripe has no endpoint for, under /_emulator/.

- `POST /_emulator/clock/advance` (`seconds=` or `frozen_time=`): moves the emulator's
  own clock, as `StripeEmulator.advance_clock()` does, for objects on no test clock.
- `POST /_emulator/events/{id}/resend` (optional `webhook_endpoint=`): delivers an
  event again, as the Dashboard's "Resend" does; `POST /v1/events/{id}/retry` is the
  same (the path the Stripe CLI's `stripe events resend` calls).
- `POST /_emulator/billing_portal/sessions/{id}/cancel_subscription`,
  `.../switch_price` and `.../update_payment_method`: the customer acting in the portal.
"""

from __future__ import annotations

from typing import Any

from .._errors import invalid
from .._flows.billing import portal
from .._flows.billing.clock import run_until
from .._flows.checkout.sessions import expire_due
from .._params import INT, STR, Int, Obj
from .._router import Route
from .._state import Outgoing, State
from .._store import FrozenClock

ADVANCE = Obj({"seconds": Int(minimum=0), "frozen_time": INT})
RESEND = Obj({"webhook_endpoint": STR})
CANCEL = Obj({"subscription": STR, "reason": STR}, required=("subscription",))
SWITCH = Obj(
    {"subscription": STR, "price": STR, "quantity": Int(minimum=1)},
    required=("subscription", "price"),
)
UPDATE_PM = Obj({"payment_method": STR})


def move_emulator_clock(state: State, target: int) -> int:
    """Run everything due on no test clock up to `target` (Checkout expiry included)."""
    run_until(state, None, target)
    expire_due(state)
    return state.now()


def advance(state: State, params: dict[str, Any]) -> dict[str, Any]:
    clock = state.clock
    if not isinstance(clock, FrozenClock):
        raise invalid(
            "The emulator's clock is the real time: serve it with --seed (a frozen clock) to "
            "move it, or put the customers on a test clock (/v1/test_helpers/test_clocks)."
        )
    if params.get("frozen_time") is not None:
        target = int(params["frozen_time"])
        if target < clock.now:
            raise invalid("A clock only moves forward.", param="frozen_time")
    else:
        target = clock.now + int(params.get("seconds") or 0)
    now = move_emulator_clock(state, target)
    return {"object": "emulator.clock", "frozen_time": now}


def resend(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    event = state.require("event", id, "event")
    wanted = params.get("webhook_endpoint")
    if wanted is not None:
        endpoint = state.require("webhook_endpoint", wanted, "webhook endpoint", "webhook_endpoint")
        if endpoint["status"] != "enabled":
            raise invalid(f"The webhook endpoint {wanted} is disabled.", param="webhook_endpoint")
        targets = [endpoint]
    else:
        targets = [
            e
            for e in state.store.all("webhook_endpoint")
            if e["status"] == "enabled"
            and ("*" in e["enabled_events"] or event["type"] in e["enabled_events"])
        ]
    state.outbox.extend(Outgoing(event["id"], e["id"], attempt=0) for e in targets)
    return event


def portal_cancel(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return portal.cancel(state, id, params["subscription"], params.get("reason"))


def portal_switch(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return portal.switch_price(
        state, id, params["subscription"], params["price"], params.get("quantity")
    )


def portal_update_pm(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return portal.update_payment_method(
        state, id, params.get("payment_method") or "pm_card_mastercard"
    )


_PORTAL = "/_emulator/billing_portal/sessions/{id}"

ROUTES = [
    Route("POST", "/_emulator/clock/advance", advance, ADVANCE),
    Route("POST", "/_emulator/events/{id}/resend", resend, RESEND),
    Route("POST", "/v1/events/{id}/retry", resend, RESEND),
    Route("POST", f"{_PORTAL}/cancel_subscription", portal_cancel, CANCEL),
    Route("POST", f"{_PORTAL}/switch_price", portal_switch, SWITCH),
    Route("POST", f"{_PORTAL}/update_payment_method", portal_update_pm, UPDATE_PM),
]
