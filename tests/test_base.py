"""The client's lifecycle across event loops: asyncio.run twice, trio, threads, aclose."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import warnings
from collections.abc import Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import anyio
import httpx
import pytest

from stripe_async import APIConnectionError, StripeClient, StripeError
from stripe_async._base import LoopAwareClient

BALANCE = json.dumps({"object": "balance", "livemode": False}).encode()
CUSTOMER = json.dumps({"id": "cus_1", "object": "customer"}).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Stripe

    def do_GET(self) -> None:
        self.server.arrivals.append(time.monotonic())  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BALANCE)))
        self.end_headers()
        self.wfile.write(BALANCE)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.idempotency_keys.append(self.headers["Idempotency-Key"])  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(CUSTOMER)))
        self.end_headers()
        self.wfile.write(CUSTOMER)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def httpd() -> Iterator[ThreadingHTTPServer]:
    """A keep-alive HTTP/1.1 server on 127.0.0.1 in its own thread, outliving any loop."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.arrivals = []  # type: ignore[attr-defined]
    httpd.idempotency_keys = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server(httpd: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def pools(client: StripeClient) -> LoopAwareClient:
    pool = client._requester.http_client
    assert isinstance(pool, LoopAwareClient)
    return pool


def test_one_client_in_several_asyncio_runs(server: str) -> None:
    """A module-level client used by one asyncio.run after another (pytest, FastAPI)."""
    client = StripeClient("sk_test_x", base_url=server, rate_limit=None, max_retries=0)

    async def call() -> int:
        balance = await client.balance.retrieve()
        assert balance.livemode is False
        return pools(client).pools()

    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        for _ in range(3):
            assert asyncio.run(call()) == 1  # this loop's pool, and no other, is open
            # Each loop's connections were closed as that loop finished.
            assert pools(client).pools() == 0
        asyncio.run(client.aclose())
    assert client.is_closed


def test_asyncio_then_trio_then_asyncio(server: str) -> None:
    client = StripeClient.for_emulator()

    async def call() -> str | None:
        return (await client.customers.create(email="a@example.com")).id

    ids = [
        asyncio.run(call()),
        anyio.run(call, backend="trio"),
        asyncio.run(call()),
    ]
    assert all(ids) and len(set(ids)) == 3


def test_two_loops_in_two_threads_at_once(server: str) -> None:
    client = StripeClient("sk_test_x", base_url=server, rate_limit=None, max_retries=0)
    errors: list[BaseException] = []
    done: list[int] = []
    barrier = threading.Barrier(2)

    async def burst() -> None:
        for _ in range(40):
            await client.balance.retrieve()
        done.append(40)

    def run() -> None:
        barrier.wait()
        try:
            asyncio.run(burst())
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and done == [40, 40]
    asyncio.run(client.aclose())


def test_threads_share_the_key_budget(server: str) -> None:
    """The budget is the key's, not the loop's: two threads never double the rate."""
    client = StripeClient("sk_test_threads", base_url=server, rate_limit=40, max_retries=0)
    limiter = client._requester.limiter
    assert limiter is not None
    budget = limiter._budgets["read"]  # type: ignore[attr-defined]
    slots: list[float] = []
    take = budget._take

    def recording_take(*, only_if_free: bool = False) -> tuple[float, float]:
        wait, next_free = take(only_if_free=only_if_free)
        if wait <= 0 or not only_if_free:
            slots.append(next_free - budget.interval)
        return wait, next_free

    budget._take = recording_take

    async def burst() -> None:
        for _ in range(10):
            await client.balance.retrieve()

    threads = [threading.Thread(target=asyncio.run, args=(burst(),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(slots) == 20
    # Sorted: a thread may record its slot after the other thread took a later one.
    assert min(b - a for a, b in itertools.pairwise(sorted(slots))) >= budget.interval * 0.999


def test_aclose_closes_the_pools_of_every_loop_it_can(server: str) -> None:
    client = StripeClient("sk_test_x", base_url=server, rate_limit=None, max_retries=0)
    other_used = threading.Event()
    release = threading.Event()

    async def other_thread() -> None:
        await client.balance.retrieve()
        other_used.set()
        while not release.is_set():
            await asyncio.sleep(0.005)
        # The loop of this thread closed its pool when asked from another loop.
        with anyio.fail_after(5):
            while pools(client).pools():
                await asyncio.sleep(0.005)

    # A finished loop's pool, a running loop's pool in another thread, and ours.
    asyncio.run(client.balance.retrieve())
    thread = threading.Thread(target=asyncio.run, args=(other_thread(),))
    thread.start()
    assert other_used.wait(10)

    async def here() -> None:
        await client.balance.retrieve()
        assert pools(client).pools() == 2
        await client.aclose()
        release.set()
        with pytest.raises(APIConnectionError, match="closed"):
            await client.balance.retrieve()

    asyncio.run(here())
    thread.join(timeout=10)
    assert not thread.is_alive() and pools(client).pools() == 0


def test_a_closed_loop_never_surfaces_as_runtime_error(server: str) -> None:
    """Pools of loops closed without asyncio.run's clean-up are skipped, not crashed on."""
    client = StripeClient("sk_test_x", base_url=server, rate_limit=None, max_retries=0)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(client.balance.retrieve())
    loop.close()  # no shutdown_asyncgens: the pool is left open on a dead loop

    async def afterwards() -> None:
        try:
            await client.balance.retrieve()
        except StripeError:  # pragma: no cover - reported by the assertion below
            raise
        await client.aclose()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        asyncio.run(afterwards())
    assert client.is_closed


@pytest.mark.parametrize("second", ["asyncio", "trio"])
def test_a_user_http_client_from_a_finished_loop_fails_as_a_stripe_error(
    httpd: ThreadingHTTPServer, second: str
) -> None:
    """A user's AsyncClient keeps connections of the loop that opened them."""
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    keys: list[str] = httpd.idempotency_keys  # type: ignore[attr-defined]
    client = StripeClient(
        "sk_test_x", base_url=url, http_client=httpx.AsyncClient(), rate_limit=None
    )

    async def create(**options: object) -> str | None:
        return (await client.customers.create(email="a@example.com", **options)).id

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        assert asyncio.run(create()) == "cus_1"  # leaves a keep-alive connection of this loop
        with pytest.raises(APIConnectionError, match="event loop") as info:
            anyio.run(partial(create, idempotency_key="order-9", max_retries=0), backend=second)
        assert info.value.idempotency_key == "order-9"
    assert set(keys[1:]) <= {"order-9"}  # whatever reached the server carried the key


def test_a_retry_after_a_stale_user_connection_keeps_the_idempotency_key(
    httpd: ThreadingHTTPServer,
) -> None:
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    keys: list[str] = httpd.idempotency_keys  # type: ignore[attr-defined]
    client = StripeClient(
        "sk_test_x", base_url=url, http_client=httpx.AsyncClient(), rate_limit=None
    )

    async def create(**options: object) -> str | None:
        return (await client.customers.create(email="a@example.com", **options)).id

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        asyncio.run(create())
        del keys[:]
        # The first attempt rides the previous loop's connection (the POST reaches the
        # server, the reply cannot be read); the retry opens one on this loop.
        assert asyncio.run(create(idempotency_key="order-10")) == "cus_1"
    assert len(keys) >= 2 and set(keys) == {"order-10"}


def test_a_user_transport_is_shared_across_loops() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, content=BALANCE)

    client = StripeClient("sk_test_x", transport=httpx.MockTransport(handler), rate_limit=None)
    asyncio.run(client.balance.retrieve())
    anyio.run(client.balance.retrieve, backend="trio")
    assert seen == ["/v1/balance", "/v1/balance"]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_retries_wait_on_any_loop(backend: str) -> None:
    """The backoff between attempts sleeps on whichever library runs the call."""
    replies = iter([httpx.Response(500, json={"error": {"type": "api_error"}})])

    def handler(request: httpx.Request) -> httpx.Response:
        return next(replies, httpx.Response(200, content=BALANCE))

    async def main() -> bool | None:
        async with StripeClient(
            "sk_test_x", transport=httpx.MockTransport(handler), rate_limit=None
        ) as client:
            return (await client.balance.retrieve()).livemode

    assert anyio.run(main, backend=backend) is False


def test_one_client_over_the_network_on_asyncio_then_trio(server: str) -> None:
    client = StripeClient("sk_test_x", base_url=server, rate_limit=None, max_retries=0)

    async def call() -> tuple[bool | None, str]:
        balance = await client.balance.retrieve()
        health = await client.health_check()
        return balance.livemode, health.status

    assert asyncio.run(call()) == (False, "ok")
    assert anyio.run(call, backend="trio") == (False, "ok")
    assert asyncio.run(call()) == (False, "ok")
    assert pools(client).pools() == 0  # each loop's pool closed as its loop finished
    anyio.run(client.aclose, backend="trio")
    assert client.is_closed
