"""/v1/charges"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import Charge
from ..pagination import ListPager, SearchPager
from ._base import Service, path_id
from ._params.charges import (
    ChargeCaptureParams,
    ChargeCreateParams,
    ChargeListParams,
    ChargeRetrieveParams,
    ChargeSearchParams,
    ChargeUpdateParams,
)

__all__ = [
    "ChargeCaptureParams",
    "ChargeCreateParams",
    "ChargeListParams",
    "ChargeRetrieveParams",
    "ChargeSearchParams",
    "ChargeUpdateParams",
    "ChargesService",
]

_PATH = "/v1/charges"


class ChargesService(Service):
    """Charges (prefer PaymentIntents for new integrations)."""

    async def create(self, **params: Unpack[ChargeCreateParams]) -> Charge:
        """Charge a source directly (legacy; use PaymentIntents for new code)."""
        return await self._request("POST", _PATH, params, Charge)

    async def retrieve(self, id: str, **params: Unpack[ChargeRetrieveParams]) -> Charge:
        """Fetch a charge by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, Charge)

    async def update(self, id: str, **params: Unpack[ChargeUpdateParams]) -> Charge:
        """Update a charge's description, metadata, receipt email, shipping or fraud details."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, Charge)

    async def capture(self, id: str, **params: Unpack[ChargeCaptureParams]) -> Charge:
        """Capture an uncaptured charge."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/capture", params, Charge)

    def list(self, **params: Unpack[ChargeListParams]) -> ListPager[Charge]:
        """Charges, newest first."""
        return self._list(_PATH, params, Charge)

    def search(self, **params: Unpack[ChargeSearchParams]) -> SearchPager[Charge]:
        """Search charges, e.g. `query="amount>999"`."""
        return self._search(f"{_PATH}/search", params, Charge)
