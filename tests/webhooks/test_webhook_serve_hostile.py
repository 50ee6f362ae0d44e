"""`python -m stripe_async serve` against hostile and bursty clients, over real sockets.

Each test starts the real command in a child process on a loopback port; the clients are
raw asyncio sockets in this process. Counts are bounded (300 sockets, 500 deliveries) and
every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_harness import (
    HEALTH_REQUEST,
    SLOW_RECEIVER,
    WEBHOOK,
    Reply,
    delivery_request,
    exchange,
    read_reply,
    running_serve,
)
from webhook_helpers import event_body, signed

from stripe_async.webhooks.asgi import DEFAULT_MAX_CONCURRENT_DELIVERIES

ATTACKERS = 300
# The deadlines `serve` promises (docs/webhooks.md), and the slack a slow machine needs.
IDLE_TIMEOUT = 5.0
HEADER_TIMEOUT = 5.0
BODY_TIMEOUT = 10.0
SLACK = 3.0
# What a load balancer or Kubernetes probe would wait for: generous for a loaded machine,
# far below what a starved receiver needs.
PROBE_TIMEOUT = 3.0


@pytest.fixture(scope="module")
def serve_port() -> Iterator[int]:
    """One `serve` for the module: every attack ends with its sockets closed."""
    with running_serve() as port:
        yield port


async def _hold(port: int, kind: str) -> tuple[float, bytes]:
    """Open a connection misbehaving as `kind`; return how long the server kept it, and
    what it sent before closing."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    opened = time.monotonic()
    trickle: asyncio.Task[None] | None = None
    if kind == "trickled_head":
        writer.write(f"POST {WEBHOOK} HTTP/1.1\r\nhost: x\r\n".encode())

        async def more_lines() -> None:
            for i in range(1000):
                await asyncio.sleep(0.5)
                if writer.is_closing():
                    return
                writer.write(f"x-pad-{i}: y\r\n".encode())

        trickle = asyncio.create_task(more_lines())
    elif kind == "stalled_body":
        writer.write(
            f'POST {WEBHOOK} HTTP/1.1\r\nhost: x\r\ncontent-length: 900\r\n\r\n{{"id"'.encode()
        )
    received = b""
    try:
        while chunk := await reader.read(65536):
            received += chunk
    except ConnectionError:
        pass
    finally:
        held = time.monotonic() - opened
        if trickle is not None:
            trickle.cancel()
        writer.close()
    return held, received


async def _delivery_and_health(port: int, event_id: str) -> tuple[Reply, Reply]:
    delivery = await exchange(port, delivery_request(event_id), PROBE_TIMEOUT)
    health = await exchange(port, HEALTH_REQUEST, PROBE_TIMEOUT)
    return delivery, health


@pytest.mark.parametrize(
    ("kind", "deadline"),
    [
        ("silent", IDLE_TIMEOUT),
        ("trickled_head", HEADER_TIMEOUT),
        ("stalled_body", BODY_TIMEOUT),
    ],
)
async def test_hostile_sockets_are_closed_by_their_deadline_and_never_lock_out_deliveries(
    serve_port: int, kind: str, deadline: float
) -> None:
    port = serve_port
    attackers = [asyncio.create_task(_hold(port, kind)) for _ in range(ATTACKERS)]
    await asyncio.sleep(1.0)  # all connected and misbehaving
    delivery, health = await _delivery_and_health(port, f"evt_during_{kind}")
    assert (delivery.status, health.status) == (200, 200), (delivery, health)
    done, pending = await asyncio.wait(attackers, timeout=deadline + SLACK)
    for task in pending:
        task.cancel()
    assert not pending, f"{len(pending)} of {ATTACKERS} {kind} sockets still open"
    held = sorted(task.result()[0] for task in done)
    # Closed by the deadline, not earlier by accident.
    assert deadline - 1.0 <= held[0] and held[-1] <= deadline + SLACK, held
    if kind == "stalled_body":
        assert all(t.result()[1].startswith(b"HTTP/1.1 408") for t in done)
    delivery, health = await _delivery_and_health(port, f"evt_after_{kind}")
    assert (delivery.status, health.status) == (200, 200)


async def test_an_idle_keep_alive_connection_is_closed_after_its_deadline(serve_port: int) -> None:
    port = serve_port
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(HEALTH_REQUEST)
        status, _ = await asyncio.wait_for(read_reply(reader), PROBE_TIMEOUT)
        assert status == 200
        answered = time.monotonic()
        # The next request starts but its head never completes.
        writer.write(f"GET {WEBHOOK} HTTP/1.1\r\n".encode())
        rest = await asyncio.wait_for(reader.read(), IDLE_TIMEOUT + HEADER_TIMEOUT + SLACK)
        assert rest == b"" and time.monotonic() - answered <= HEADER_TIMEOUT + SLACK
    finally:
        writer.close()


