"""pytest fixtures for your own tests: a fresh emulator and a client wired to it.

Import them into your conftest.py:

```python
from stripe_async.testing.fixtures import stripe_client, stripe_emulator  # noqa: F401
```

Each test gets its own emulator, seeded from the test's id: ids are the same on every
run of a test (frozen clock too) but differ between tests, so tests never see each
other's objects and a webhook router shared by several tests never takes one
test's events for another's duplicates. Needs pytest and pytest-asyncio.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from ..client import StripeClient
from .emulator import StripeEmulator

__all__ = ["stripe_client", "stripe_emulator"]


@pytest.fixture
def stripe_emulator(request: pytest.FixtureRequest) -> StripeEmulator:
    """A fresh StripeEmulator seeded from the test's id (ids reproducible, unique per test)."""
    return StripeEmulator(seed=zlib.crc32(request.node.nodeid.encode()))


@pytest_asyncio.fixture
async def stripe_client(stripe_emulator: StripeEmulator) -> AsyncIterator[StripeClient]:
    """A StripeClient that talks to `stripe_emulator` in process."""
    async with StripeClient.for_emulator(stripe_emulator, max_retries=0) as client:
        yield client
