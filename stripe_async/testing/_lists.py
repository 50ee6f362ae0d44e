"""List pagination as Stripe does it: newest first, cursors, limit 1-100."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ._errors import EmulatorError, invalid

DEFAULT_LIMIT = 10


def parse_limit(raw: Any) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    text = str(raw)
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise EmulatorError(
            400, f"Invalid integer: {text}", code="parameter_invalid_integer", param="limit"
        )
    limit = int(text)
    if not 1 <= limit <= 100:
        raise EmulatorError(
            400,
            f"Invalid limit: {limit}. The limit must be between 1 and 100.",
            code="parameter_invalid_integer",
            param="limit",
        )
    return limit


def created_matches(created: int, condition: Any) -> bool:
    """`created=123` or `created[gte]=...` style filters."""
    if condition is None:
        return True
    if isinstance(condition, int):
        return created == condition
    checks: dict[str, Callable[[int, int], bool]] = {
        "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b,
    }
    return all(checks[op](created, bound) for op, bound in condition.items() if bound is not None)


def paginate(
    items: Iterable[dict[str, Any]], params: dict[str, Any], url: str, label: str
) -> dict[str, Any]:
    """One page of `items` (already newest first and filtered) as a Stripe list object."""
    rows = [
        item for item in items if created_matches(item.get("created", 0), params.get("created"))
    ]
    limit = parse_limit(params.get("limit"))
    after = params.get("starting_after")
    before = params.get("ending_before")
    if after is not None and before is not None:
        raise invalid(
            "You may only specify one of these parameters: ending_before, starting_after.",
            code="parameters_exclusive",
        )
    ids = [row["id"] for row in rows]
    if before is not None:
        index = _cursor(ids, before, "ending_before", label)
        start = max(0, index - limit)
        page, has_more = rows[start:index], start > 0
    else:
        start = 0 if after is None else _cursor(ids, after, "starting_after", label) + 1
        page, has_more = rows[start : start + limit], start + limit < len(rows)
    return {"object": "list", "data": page, "has_more": has_more, "url": url}


def _cursor(ids: list[str], cursor: str, param: str, label: str) -> int:
    try:
        return ids.index(cursor)
    except ValueError:
        raise EmulatorError(
            404,
            f"No such {label}: '{cursor}'",
            code="resource_missing",
            param=param,
        ) from None


def sublist(items: list[dict[str, Any]], url: str, limit: int = 10) -> dict[str, Any]:
    """An embedded list (e.g. `charge.refunds`, `invoice.lines`): newest first, capped."""
    return {"object": "list", "data": items[:limit], "has_more": len(items) > limit, "url": url}
