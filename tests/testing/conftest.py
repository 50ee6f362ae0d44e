from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio

from stripe_async.testing import StripeEmulator
from stripe_async.testing.fixtures import stripe_client, stripe_emulator

__all__ = ["stripe_client", "stripe_emulator"]

API_KEY = "sk_test_emulator"


class RawStripe:
    """Form-posting client for resources whose typed services are not written yet."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def post(
        self, path: str, data: dict[str, Any] | None = None, **kw: Any
    ) -> httpx.Response:
        return await self.client.post(path, data=data or {}, **kw)

    async def get(self, path: str, params: Any = None, **kw: Any) -> httpx.Response:
        return await self.client.get(path, params=params, **kw)

    async def delete(self, path: str, **kw: Any) -> httpx.Response:
        return await self.client.delete(path, **kw)

    async def ok(self, method: str, path: str, data: Any = None) -> dict[str, Any]:
        """Send and require a 2xx reply; return its JSON."""
        if method == "GET":
            response = await self.client.get(path, params=data)
        elif method == "DELETE":
            response = await self.client.delete(path)
        else:
            response = await self.client.post(path, data=data or {})
        assert response.is_success, (response.status_code, response.text)
        body: dict[str, Any] = response.json()
        return body


@pytest_asyncio.fixture
async def raw(stripe_emulator: StripeEmulator) -> AsyncIterator[RawStripe]:
    async with httpx.AsyncClient(
        transport=stripe_emulator.transport(),
        base_url="https://api.stripe.com",
        headers={"Authorization": f"Bearer {API_KEY}"},
    ) as client:
        yield RawStripe(client)
