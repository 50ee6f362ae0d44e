"""/v1/products"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import DeletedObject, Product
from ..pagination import ListPager, SearchPager
from ._base import Service, path_id
from ._params.products import (
    ProductCreateParams,
    ProductDeleteParams,
    ProductListParams,
    ProductRetrieveParams,
    ProductSearchParams,
    ProductUpdateParams,
)

__all__ = [
    "ProductCreateParams",
    "ProductDeleteParams",
    "ProductListParams",
    "ProductRetrieveParams",
    "ProductSearchParams",
    "ProductUpdateParams",
    "ProductsService",
]

_PATH = "/v1/products"


class ProductsService(Service):
    """The goods and services you sell."""

    async def create(self, **params: Unpack[ProductCreateParams]) -> Product:
        """Create a product (`default_price_data=` creates its price too)."""
        return await self._request("POST", _PATH, params, Product)

    async def retrieve(self, id: str, **params: Unpack[ProductRetrieveParams]) -> Product:
        """Fetch a product by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, Product)

    async def update(self, id: str, **params: Unpack[ProductUpdateParams]) -> Product:
        """Update a product."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, Product)

    async def delete(self, id: str, **params: Unpack[ProductDeleteParams]) -> DeletedObject:
        """Delete a product that has no prices (archive it with `active=False` otherwise)."""
        return await self._request("DELETE", f"{_PATH}/{path_id(id)}", params, DeletedObject)

    def list(self, **params: Unpack[ProductListParams]) -> ListPager[Product]:
        """Products, newest first."""
        return self._list(_PATH, params, Product)

    def search(self, **params: Unpack[ProductSearchParams]) -> SearchPager[Product]:
        """Search products, e.g. `query="active:'true'"`."""
        return self._search(f"{_PATH}/search", params, Product)
