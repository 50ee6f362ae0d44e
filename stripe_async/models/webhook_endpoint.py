"""WebhookEndpoint: a URL Stripe sends events to."""

from __future__ import annotations

from typing import Literal

from ._base import StripeObject

__all__ = ["WebhookEndpoint"]


class WebhookEndpoint(StripeObject):
    """A webhook endpoint; `secret` (only returned on create) never shows in repr."""

    id: str
    object: Literal["webhook_endpoint"] | str = "webhook_endpoint"
    api_version: str | None = None
    application: str | None = None
    created: int | None = None
    description: str | None = None
    enabled_events: list[str] | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
    secret: str | None = None
    status: Literal["enabled", "disabled"] | str | None = None
    url: str | None = None
