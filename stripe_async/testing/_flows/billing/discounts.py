"""Coupons, promotion codes and the discounts they make on subscriptions and invoices.

How the emulator computes a discount (Stripe's documented rules, in whole cents):

- `percent_off` takes that share of each discountable line, rounded half up;
- `amount_off` takes at most the lines' remaining total, split across the lines in
  proportion to their amounts (the last line absorbs the rounding);
- several discounts apply one after another, each to what the previous left;
- on a subscription, `once` discounts the first invoice with something to discount,
  `repeating` the invoices created before `discount.end` (start plus
  `duration_in_months`), `forever` every invoice. A used-up discount is removed from
  the subscription with a `customer.discount.deleted` event.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..._errors import EmulatorError, invalid, not_found
from ..._state import State


def coupon_valid(state: State, coupon: dict[str, Any]) -> bool:
    """A coupon can be redeemed until `redeem_by` or `max_redemptions`."""
    if coupon["redeem_by"] is not None and coupon["redeem_by"] <= state.now():
        return False
    limit = coupon["max_redemptions"]
    return limit is None or coupon["times_redeemed"] < limit


def refresh_coupon(state: State, coupon: dict[str, Any]) -> dict[str, Any]:
    coupon["valid"] = coupon_valid(state, coupon)
    return coupon


def _add_months(timestamp: int, months: int) -> int:
    moment = _dt.datetime.fromtimestamp(timestamp, tz=_dt.timezone.utc)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def _redeemable_coupon(state: State, coupon_id: Any, param: str) -> dict[str, Any]:
    coupon = state.store.get(coupon_id, "coupon") if isinstance(coupon_id, str) else None
    if coupon is None:
        raise not_found("coupon", str(coupon_id), param=param)
    if not coupon_valid(state, coupon):
        raise invalid(f"Coupon {coupon['id']} is expired or used up.", param=param)
    return coupon


def promotion_code_for(
    state: State,
    promo_id: Any,
    param: str,
    *,
    customer: str | None,
    amount: int | None = None,
    currency: str | None = None,
) -> dict[str, Any]:
    """An active promotion code the customer may redeem now, or Stripe's 400."""
    promo = state.store.get(promo_id, "promotion_code") if isinstance(promo_id, str) else None
    if promo is None:
        raise not_found("promotion code", str(promo_id), param=param)
    expired = promo["expires_at"] is not None and promo["expires_at"] <= state.now()
    used_up = (
        promo["max_redemptions"] is not None and promo["times_redeemed"] >= promo["max_redemptions"]
    )
    if not promo["active"] or expired or used_up:
        raise invalid(f"This promotion code cannot be redeemed: {promo['code']}.", param=param)
    if promo["customer"] is not None and promo["customer"] != customer:
        raise invalid(
            "This promotion code cannot be redeemed because the associated customer does not "
            "match.",
            param=param,
        )
    restrictions = promo["restrictions"]
    if restrictions["first_time_transaction"] and customer is not None:
        paid = any(
            c["customer"] == customer and c["paid"] for c in state.store.all("charge")
        ) or any(
            i["customer"] == customer and i["amount_paid"] > 0 for i in state.store.all("invoice")
        )
        if paid:
            raise invalid(
                "This promotion code cannot be redeemed because it is restricted to first "
                "time transactions.",
                param=param,
            )
    minimum = restrictions["minimum_amount"]
    too_small = amount is not None and (
        currency != restrictions["minimum_amount_currency"] or amount < (minimum or 0)
    )
    if minimum is not None and too_small:
        raise invalid(
            "This promotion code cannot be redeemed because the order does not meet the "
            "minimum amount.",
            param=param,
        )
    _redeemable_coupon(state, promo["promotion"]["coupon"], param)
    return promo


