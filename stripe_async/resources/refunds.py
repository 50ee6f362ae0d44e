"""/v1/refunds"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import Refund
from ..pagination import ListPager
from ._base import Service, path_id
from ._params.refunds import (
    RefundCancelParams,
    RefundCreateParams,
    RefundListParams,
    RefundRetrieveParams,
    RefundUpdateParams,
)

__all__ = [
    "RefundCancelParams",
    "RefundCreateParams",
    "RefundListParams",
    "RefundRetrieveParams",
    "RefundUpdateParams",
    "RefundsService",
]

_PATH = "/v1/refunds"


class RefundsService(Service):
    """Refund charges and PaymentIntents, fully or in part."""

    async def create(self, **params: Unpack[RefundCreateParams]) -> Refund:
        """Refund a `payment_intent` (or `charge`); omit `amount` for a full refund."""
        return await self._request("POST", _PATH, params, Refund)

    async def retrieve(self, id: str, **params: Unpack[RefundRetrieveParams]) -> Refund:
        """Fetch a refund by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, Refund)

    async def update(self, id: str, **params: Unpack[RefundUpdateParams]) -> Refund:
        """Update a refund's metadata."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, Refund)

    async def cancel(self, id: str, **params: Unpack[RefundCancelParams]) -> Refund:
        """Cancel a refund that is still `requires_action`."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/cancel", params, Refund)

    def list(self, **params: Unpack[RefundListParams]) -> ListPager[Refund]:
        """Refunds, newest first."""
        return self._list(_PATH, params, Refund)
