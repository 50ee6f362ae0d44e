"""After any burst of timeouts, cancellations or faults, every pool slot comes back.

httpcore hands a new connection to a queued request; when that request gives up
(its timeout, a cancellation) before it opens or uses the connection, the stock
pool keeps the connection as busy for ever. A burst of timeouts used to leave all
slots held that way, and every later call timed out.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from itertools import count

import httpx
import pytest
from loopback import read_head, reply, serving

from stripe_async import StripeClient, StripeError
from stripe_async._http.pool import build_transport


def slow_keepalive(conn: socket.socket) -> None:
    while read_head(conn):
        time.sleep(0.005)
        conn.sendall(reply())


def slower_than_the_burst_allows(conn: socket.socket) -> None:
    """0.25 s a reply: 2,000 calls over 200 connections need 2.5 s, so some must time
    out at 2 s however fast the machine (at 5 ms a reply a quiet one served them all)."""
    while read_head(conn):
        time.sleep(0.25)
        conn.sendall(reply())


def slow_then_close(conn: socket.socket) -> None:
    if read_head(conn):
        time.sleep(0.01)
        conn.sendall(reply(extra=b"Connection: close\r\n"))


#: Set once the burst is over: from then on every request is answered healthily,
#: also on connections kept alive from the burst (their handler is still running).
HEALTHY = threading.Event()


def faulty() -> Callable[[socket.socket], None]:
    """Drops, resets, 500s, 429s and bad gzip in turn, with healthy answers between."""
    turn = count()

    def handler(conn: socket.socket) -> None:
        while read_head(conn):
            kind = 5 if HEALTHY.is_set() else next(turn) % 6
            time.sleep(0.005)
            if kind == 0:
                return  # dropped: closed with no reply
            if kind == 1:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                return  # reset
            if kind == 2:
                conn.sendall(reply(b'{"error": {"type": "api_error"}}', "500 Server Error"))
            elif kind == 3:
                conn.sendall(reply(b'{"error": {"type": "rate_limit"}}', "429 Too Many Requests"))
            elif kind == 4:
                conn.sendall(reply(b"not gzip at all", extra=b"Content-Encoding: gzip\r\n"))
            else:
                conn.sendall(reply())

    return handler


def busy_slots(transport: httpx.AsyncHTTPTransport) -> list[str]:
    """Connections that are neither idle nor in use by a request: lost slots."""
    pool = transport._pool
    in_use = {id(r.connection) for r in pool._requests if r.connection is not None}
    return [c.info() for c in pool.connections if id(c) not in in_use and not c.is_idle()]


async def burst_then_healthy(
    handler: Callable[[socket.socket], None], *, slots: int, calls: int, timeout: float
) -> None:
    """The burst on one client, then three calls on that client once the server is healthy."""
    HEALTHY.clear()

    def serve(conn: socket.socket) -> None:
        (slow_keepalive if HEALTHY.is_set() else handler)(conn)

    transport = build_transport(
        httpx.Limits(max_connections=slots, max_keepalive_connections=slots, keepalive_expiry=30)
    )
    with serving(serve) as server:
        async with StripeClient(
            "sk_test_burst",
            base_url=server.url,
            transport=transport,
            rate_limit=None,
            max_retries=0,
            timeout=timeout,
        ) as client:
            results = await asyncio.gather(
                *(client.balance.retrieve() for _ in range(calls)), return_exceptions=True
            )
            failures = [r for r in results if isinstance(r, BaseException)]
            assert all(isinstance(f, StripeError) for f in failures)
            assert failures, "the burst must really have given up on some calls"
            assert busy_slots(transport) == []
            assert transport._pool._requests == []

            HEALTHY.set()
            patient = client.with_options(timeout=5)
            for _ in range(3):
                await patient.balance.retrieve()
            assert busy_slots(transport) == []


@pytest.mark.parametrize("handler", [slow_keepalive, slow_then_close], ids=["keepalive", "close"])
async def test_a_pool_of_two_recovers_from_a_burst_of_timeouts(
    handler: Callable[[socket.socket], None],
) -> None:
    await burst_then_healthy(handler, slots=2, calls=300, timeout=0.3)


async def test_a_pool_of_two_recovers_from_a_burst_of_faults() -> None:
    await burst_then_healthy(faulty(), slots=2, calls=300, timeout=0.3)


async def test_two_thousand_timeouts_on_the_default_pool_size_give_every_slot_back() -> None:
    await burst_then_healthy(slower_than_the_burst_allows, slots=200, calls=2000, timeout=2)
