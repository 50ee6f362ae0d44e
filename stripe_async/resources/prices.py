"""/v1/prices"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import Price
from ..pagination import ListPager, SearchPager
from ._base import Service, path_id
from ._params.prices import (
    PriceCreateParams,
    PriceListParams,
    PriceRetrieveParams,
    PriceSearchParams,
    PriceUpdateParams,
)

__all__ = [
    "PriceCreateParams",
    "PriceListParams",
    "PriceRetrieveParams",
    "PriceSearchParams",
    "PriceUpdateParams",
    "PricesService",
]

_PATH = "/v1/prices"


class PricesService(Service):
    """How much and how often to charge for products."""

    async def create(self, **params: Unpack[PriceCreateParams]) -> Price:
        """Create a one-off or recurring (`recurring={"interval": "month"}`) price."""
        return await self._request("POST", _PATH, params, Price)

    async def retrieve(self, id: str, **params: Unpack[PriceRetrieveParams]) -> Price:
        """Fetch a price by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, Price)

    async def update(self, id: str, **params: Unpack[PriceUpdateParams]) -> Price:
        """Update a price (amounts are immutable: create a new price instead)."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, Price)

    def list(self, **params: Unpack[PriceListParams]) -> ListPager[Price]:
        """Prices, newest first."""
        return self._list(_PATH, params, Price)

    def search(self, **params: Unpack[PriceSearchParams]) -> SearchPager[Price]:
        """Search prices, e.g. `query="lookup_key:'pro_monthly'"`."""
        return self._search(f"{_PATH}/search", params, Price)
