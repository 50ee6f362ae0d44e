"""Cancellation and deadlines on the default transport, under asyncio and trio.

Servers run on threads on 127.0.0.1 (and 127.0.0.2, also loopback on Linux); every
client call is bounded by an outer `fail_after`, so a regression fails rather than hangs.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import anyio
import httpcore
import pytest
from loopback import (
    BACKENDS,
    answer_ok,
    blackhole,
    read_head,
    reply,
    resolve_to,
    serving,
)

from stripe_async import APITimeoutError, StripeClient
from stripe_async._http import backend as transport_module

KEY = "sk_test_deadlines"


def client_for(url: str, **kwargs: Any) -> StripeClient:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("max_retries", 0)
    return StripeClient(KEY, base_url=url, **kwargs)


def silent(requests: list[float], release: threading.Event) -> Any:
    """A handler that reads a request and never answers (until released)."""

    def handle(conn: socket.socket) -> None:
        while read_head(conn):
            requests.append(time.monotonic())
            release.wait(10)
            return

    return handle


# -- 1. the caller's cancellation always wins -------------------------------------------


async def test_a_cancel_landing_with_the_read_deadline_is_not_turned_into_a_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Deadline and caller's cancel in the same loop iteration: CancelledError wins."""
    deadlines: list[Any] = []

    class Recorded(transport_module._Deadline):
        def __init__(self, future: asyncio.Future[None], timeout: float | None) -> None:
            super().__init__(future, timeout)
            deadlines.append((self, future))

    monkeypatch.setattr(transport_module, "_Deadline", Recorded)
    release = threading.Event()
    with serving(silent([], release)) as server:
        stream = await transport_module.AsyncioBackend().connect_tcp("127.0.0.1", server.port)
        try:
            task = asyncio.ensure_future(stream.read(1024, timeout=30))
            while not deadlines:
                await asyncio.sleep(0.01)
            deadline, future = deadlines[-1]
            deadline._fire(future)  # the read deadline expires...
            task.cancel()  # ...and, in the same iteration, the caller cancels
            with pytest.raises(asyncio.CancelledError):
                await task
        finally:
            await stream.aclose()
            release.set()


async def test_a_read_deadline_alone_is_a_read_timeout() -> None:
    release = threading.Event()
    with serving(silent([], release)) as server:
        stream = await transport_module.AsyncioBackend().connect_tcp("127.0.0.1", server.port)
        try:
            with pytest.raises(httpcore.ReadTimeout):
                await stream.read(1024, timeout=0.05)
        finally:
            await stream.aclose()
            release.set()


@pytest.mark.parametrize("offset", [-0.02, 0.0, 0.02])
async def test_a_cancelled_call_is_never_retried(offset: float) -> None:
    """The caller's cancel near the request's own deadline: one attempt, CancelledError."""
    requests: list[float] = []
    release = threading.Event()
    with serving(silent(requests, release)) as server:
        async with client_for(server.url, timeout=0.5, max_retries=2) as client:
            task = asyncio.ensure_future(client.balance.retrieve())
            asyncio.get_running_loop().call_later(0.5 + offset, task.cancel)
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(task), 5)
        release.set()
    assert len(requests) == 1


# -- 2. a cancelled request is not delivered later --------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cancelled_upload_is_aborted_not_flushed(backend: str) -> None:
    size = 16_000_000
    started = threading.Event()
    release = threading.Event()
    received: list[int] = []

    def slow_reader(conn: socket.socket) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        read_head(conn)
        started.set()
        release.wait(10)  # read nothing more until the caller has given up
        total = 0
        conn.settimeout(5)
        try:
            while chunk := conn.recv(1 << 20):
                total += len(chunk)
        except OSError:
            pass
        received.append(total)

    async def main(url: str) -> None:
        async with client_for(url, timeout=30) as client:

            async def upload() -> None:
                await client.customers.create(description="x" * size)

            with anyio.fail_after(10):
                async with anyio.create_task_group() as group:
                    group.start_soon(upload)
                    await anyio.to_thread.run_sync(started.wait, 5)
                    await anyio.sleep(0.2)
                    group.cancel_scope.cancel()  # the caller gives up mid-upload
            # Keep the loop running while the server reads whatever still arrives.
            release.set()
            for thread in server.threads:
                await anyio.to_thread.run_sync(thread.join, 10)

    with serving(slow_reader) as server:
        anyio.run(main, server.url, backend=backend)
    assert started.is_set()
    assert received and received[0] < size, received


