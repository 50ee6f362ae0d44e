"""/v1/invoiceitems"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import DeletedObject, InvoiceItem
from ..pagination import ListPager
from ._base import Service, path_id
from ._params.invoice_items import (
    InvoiceItemCreateParams,
    InvoiceItemDeleteParams,
    InvoiceItemListParams,
    InvoiceItemRetrieveParams,
    InvoiceItemUpdateParams,
)

__all__ = [
    "InvoiceItemCreateParams",
    "InvoiceItemDeleteParams",
    "InvoiceItemListParams",
    "InvoiceItemRetrieveParams",
    "InvoiceItemUpdateParams",
    "InvoiceItemsService",
]

_PATH = "/v1/invoiceitems"


class InvoiceItemsService(Service):
    """One-off charges added to a customer's next (or a draft) invoice."""

    async def create(self, **params: Unpack[InvoiceItemCreateParams]) -> InvoiceItem:
        """Add an invoice item for a `customer` (pending until invoiced)."""
        return await self._request("POST", _PATH, params, InvoiceItem)

    async def retrieve(self, id: str, **params: Unpack[InvoiceItemRetrieveParams]) -> InvoiceItem:
        """Fetch an invoice item by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, InvoiceItem)

    async def update(self, id: str, **params: Unpack[InvoiceItemUpdateParams]) -> InvoiceItem:
        """Update an invoice item that is not yet on a finalized invoice."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, InvoiceItem)

    async def delete(self, id: str, **params: Unpack[InvoiceItemDeleteParams]) -> DeletedObject:
        """Delete an invoice item that is pending or on a draft invoice."""
        return await self._request("DELETE", f"{_PATH}/{path_id(id)}", params, DeletedObject)

    def list(self, **params: Unpack[InvoiceItemListParams]) -> ListPager[InvoiceItem]:
        """Invoice items, newest first."""
        return self._list(_PATH, params, InvoiceItem)
