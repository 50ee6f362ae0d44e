"""/v1/subscriptions"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import Subscription
from ..pagination import ListPager, SearchPager
from ._base import Service, path_id
from ._params.subscriptions import (
    SubscriptionCancelParams,
    SubscriptionCreateParams,
    SubscriptionListParams,
    SubscriptionResumeParams,
    SubscriptionRetrieveParams,
    SubscriptionSearchParams,
    SubscriptionUpdateParams,
)

__all__ = [
    "SubscriptionCancelParams",
    "SubscriptionCreateParams",
    "SubscriptionListParams",
    "SubscriptionResumeParams",
    "SubscriptionRetrieveParams",
    "SubscriptionSearchParams",
    "SubscriptionUpdateParams",
    "SubscriptionsService",
]

_PATH = "/v1/subscriptions"


class SubscriptionsService(Service):
    """Recurring billing: create, change, cancel and resume subscriptions."""

    async def create(self, **params: Unpack[SubscriptionCreateParams]) -> Subscription:
        """Subscribe a `customer` to `items=[{"price": ...}]`."""
        return await self._request("POST", _PATH, params, Subscription)

    async def retrieve(self, id: str, **params: Unpack[SubscriptionRetrieveParams]) -> Subscription:
        """Fetch a subscription by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, Subscription)

    async def update(self, id: str, **params: Unpack[SubscriptionUpdateParams]) -> Subscription:
        """Change a subscription (items, proration, trial, cancel_at_period_end, ...)."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, Subscription)

    async def cancel(self, id: str, **params: Unpack[SubscriptionCancelParams]) -> Subscription:
        """Cancel a subscription now (`DELETE`); use `update(cancel_at_period_end=True)` to wait."""
        return await self._request("DELETE", f"{_PATH}/{path_id(id)}", params, Subscription)

    async def resume(self, id: str, **params: Unpack[SubscriptionResumeParams]) -> Subscription:
        """Resume a paused subscription."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/resume", params, Subscription)

    def list(self, **params: Unpack[SubscriptionListParams]) -> ListPager[Subscription]:
        """Subscriptions (not canceled ones unless `status="canceled"` or `"all"`)."""
        return self._list(_PATH, params, Subscription)

    def search(self, **params: Unpack[SubscriptionSearchParams]) -> SearchPager[Subscription]:
        """Search subscriptions, e.g. `query="status:'active'"`."""
        return self._search(f"{_PATH}/search", params, Subscription)