def resolve(
    state: State,
    specs: Any,
    param: str,
    *,
    customer: str | None,
    amount: int | None = None,
    currency: str | None = None,
) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """`discounts=[{coupon|promotion_code: ...}]` as (coupon, promotion code) pairs."""
    if specs in (None, ""):
        return []
    if not isinstance(specs, list):
        raise invalid(f"Invalid array: {param} must be an array", param=param)
    found: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    for index, spec in enumerate(specs):
        where = f"{param}[{index}]"
        if not isinstance(spec, dict) or len(spec) != 1:
            raise invalid(
                f"You must specify exactly one of coupon, discount or promotion_code in {where}.",
                param=where,
            )
        if "coupon" in spec:
            found.append((_redeemable_coupon(state, spec["coupon"], f"{where}[coupon]"), None))
        elif "promotion_code" in spec:
            promo = promotion_code_for(
                state,
                spec["promotion_code"],
                f"{where}[promotion_code]",
                customer=customer,
                amount=amount,
                currency=currency,
            )
            found.append((state.store.get(promo["promotion"]["coupon"], "coupon") or {}, promo))
        elif "discount" in spec:
            existing = state.store.get(spec["discount"], "discount")
            if existing is None:
                raise not_found("discount", str(spec["discount"]), param=f"{where}[discount]")
            coupon = state.store.get(existing["source"]["coupon"], "coupon") or {}
            found.append((coupon, state.store.get(existing["promotion_code"] or "")))
        else:
            raise invalid(f"Received unknown parameter: {where}[{next(iter(spec))}]", param=where)
    coupons = [coupon["id"] for coupon, _ in found]
    if len(set(coupons)) != len(coupons):
        raise invalid("You cannot apply the same coupon more than once.", param=param)
    return found


def new_discount(
    state: State,
    coupon: dict[str, Any],
    promo: dict[str, Any] | None,
    *,
    customer: str | None,
    subscription: str | None = None,
    invoice: str | None = None,
    checkout_session: str | None = None,
) -> dict[str, Any]:
    """Redeem a coupon (and its promotion code): store the Discount, count the redemption."""
    start = state.now()
    end = None
    if coupon["duration"] == "repeating":
        end = _add_months(start, coupon["duration_in_months"] or 0)
    discount: dict[str, Any] = {
        "id": state.new_id("di"),
        "object": "discount",
        "checkout_session": checkout_session,
        "customer": customer,
        "customer_account": None,
        "end": end,
        "invoice": invoice,
        "invoice_item": None,
        "promotion_code": promo["id"] if promo else None,
        "source": {"coupon": coupon["id"], "type": "coupon"},
        "start": start,
        "subscription": subscription,
        "subscription_item": None,
    }
    state.store.put(discount)
    coupon["times_redeemed"] += 1
    refresh_coupon(state, coupon)
    if promo is not None:
        promo["times_redeemed"] += 1
    if subscription is not None:
        state.emit("customer.discount.created", discount)
    return discount


def applies_now(state: State, discount: dict[str, Any], invoice: dict[str, Any]) -> bool:
    """Whether a subscription's discount still applies to an invoice created now."""
    coupon = state.store.get(discount["source"]["coupon"], "coupon")
    if coupon is None:
        return False
    if coupon["duration"] == "once":
        return not state.meta.get(discount["id"], {}).get("used")
    if coupon["duration"] == "repeating":
        return discount["end"] is None or invoice["created"] < discount["end"]
    return True


def retire_used(state: State, subscription: dict[str, Any]) -> None:
    """Drop the subscription's discounts that will not apply again (used or ended)."""
    kept = []
    for discount_id in subscription["discounts"]:
        discount = state.store.get(discount_id, "discount")
        if discount is None:
            continue
        coupon = state.store.get(discount["source"]["coupon"], "coupon") or {}
        used = coupon.get("duration") == "once" and state.meta.get(discount_id, {}).get("used")
        ended = discount["end"] is not None and discount["end"] <= state.now()
        if used or ended:
            state.emit("customer.discount.deleted", discount)
            state.store.delete(discount_id)
        else:
            kept.append(discount_id)
    subscription["discounts"] = kept


