"""HttpPool: one pool per client, built once even when threads race for it."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from stripe_async import StripeClient
from stripe_async._http.loops import LoopAwareClient
from stripe_async._http.ownership import HttpPool


def test_threads_racing_for_the_first_request_get_one_pool() -> None:
    built: list[httpx.AsyncClient] = []

    def slow_build() -> httpx.AsyncClient:
        time.sleep(0.05)  # building ours sets up TLS: milliseconds in which others arrive
        built.append(httpx.AsyncClient())
        return built[-1]

    pool = HttpPool(slow_build, closes=True, ours=False)
    barrier = threading.Barrier(8)
    seen: list[httpx.AsyncClient] = []

    def first_request() -> None:
        barrier.wait()
        seen.append(pool.client())

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(built) == 1 and seen == built * 8


@pytest.mark.parametrize(
    ("kwargs", "ours", "closes"),
    [
        ({}, True, True),
        ({"transport": httpx.MockTransport(lambda r: httpx.Response(200))}, False, True),
        ({"http_client": httpx.AsyncClient()}, False, False),
    ],
)
def test_who_owns_the_pool_is_decided_when_the_client_is_built(
    kwargs: dict[str, object], ours: bool, closes: bool
) -> None:
    client = StripeClient("sk_test_x", **kwargs)  # type: ignore[arg-type]
    pool = client._requester.pool
    assert (pool.ours, pool.closes, pool.loop_bound) == (ours, closes, not ours)
    assert pool.is_built == ("http_client" in kwargs)  # ours is built by the first request
    assert isinstance(pool.client(), LoopAwareClient) == ours
    copy = client.with_options(timeout=3)
    assert copy._requester.pool is pool and not copy._owns_http_client
