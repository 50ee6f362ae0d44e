"""/v1/payment_methods"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import PaymentMethod
from ..pagination import ListPager
from ._base import Service, path_id
from ._params.payment_methods import (
    PaymentMethodAttachParams,
    PaymentMethodCreateParams,
    PaymentMethodDetachParams,
    PaymentMethodListParams,
    PaymentMethodRetrieveParams,
    PaymentMethodUpdateParams,
)

__all__ = [
    "PaymentMethodAttachParams",
    "PaymentMethodCreateParams",
    "PaymentMethodDetachParams",
    "PaymentMethodListParams",
    "PaymentMethodRetrieveParams",
    "PaymentMethodUpdateParams",
    "PaymentMethodsService",
]

_PATH = "/v1/payment_methods"


class PaymentMethodsService(Service):
    """Payment methods: create, attach to and detach from customers."""

    async def create(self, **params: Unpack[PaymentMethodCreateParams]) -> PaymentMethod:
        """Create a PaymentMethod (raw card numbers need `allow_raw_card_data=True`)."""
        return await self._request("POST", _PATH, params, PaymentMethod)

    async def retrieve(
        self, id: str, **params: Unpack[PaymentMethodRetrieveParams]
    ) -> PaymentMethod:
        """Fetch a PaymentMethod by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, PaymentMethod)

    async def update(self, id: str, **params: Unpack[PaymentMethodUpdateParams]) -> PaymentMethod:
        """Update a PaymentMethod's billing details, expiry or metadata."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, PaymentMethod)

    async def attach(self, id: str, **params: Unpack[PaymentMethodAttachParams]) -> PaymentMethod:
        """Save a PaymentMethod to a customer (`customer=`)."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/attach", params, PaymentMethod)

    async def detach(self, id: str, **params: Unpack[PaymentMethodDetachParams]) -> PaymentMethod:
        """Remove a PaymentMethod from its customer; it can no longer be used."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/detach", params, PaymentMethod)

    def list(self, **params: Unpack[PaymentMethodListParams]) -> ListPager[PaymentMethod]:
        """PaymentMethods (filter with `customer=` and `type=`)."""
        return self._list(_PATH, params, PaymentMethod)
