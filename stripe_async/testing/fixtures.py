"""pytest fixtures for your own tests: a fresh emulator and a client wired to it.

Import them into your conftest.py:

```python
from stripe_async.testing.fixtures import stripe_client, stripe_emulator  # noqa: F401
```

Each test gets its own emulator (seed 0: deterministic ids, frozen clock), so tests
never see each other's objects. Needs pytest and pytest-asyncio.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from ..client import StripeClient
from .emulator import StripeEmulator

__all__ = ["stripe_client", "stripe_emulator"]


@pytest.fixture
def stripe_emulator() -> StripeEmulator:
    """A fresh, seeded StripeEmulator (deterministic ids, frozen clock)."""
    return StripeEmulator(seed=0)


@pytest_asyncio.fixture
async def stripe_client(stripe_emulator: StripeEmulator) -> AsyncIterator[StripeClient]:
    """A StripeClient that talks to `stripe_emulator` in process."""
    async with StripeClient.for_emulator(stripe_emulator, max_retries=0) as client:
        yield client
