"""Shared fixtures: clients wired to respx or to a recording sleep, never the network."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import respx
from client_support import TEST_KEY, RecordingSleep
from hypothesis import HealthCheck, settings
from redis_support.server import RedisServer, running_server

from stripe_async import StripeClient

# Property tests check what is generated, not how fast: a busy CI machine must not
# fail them on Hypothesis' timing health checks or per-example deadline.
settings.register_profile(
    "stripe-async", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("stripe-async")


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


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real redis-server for the session's Redis tests (skipped where not installed)."""
    yield from running_server()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of the test's own, which it may stop, restart or pause."""
    yield from running_server()


@pytest.fixture
def prefix() -> str:
    """A key prefix of the test's own, so tests sharing a server never collide."""
    return f"test-{uuid.uuid4().hex[:12]}:"
