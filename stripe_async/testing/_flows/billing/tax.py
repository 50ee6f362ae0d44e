"""Tax rates, and the tax they add to invoice lines.

Each line is taxed by its own rates (the invoice item's or subscription item's
`tax_rates`), else the invoice's `default_tax_rates` (a subscription's invoice takes
the subscription's). On the
line's amount after discounts, an exclusive rate adds `round(amount * pct / 100)`; an
inclusive one is already in the amount: `amount - round(amount / (1 + pct / 100))`
(several inclusive rates share one net amount). Rounding is per line, halves up.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..._errors import invalid
from ..._state import State, assign, set_metadata

_PLAIN = ("active", "country", "description", "display_name", "jurisdiction", "state", "tax_type")


def _cents(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def new_rate(state: State, params: dict[str, Any]) -> dict[str, Any]:
    percentage = Decimal(str(params["percentage"]))
    if not 0 <= percentage <= 100:
        raise invalid("The percentage must be between 0 and 100.", param="percentage")
    rate: dict[str, Any] = {
        "id": state.new_id("txr"),
        "object": "tax_rate",
        "active": True,
        "country": None,
        "created": state.now(),
        "description": None,
        "display_name": params["display_name"],
        "effective_percentage": _number(percentage),
        "flat_amount": None,
        "inclusive": params["inclusive"],
        "jurisdiction": None,
        "jurisdiction_level": None,
        "livemode": False,
        "metadata": {},
        "percentage": _number(percentage),
        "rate_type": "percentage",
        "state": None,
        "tax_type": None,
    }
    assign(rate, {k: v for k, v in params.items() if v is not None}, _PLAIN)
    set_metadata(rate, params.get("metadata"))
    state.store.put(rate)
    state.emit("tax_rate.created", rate)
    return rate


def update_rate(state: State, rate: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    before = copy.deepcopy(rate)
    assign(rate, params, _PLAIN)
    set_metadata(rate, params.get("metadata"))
    state.emit_update("tax_rate.updated", rate, before)
    return rate


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def resolve(state: State, ids: Any, param: str) -> list[dict[str, Any]]:
    """Tax rate objects for `ids` (as Stripe embeds them), each active."""
    out = []
    for index, rate_id in enumerate(ids or []):
        rate = state.require("tax_rate", rate_id, "tax_rate", f"{param}[{index}]")
        if not rate["active"]:
            raise invalid(f"The tax rate {rate_id} is inactive.", param=f"{param}[{index}]")
        out.append(copy.deepcopy(rate))
    return out


def _line_rates(state: State, invoice: dict[str, Any], line: dict[str, Any]) -> list[Any]:
    parent = line.get("parent") or {}
    source = None
    if parent.get("invoice_item_details"):
        source = state.store.get(parent["invoice_item_details"]["invoice_item"], "invoiceitem")
    elif parent.get("subscription_item_details"):
        details = parent["subscription_item_details"]
        source = state.store.get(details["subscription_item"], "subscription_item")
    if source is not None and source.get("tax_rates"):
        return list(source["tax_rates"])
    return list(invoice.get("default_tax_rates") or [])


def _inherit(state: State, invoice: dict[str, Any]) -> None:
    """A subscription's invoice takes its `default_tax_rates`, as on Stripe."""
    if invoice.get("default_tax_rates") or invoice.get("status") not in (None, "draft"):
        return
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription = state.store.get(details.get("subscription") or "", "subscription")
    if subscription is not None and subscription.get("default_tax_rates"):
        invoice["default_tax_rates"] = copy.deepcopy(subscription["default_tax_rates"])


def _tax(rate: dict[str, Any], amount: int, taxable: int) -> dict[str, Any]:
    return {
        "amount": amount,
        "tax_behavior": "inclusive" if rate["inclusive"] else "exclusive",
        "tax_rate_details": {"tax_rate": rate["id"]},
        "taxability_reason": "standard_rated",
        "taxable_amount": taxable,
        "type": "tax_rate_details",
    }


def line_taxes(rates: list[dict[str, Any]], amount: int) -> list[dict[str, Any]]:
    """The `taxes` of a line of `amount` (after discounts) under `rates`."""
    inclusive = [r for r in rates if r["inclusive"]]
    exclusive = [r for r in rates if not r["inclusive"]]
    net = amount
    taxes = []
    if inclusive:
        share = sum((Decimal(str(r["percentage"])) for r in inclusive), Decimal(0))
        net = _cents(Decimal(amount) / (1 + share / 100))
        left = amount - net
        for index, rate in enumerate(inclusive):
            pct = Decimal(str(rate["percentage"]))
            part = left if index == len(inclusive) - 1 else _cents(Decimal(net) * pct / 100)
            left -= part
            taxes.append(_tax(rate, part, net))
    for rate in exclusive:
        pct = Decimal(str(rate["percentage"]))
        taxes.append(_tax(rate, _cents(Decimal(net) * pct / 100), net))
    return taxes


def apply(state: State, invoice: dict[str, Any], lines: list[dict[str, Any]]) -> tuple[int, int]:
    """Set each line's `taxes` and the invoice's `total_taxes`; (exclusive, inclusive) sums."""
    _inherit(state, invoice)
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for line in lines:
        rates = _line_rates(state, invoice, line)
        discounted = line["amount"] - sum(d["amount"] for d in line.get("discount_amounts") or [])
        line["taxes"] = line_taxes(rates, discounted) if rates else []
        for tax in line["taxes"]:
            key = (tax["tax_rate_details"]["tax_rate"], tax["tax_behavior"])
            total = totals.setdefault(key, {**tax, "amount": 0, "taxable_amount": 0})
            total["amount"] += tax["amount"]
            total["taxable_amount"] += tax["taxable_amount"]
    invoice["total_taxes"] = list(totals.values())
    exclusive = sum(t["amount"] for t in totals.values() if t["tax_behavior"] == "exclusive")
    inclusive = sum(t["amount"] for t in totals.values() if t["tax_behavior"] == "inclusive")
    return exclusive, inclusive
