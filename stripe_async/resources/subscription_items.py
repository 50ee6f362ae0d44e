"""/v1/subscription_items"""

from __future__ import annotations

from typing_extensions import Unpack

from ..errors import InvalidArgumentError
from ..models import DeletedObject, SubscriptionItem
from ..pagination import ListPager
from ._base import Service, path_id
from ._params.subscription_items import (
    SubscriptionItemCreateParams,
    SubscriptionItemDeleteParams,
    SubscriptionItemListParams,
    SubscriptionItemRetrieveParams,
    SubscriptionItemUpdateParams,
)

__all__ = [
    "SubscriptionItemCreateParams",
    "SubscriptionItemDeleteParams",
    "SubscriptionItemListParams",
    "SubscriptionItemRetrieveParams",
    "SubscriptionItemUpdateParams",
    "SubscriptionItemsService",
]

_PATH = "/v1/subscription_items"


class SubscriptionItemsService(Service):
    """The prices and quantities inside a subscription."""

    async def create(self, **params: Unpack[SubscriptionItemCreateParams]) -> SubscriptionItem:
        """Add a price to a `subscription`."""
        return await self._request("POST", _PATH, params, SubscriptionItem)

    async def retrieve(
        self, id: str, **params: Unpack[SubscriptionItemRetrieveParams]
    ) -> SubscriptionItem:
        """Fetch a subscription item by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, SubscriptionItem)

    async def update(
        self, id: str, **params: Unpack[SubscriptionItemUpdateParams]
    ) -> SubscriptionItem:
        """Change an item's price or quantity."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, SubscriptionItem)

    async def delete(
        self, id: str, **params: Unpack[SubscriptionItemDeleteParams]
    ) -> DeletedObject:
        """Remove an item from its subscription."""
        return await self._request("DELETE", f"{_PATH}/{path_id(id)}", params, DeletedObject)

    def list(self, **params: Unpack[SubscriptionItemListParams]) -> ListPager[SubscriptionItem]:
        """The items of one subscription (`subscription=` is required)."""
        if not isinstance(params.get("subscription"), str) or not params["subscription"].strip():
            raise InvalidArgumentError("subscription_items.list needs subscription='sub_...'")
        return self._list(_PATH, params, SubscriptionItem)
