"""WebhookEndpoint (placeholder shape; fields are filled in by the models work)."""

from __future__ import annotations

from typing import Literal

from ._base import StripeObject


class WebhookEndpoint(StripeObject):
    id: str
    object: Literal["webhook_endpoint"] | str = "webhook_endpoint"