async def _burst(port: int, count: int, round_name: str) -> tuple[list[Reply], Reply]:
    """`count` distinct signed deliveries on `count` connections opened first, then all
    sent at once; a health probe runs during the burst."""
    connections = await asyncio.gather(
        *(asyncio.open_connection("127.0.0.1", port) for _ in range(count))
    )
    requests = [delivery_request(f"evt_{round_name}_{i:04d}") for i in range(count)]
    start = time.monotonic()
    for (_, writer), request in zip(connections, requests, strict=True):
        writer.write(request)

    async def reply(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Reply:
        try:
            status, headers = await asyncio.wait_for(read_reply(reader), 30)
            return Reply(status, headers, time.monotonic() - start)
        except (ConnectionError, asyncio.IncompleteReadError):
            return Reply(0, {}, time.monotonic() - start)
        finally:
            writer.close()

    health = asyncio.create_task(exchange(port, HEALTH_REQUEST, PROBE_TIMEOUT))
    replies = await asyncio.gather(*(reply(r, w) for r, w in connections))
    return replies, await health


# What `serve` handles at once.
DELIVERY_CAP = DEFAULT_MAX_CONCURRENT_DELIVERIES


async def test_a_burst_past_the_cap_is_served_at_capacity_and_the_rest_is_503_quickly(
    serve_port: int,
) -> None:
    port = serve_port
    for round_name in ("first", "second", "third"):
        replies, health = await _burst(port, 500, round_name)
        statuses = [r.status for r in replies]
        served = statuses.count(200)
        assert served >= DELIVERY_CAP, (round_name, {s: statuses.count(s) for s in statuses})
        refused = [r for r in replies if r.status != 200]
        assert all(r.status == 503 and "retry-after" in r.headers for r in refused)
        assert all(r.seconds < 10 for r in refused)
        assert health.status == 200


async def test_past_the_delivery_cap_the_excess_is_503_at_once_and_health_answers() -> None:
    cap, handler_seconds = 40, 3.0
    with running_serve(script=[SLOW_RECEIVER, str(cap), str(handler_seconds)]) as port:
        for round_name in ("first", "second"):
            replies, health = await _burst(port, 300, round_name)
            served = [r for r in replies if r.status == 200]
            refused = [r for r in replies if r.status != 200]
            # The cap's worth is handled (each for handler_seconds); the rest is refused
            # long before the first handler finishes, and the probe is never refused.
            assert len(served) >= cap and all(r.seconds >= handler_seconds for r in served)
            assert all(r.status == 503 and r.headers["retry-after"] for r in refused)
            assert refused and max(r.seconds for r in refused) < handler_seconds / 2
            assert health.status == 200 and health.seconds < PROBE_TIMEOUT


# Sends a signed delivery whose body is chunked (Transfer-Encoding) in 1-byte chunks.
TRICKLER = """
import socket, sys
port, head, body = int(sys.argv[1]), open(sys.argv[2], 'rb').read(), open(sys.argv[3], 'rb').read()
sock = socket.create_connection(('127.0.0.1', port))
sock.settimeout(60)
sock.sendall(head)
sock.sendall(b''.join(b'1\\r\\n' + body[i:i + 1] + b'\\r\\n' for i in range(len(body))))
sock.sendall(b'0\\r\\n\\r\\n')
print(sock.recv(100).split(b'\\r\\n')[0].decode(), flush=True)
"""
# A Kubernetes probe's default timeout: h11 held the loop for about 3 s here, httptools
# for under 0.1 s.
TIGHT_PROBE_TIMEOUT = 1.0


async def test_a_body_in_one_byte_chunks_does_not_starve_the_health_probe(
    serve_port: int, tmp_path: Path
) -> None:
    body = event_body(event_id="evt_trickled", obj={"id": "pi_1", "pad": "x" * 200_000})
    head = (
        f"POST {WEBHOOK} HTTP/1.1\r\nhost: x\r\nstripe-signature: {signed(body)}\r\n"
        "transfer-encoding: chunked\r\n\r\n"
    )
    (tmp_path / "head").write_bytes(head.encode())
    (tmp_path / "body").write_bytes(body)
    port = serve_port
    trickler = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        TRICKLER,
        str(port),
        str(tmp_path / "head"),
        str(tmp_path / "body"),
        stdout=subprocess.PIPE,
    )
    probes: list[asyncio.Task[Reply]] = []
    deadline = time.monotonic() + 30
    while trickler.returncode is None and time.monotonic() < deadline:
        probes.append(asyncio.create_task(exchange(port, HEALTH_REQUEST, 10)))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(trickler.wait(), 0.05)
    output = (await asyncio.wait_for(trickler.communicate(), 10))[0].decode()
    latencies = [probe.seconds for probe in await asyncio.gather(*probes)]
    assert output.startswith("HTTP/1.1 200"), output
    assert max(latencies) < TIGHT_PROBE_TIMEOUT, latencies
