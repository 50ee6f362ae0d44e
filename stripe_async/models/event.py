"""Event (placeholder shape; typed data.object comes with the models work)."""

from __future__ import annotations

from typing import Any, Literal

from ._base import StripeModel, StripeObject


class EventData(StripeModel):
    object: dict[str, Any]
    previous_attributes: dict[str, Any] | None = None


class Event(StripeObject):
    id: str
    object: Literal["event"] | str = "event"
    type: str
    api_version: str | None = None
    created: int | None = None
    data: EventData
    livemode: bool | None = None
