"""/v1/webhook_endpoints"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import DeletedObject, WebhookEndpoint
from ..pagination import ListPager
from ._base import Service, path_id
from ._params.webhook_endpoints import (
    WebhookEndpointCreateParams,
    WebhookEndpointDeleteParams,
    WebhookEndpointListParams,
    WebhookEndpointRetrieveParams,
    WebhookEndpointUpdateParams,
)

__all__ = [
    "WebhookEndpointCreateParams",
    "WebhookEndpointDeleteParams",
    "WebhookEndpointListParams",
    "WebhookEndpointRetrieveParams",
    "WebhookEndpointUpdateParams",
    "WebhookEndpointsService",
]

_PATH = "/v1/webhook_endpoints"


class WebhookEndpointsService(Service):
    """Where Stripe sends events: URLs and the event types they receive."""

    async def create(self, **params: Unpack[WebhookEndpointCreateParams]) -> WebhookEndpoint:
        """Register a `url` for `enabled_events`; the reply holds its signing `secret`."""
        return await self._request("POST", _PATH, params, WebhookEndpoint)

    async def retrieve(
        self, id: str, **params: Unpack[WebhookEndpointRetrieveParams]
    ) -> WebhookEndpoint:
        """Fetch a webhook endpoint by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, WebhookEndpoint)

    async def update(
        self, id: str, **params: Unpack[WebhookEndpointUpdateParams]
    ) -> WebhookEndpoint:
        """Change an endpoint's URL, events, or disable it."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, WebhookEndpoint)

    async def delete(self, id: str, **params: Unpack[WebhookEndpointDeleteParams]) -> DeletedObject:
        """Delete a webhook endpoint."""
        return await self._request("DELETE", f"{_PATH}/{path_id(id)}", params, DeletedObject)

    def list(self, **params: Unpack[WebhookEndpointListParams]) -> ListPager[WebhookEndpoint]:
        """Webhook endpoints."""
        return self._list(_PATH, params, WebhookEndpoint)
