"""Fixtures for the service tests: a client whose HTTP traffic respx intercepts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx

from stripe_async import StripeClient

BASE_URL = "https://api.stripe.com"


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """Routes for api.stripe.com; a request nobody routed fails the test."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def stripe(api: respx.MockRouter) -> AsyncIterator[StripeClient]:
    async with StripeClient("sk_test_resources", rate_limit=None, max_retries=0) as client:
        yield client
