"""/v1/balance"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import Balance
from ._base import Service
from ._params.balance import BalanceRetrieveParams

__all__ = ["BalanceRetrieveParams", "BalanceService"]


class BalanceService(Service):
    """The account's balance."""

    async def retrieve(self, **params: Unpack[BalanceRetrieveParams]) -> Balance:
        """Funds available and pending, per currency."""
        return await self._request("GET", "/v1/balance", params, Balance)