# -- 3. fall through to the next address ------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_address_dropping_syns_falls_through_to_the_next(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect_timeout = 60.0

    async def main(url: str) -> str:
        async with client_for(url, timeout=connect_timeout) as client:
            # Waiting out the connect timeout on the first address takes 60 s; trying
            # the next one takes a fraction of a second. Half the timeout tells the two
            # apart and leaves a loaded machine all the room it needs.
            with anyio.fail_after(connect_timeout / 2):
                balance = await client.balance.retrieve()
        return balance.object

    # The live server's port is taken on 127.0.0.1 first, where other programs hold
    # ports; the same number on 127.0.0.2 (which nothing else uses) is then free.
    with serving(answer_ok, "127.0.0.1") as server, blackhole("127.0.0.2", server.port):
        addresses = [("127.0.0.2", server.port), ("127.0.0.1", server.port)]
        resolve_to(monkeypatch, "api.stripe.test", addresses)
        url = f"http://api.stripe.test:{server.port}"
        assert anyio.run(main, url, backend=backend) == "balance"
    assert server.connections == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_connect_timeout_covers_every_address(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def main(url: str) -> None:
        async with client_for(url, timeout=0.5) as client:
            # Generous for a loaded machine: without a deadline, SYNs are retried for minutes.
            with anyio.fail_after(15):
                await client.balance.retrieve()

    with blackhole("127.0.0.2") as port, blackhole("127.0.0.3", port):
        resolve_to(monkeypatch, "api.stripe.test", [("127.0.0.2", port), ("127.0.0.3", port)])
        with pytest.raises(APITimeoutError):
            anyio.run(main, f"http://api.stripe.test:{port}", backend=backend)


# -- 4. timeout= bounds the whole attempt -----------------------------------------------


def slow_loris_body(conn: socket.socket) -> None:
    read_head(conn)
    body = b'{"object": "balance"}' + b" " * 100
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
    for byte in body:
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


def slow_headers(conn: socket.socket) -> None:
    read_head(conn)
    for byte in reply():
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("handler", [slow_loris_body, slow_headers])
def test_a_trickling_reply_times_out_after_timeout_seconds(backend: str, handler: Any) -> None:
    async def main(url: str) -> None:
        async with client_for(url, timeout=0.5) as client:
            # Each byte arrives well within any read timeout: the whole reply takes over
            # 12 s, so a bound of 8 s still tells a per-read deadline from ours.
            with anyio.fail_after(8):
                await client.balance.retrieve()

    with serving(handler) as server, pytest.raises(APITimeoutError):
        anyio.run(main, server.url, backend=backend)


async def test_time_waiting_for_the_rate_limiter_counts_and_is_not_retried() -> None:
    requests: list[float] = []

    def counting(conn: socket.socket) -> None:
        while read_head(conn):
            requests.append(time.monotonic())
            conn.sendall(reply())

    with serving(counting) as server:
        async with client_for(server.url, rate_limit=0.2, max_retries=2) as client:
            await client.balance.retrieve()
            await client.balance.retrieve()  # the bucket holds two calls
            with anyio.fail_after(3), pytest.raises(APITimeoutError, match="rate limit") as err:
                await client.balance.retrieve(timeout=0.3)  # the next slot is 5 s away
    assert err.value.request_sent is False
    assert len(requests) == 2


async def test_health_check_answers_within_its_timeout_when_the_limiter_is_busy() -> None:
    with serving(answer_ok) as server:
        async with client_for(server.url, rate_limit=0.2) as client:
            await client.balance.retrieve()
            await client.balance.retrieve()
            with anyio.fail_after(3):
                health = await client.health_check(timeout=0.5)
    assert health.status == "degraded" and not health.ok
    assert health.error is not None and "rate limit" in health.error


@pytest.mark.parametrize("backend", BACKENDS)
def test_health_check_reports_a_silent_server_down_in_time(backend: str) -> None:
    release = threading.Event()

    async def main(url: str) -> Any:
        async with client_for(url) as client:
            with anyio.fail_after(8):  # the server stays silent for 10 s
                return await client.health_check(timeout=0.5)

    with serving(silent([], release)) as server:
        health = anyio.run(main, server.url, backend=backend)
        release.set()
    assert health.status == "down" and "timed out" in (health.error or "")


# -- 7. the network backend under trio --------------------------------------------------


def test_the_default_transport_works_under_trio_with_retries() -> None:
    served: list[int] = []

    def flaky(conn: socket.socket) -> None:
        while read_head(conn):
            served.append(1)
            if len(served) == 1:
                conn.sendall(
                    reply(b'{"error": {"type": "api_error"}}', "500 Internal Server Error")
                )
            else:
                conn.sendall(reply())

    async def main(url: str) -> str:
        async with client_for(url, max_retries=1) as client:
            with anyio.fail_after(5):
                return (await client.balance.retrieve()).object

    with serving(flaky) as server:
        assert anyio.run(main, server.url, backend="trio") == "balance"
    assert len(served) == 2
