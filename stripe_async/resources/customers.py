"""/v1/customers"""

from __future__ import annotations

from typing import Any

from typing_extensions import Unpack

from ..models import Customer, DeletedObject
from ..pagination import AsyncPager
from ._base import ExpandParams, RequestOptions, Service, path_id


class CustomerCreateParams(ExpandParams, total=False):
    address: dict[str, Any] | str
    balance: int
    description: str
    email: str
    invoice_settings: dict[str, Any]
    metadata: dict[str, str] | str
    name: str
    payment_method: str
    phone: str
    preferred_locales: list[str]
    shipping: dict[str, Any] | str
    source: str
    tax_exempt: str


class CustomerUpdateParams(CustomerCreateParams, total=False):
    default_source: str


class CustomerListParams(ExpandParams, total=False):
    created: dict[str, int] | int
    email: str
    ending_before: str
    limit: int
    starting_after: str
    test_clock: str


class CustomersService(Service):
    """Create and manage customers."""

    async def create(self, **params: Unpack[CustomerCreateParams]) -> Customer:
        return await self._request("POST", "/v1/customers", params, Customer)

    async def retrieve(self, id: str, **params: Unpack[ExpandParams]) -> Customer:
        return await self._request("GET", f"/v1/customers/{path_id(id)}", params, Customer)

    async def update(self, id: str, **params: Unpack[CustomerUpdateParams]) -> Customer:
        return await self._request("POST", f"/v1/customers/{path_id(id)}", params, Customer)

    async def delete(self, id: str, **params: Unpack[RequestOptions]) -> DeletedObject:
        return await self._request("DELETE", f"/v1/customers/{path_id(id)}", params, DeletedObject)

    def list(self, **params: Unpack[CustomerListParams]) -> AsyncPager[Customer]:
        return self._list("/v1/customers", params, Customer)
