"""/v1/customers"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import Customer, DeletedObject, PaymentMethod
from ..pagination import ListPager, SearchPager
from ._base import Service, path_id
from ._params.customers import (
    CustomerCreateParams,
    CustomerDeleteParams,
    CustomerListParams,
    CustomerListPaymentMethodsParams,
    CustomerRetrieveParams,
    CustomerSearchParams,
    CustomerUpdateParams,
)

__all__ = [
    "CustomerCreateParams",
    "CustomerDeleteParams",
    "CustomerListParams",
    "CustomerListPaymentMethodsParams",
    "CustomerRetrieveParams",
    "CustomerSearchParams",
    "CustomerUpdateParams",
    "CustomersService",
]


class CustomersService(Service):
    """Create and manage customers."""

    async def create(self, **params: Unpack[CustomerCreateParams]) -> Customer:
        """Create a customer."""
        return await self._request("POST", "/v1/customers", params, Customer)

    async def retrieve(self, id: str, **params: Unpack[CustomerRetrieveParams]) -> Customer:
        """Fetch a customer by id."""
        return await self._request("GET", f"/v1/customers/{path_id(id)}", params, Customer)

    async def update(self, id: str, **params: Unpack[CustomerUpdateParams]) -> Customer:
        """Update a customer; fields you leave out are unchanged, "" unsets one."""
        return await self._request("POST", f"/v1/customers/{path_id(id)}", params, Customer)

    async def delete(self, id: str, **params: Unpack[CustomerDeleteParams]) -> DeletedObject:
        """Delete a customer for good (and cancel its subscriptions)."""
        return await self._request("DELETE", f"/v1/customers/{path_id(id)}", params, DeletedObject)

    def list(self, **params: Unpack[CustomerListParams]) -> ListPager[Customer]:
        """Customers, newest first: `await` for one page, `async for` for all."""
        return self._list("/v1/customers", params, Customer)

    def search(self, **params: Unpack[CustomerSearchParams]) -> SearchPager[Customer]:
        """Search customers, e.g. `query="email:'jenny@example.com'"`."""
        return self._search("/v1/customers/search", params, Customer)

    def list_payment_methods(
        self, customer_id: str, **params: Unpack[CustomerListPaymentMethodsParams]
    ) -> ListPager[PaymentMethod]:
        """The payment methods saved to a customer."""
        path = f"/v1/customers/{path_id(customer_id, 'customer_id')}/payment_methods"
        return self._list(path, params, PaymentMethod)