def _share(amount: int, coupon: dict[str, Any]) -> int:
    percent = Decimal(str(coupon["percent_off"]))
    return int((Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


Entry = dict[str, Any]


def split(
    coupons: list[tuple[str, dict[str, Any]]],
    lines: list[tuple[str, int, str | None]],
    currency: str,
) -> tuple[dict[str, list[Entry]], list[Entry]]:
    """Discount `lines` (id, discountable amount, product) with `coupons` (discount id,
    coupon), in order: each line's `{amount, discount}` entries and the totals."""
    remaining = {line_id: amount for line_id, amount, _ in lines}
    per_line: dict[str, list[Entry]] = {line_id: [] for line_id, _, _ in lines}
    totals: list[Entry] = []
    for discount_id, coupon in coupons:
        eligible = [
            line_id
            for line_id, _, product in lines
            if _eligible(product, coupon) and remaining[line_id] > 0
        ]
        amounts: dict[str, int] = {}
        if coupon["percent_off"] is not None:
            amounts = {line_id: _share(remaining[line_id], coupon) for line_id in eligible}
        elif coupon["currency"] == currency and eligible:
            base = sum(remaining[line_id] for line_id in eligible)
            off = left = min(coupon["amount_off"], base)
            for line_id in eligible[:-1]:
                amounts[line_id] = off * remaining[line_id] // base
                left -= amounts[line_id]
            amounts[eligible[-1]] = left
        for line_id, value in amounts.items():
            remaining[line_id] -= value
            per_line[line_id].append({"amount": value, "discount": discount_id})
        totals.append({"amount": sum(amounts.values()), "discount": discount_id})
    return per_line, totals


def apply(state: State, invoice: dict[str, Any], lines: list[dict[str, Any]]) -> int:
    """Write each line's `discount_amounts` and the invoice's `total_discount_amounts`
    for the invoice's `discounts`; return the total discount."""
    coupons = []
    for discount_id in invoice["discounts"]:
        discount = state.store.get(discount_id, "discount") or {}
        coupon = state.store.get(discount.get("source", {}).get("coupon") or "", "coupon")
        if coupon is not None:
            coupons.append((discount_id, coupon))
    per_line, totals = split(
        coupons,
        [
            (
                line["id"],
                line["amount"] if line["discountable"] else 0,
                ((line.get("pricing") or {}).get("price_details") or {}).get("product"),
            )
            for line in lines
        ],
        invoice["currency"],
    )
    stored = invoice["id"] and not str(invoice["id"]).startswith("upcoming_")
    for entry in totals:
        if entry["amount"] > 0 and stored:
            state.meta.setdefault(entry["discount"], {})["used"] = True
    for line in lines:
        line["discount_amounts"] = per_line[line["id"]]
        line["discounts"] = [entry["discount"] for entry in per_line[line["id"]]]
    invoice["total_discount_amounts"] = totals
    return sum(entry["amount"] for entry in totals)


def _eligible(product: str | None, coupon: dict[str, Any]) -> bool:
    applies_to = coupon.get("applies_to")
    return not applies_to or product in applies_to.get("products", [])


def check_coupon_params(params: dict[str, Any]) -> None:
    """Stripe's own checks on coupon create."""
    percent, amount = params.get("percent_off"), params.get("amount_off")
    if (percent is None) == (amount is None):
        raise invalid("You must pass exactly one of amount_off or percent_off.")
    if percent is not None and not 0 < Decimal(str(percent)) <= 100:
        raise invalid(
            "Invalid percent_off: must be greater than 0 and at most 100.", param="percent_off"
        )
    if amount is not None and not params.get("currency"):
        raise EmulatorError(
            400,
            "You must pass currency when passing amount_off.",
            code="parameter_missing",
            param="currency",
        )
    duration = params.get("duration") or "once"
    if duration == "repeating" and not params.get("duration_in_months"):
        raise EmulatorError(
            400,
            "Missing required param: duration_in_months.",
            code="parameter_missing",
            param="duration_in_months",
        )
    if duration != "repeating" and params.get("duration_in_months") is not None:
        raise invalid(
            "You may only pass duration_in_months when duration is repeating.",
            param="duration_in_months",
        )
