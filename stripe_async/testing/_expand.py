"""`expand[]`: replace ids in a reply with the objects they name (on a copy).

Besides ids, a path may name an includable field, which replies leave out unless it
is expanded (an invoice's `confirmation_secret` and `payments`); `data` walks into
the items of a list, so `latest_invoice.payments.data.payment.payment_intent` works.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from ._errors import invalid
from ._state import State

#: Stripe's limit, counted in expanded properties (`data` steps into a list, not a level).
MAX_DEPTH = 4

#: Fields that hold the id of another object and may be expanded.
EXPANDABLE = frozenset(
    {
        "account",
        "application",
        "application_fee",
        "balance_transaction",
        "charge",
        "configuration",
        "coupon",
        "customer",
        "default_payment_method",
        "default_price",
        "default_source",
        "destination",
        "destination_payment",
        "discount",
        "discounts",
        "failure_balance_transaction",
        "invoice",
        "invoice_item",
        "latest_attempt",
        "latest_charge",
        "latest_invoice",
        "mandate",
        "on_behalf_of",
        "originating_transaction",
        "payment_intent",
        "payment_method",
        "pending_setup_intent",
        "price",
        "product",
        "promotion_code",
        "review",
        "schedule",
        "setup_intent",
        "source",
        "source_transaction",
        "source_transfer",
        "subscription",
        "subscription_item",
        "test_clock",
        "transfer",
    }
)


def expand(state: State, obj: dict[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    """A deep copy of `obj` with each dotted path in `paths` expanded."""
    result = copy.deepcopy(obj)
    for path in paths:
        if path == "total_count":  # search results handle this one themselves
            continue
        parts = path.split(".")
        if len([part for part in parts if part != "data"]) > MAX_DEPTH:
            raise invalid(
                f"You cannot expand more than {MAX_DEPTH} levels of a property: {path}",
                param="expand",
            )
        _expand_into(state, result, parts, path)
    return result


def _expand_into(state: State, obj: Any, parts: list[str], path: str) -> None:
    if isinstance(obj, list):
        for item in obj:
            _expand_into(state, item, parts, path)
        return
    if not isinstance(obj, dict):
        return
    head, rest = parts[0], parts[1:]
    if head not in obj:
        include = state.includes.get((str(obj.get("object")), head))
        if include is None or "id" not in obj:
            raise _cannot_expand(obj, head, path)
        obj[head] = copy.deepcopy(include(state, obj))
    elif not rest and head not in EXPANDABLE:
        raise _cannot_expand(obj, head, path)  # a plain field such as `metadata`
    value = obj[head]
    if isinstance(value, list) and head in EXPANDABLE and all(isinstance(v, str) for v in value):
        # A list of ids (an invoice's `discounts`): expand each one.
        value = [copy.deepcopy(_target(state, head, v) or v) for v in value]
        obj[head] = value
    if isinstance(value, str):
        if head not in EXPANDABLE:
            raise _cannot_expand(obj, head, path)
        target = _target(state, head, value)
        if target is None:
            return  # an id of something the emulator does not keep (e.g. txn_)
        value = copy.deepcopy(target)
        obj[head] = value
    if rest and value is not None:
        _expand_into(state, value, rest, path)


def _target(state: State, head: str, object_id: str) -> dict[str, Any] | None:
    found = state.store.get(object_id) or state.store.deleted(object_id)
    if found is None and state.stand_in is not None:
        found = state.stand_in(head, object_id)
    return found


def _cannot_expand(obj: dict[str, Any], head: str, path: str) -> Exception:
    """Stripe's 400 for a path that names no expandable property (it carries no `param`)."""
    message = f"This property cannot be expanded ({path})."
    if obj.get("object") in ("list", "search_result") and head != "data":
        message = message[:-1] + f". You may want to try expanding 'data.{path}' instead."
    return invalid(message)
