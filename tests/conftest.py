"""Shared fixtures: clients wired to respx or to a recording sleep, never the network."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import respx

from stripe_async import StripeClient

TEST_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"


class RecordingSleep:
    """An injectable sleep that records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def api() -> respx.MockRouter:
    with respx.mock(base_url="https://api.stripe.com", assert_all_called=False) as router:
        yield router


@pytest.fixture
async def client(api: respx.MockRouter, sleeps: RecordingSleep) -> AsyncIterator[StripeClient]:
    async with StripeClient(TEST_KEY, rate_limit=None, sleep=sleeps) as stripe:
        yield stripe
