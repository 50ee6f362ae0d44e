"""v2 events in the emulator: thin events, queued for the event destinations that want them.

A v2 event is stored as Stripe's `v2.core.event` (with `data`, returned by
`GET /v2/core/events/{id}`); what a destination receives is its thin form, the
same object without `data`, signed with the destination's secret.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from ._delivery import encode_event
from ._errors import invalid, not_found
from ._state import Outgoing, State

EVENT = "v2.core.event"
DESTINATION = "v2.core.event_destination"

__all__ = ["DESTINATION", "EVENT", "delivery_of", "emit_thin", "page", "require", "timestamp"]


def timestamp(unix: int) -> str:
    """v2 times are RFC 3339 strings (milliseconds, UTC)."""
    moment = dt.datetime.fromtimestamp(unix, tz=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _wants(destination: dict[str, Any], event_type: str) -> bool:
    enabled = destination["enabled_events"]
    return destination["status"] == "enabled" and (event_type in enabled or "*" in enabled)


def emit_thin(
    state: State,
    event_type: str,
    related: dict[str, Any] | None,
    url: str | None,
    *,
    data: dict[str, Any] | None = None,
    only: str | None = None,
) -> dict[str, Any]:
    """Record a v2 event and queue its thin form for each enabled destination that wants it.

    `only` limits delivery to one destination (a ping).
    """
    event: dict[str, Any] = {
        "id": state.new_id("evt"),
        "object": EVENT,
        "type": event_type,
        "created": timestamp(state.now()),
        "livemode": False,
        "data": copy.deepcopy(data or {}),
        "reason": {
            "type": "request",
            "request": {"id": state.request_id, "idempotency_key": state.idempotency_key},
        },
    }
    if state.store.scope is not None:
        event["context"] = state.store.scope
    if related is not None and url is not None:
        event["related_object"] = {"id": related["id"], "type": related["object"], "url": url}
    state.store.put(event)
    targets = [
        destination
        for destination in state.store.everything(DESTINATION)
        if (only is None or destination["id"] == only)
        and destination["event_payload"] == "thin"
        and state.store.owner(destination["id"]) is None
        and _wants(destination, event_type)
    ]
    state.outbox.extend(Outgoing(event["id"], destination["id"]) for destination in targets)
    return event


def delivery_of(event: dict[str, Any], endpoint: dict[str, Any]) -> tuple[bytes, str]:
    """(payload, URL) of one delivery: a snapshot event to a v1 webhook endpoint, or the
    thin form of a v2 event to an event destination's webhook endpoint."""
    if event["object"] != EVENT:
        return encode_event(event), endpoint["url"]
    thin = {key: value for key, value in event.items() if key != "data"}
    return json.dumps(thin, indent=2).encode("utf-8"), endpoint["webhook_endpoint"]["url"]


def require(state: State, kind: str, object_id: str, label: str) -> dict[str, Any]:
    obj = state.store.get(object_id, kind)
    if obj is None:
        raise not_found(label, object_id)
    return obj


def page(state: State, kind: str, path: str, params: Mapping[str, Any], items: list[Any]) -> Any:
    """One page of a v2 list, newest first; `page` is the offset token of the next one."""
    try:
        limit = int(params.get("limit", 10))
        start = int(params.get("page", "0") or 0)
    except ValueError:
        raise invalid("limit and page must be numbers", param="limit") from None
    if not 1 <= limit <= 100:
        raise invalid("limit must be between 1 and 100", param="limit")
    chunk = items[start : start + limit]
    more = start + limit < len(items)
    query = "&".join(
        f"{key}={value}" for key, value in sorted(params.items()) if key not in ("page",)
    )
    following = f"{path}?{query + '&' if query else ''}page={start + limit}" if more else None
    return {"data": chunk, "next_page_url": following, "previous_page_url": None}
