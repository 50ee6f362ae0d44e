"""Which event types and wildcards a handler may be registered for."""

from __future__ import annotations

import functools
from typing import get_args

from ..errors import InvalidArgumentError

__all__ = ["check_event_type", "known_selectors", "matches"]


@functools.cache
def known_selectors() -> frozenset[str]:
    """Every event type of this release and every wildcard that matches one of them."""
    from ..models._event_types import EventType, EventTypePattern

    return frozenset(get_args(EventType)) | frozenset(get_args(EventTypePattern))


def check_event_type(event_type: object, *, allow_unknown: bool = False) -> None:
    """Refuse a type that is not a string, or that no event of this release has.

    A misspelt type would register a handler that never runs; `allow_unknown`
    admits a type newer than this release.
    """
    if not isinstance(event_type, str) or not event_type.strip():
        raise InvalidArgumentError(
            "event_type must be a non-empty string such as 'charge.succeeded'"
        )
    if allow_unknown or event_type in known_selectors():
        return
    import difflib  # only to word the refusal

    close = difflib.get_close_matches(event_type, sorted(known_selectors()), n=3)
    hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
    raise InvalidArgumentError(
        f"{event_type!r} is not an event type of this release{hint}; to register a newer "
        "type, pass allow_unknown=True"
    )


def matches(selector: str, event_type: str) -> bool:
    """`"*"` matches every type, `"invoice.*"` every type under `invoice.`, else exactly."""
    if selector == "*":
        return True
    if selector.endswith(".*"):
        return event_type.startswith(selector[:-1])
    return selector == event_type
