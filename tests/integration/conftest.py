"""Fixtures for the tests against localstripe (see localstripe_harness.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from localstripe_harness import LocalStripe, make_client

from stripe_async import StripeClient


@pytest.fixture(scope="session")
def localstripe() -> Iterator[LocalStripe]:
    with LocalStripe() as server:
        yield server


@pytest.fixture
async def stripe(localstripe: LocalStripe) -> AsyncIterator[StripeClient]:
    localstripe.flush()
    async with make_client(localstripe) as client:
        yield client
