"""/v1/balance"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import Balance
from ._base import RequestOptions, Service


class BalanceService(Service):
    """The account's balance."""

    async def retrieve(self, **params: Unpack[RequestOptions]) -> Balance:
        return await self._request("GET", "/v1/balance", params, Balance)
