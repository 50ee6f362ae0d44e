"""A real `python -m stripe_async serve` in a child process, and raw-socket clients for it.

The receiver runs in its own process so that the attacking clients and the server do
not share an interpreter (and a GIL): latencies measured here are the server's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from webhook_helpers import SECRET, event_body, signed

HEALTH = "/health/integrations/stripe"
WEBHOOK = "/webhooks/stripe"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Balance(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"object": "balance", "livemode": False, "available": []}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def fake_stripe() -> Iterator[str]:
    """A loopback stand-in for api.stripe.com answering the health probe's GET /v1/balance."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Balance)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


SLOW_RECEIVER = str(Path(__file__).with_name("slow_receiver.py"))


@contextlib.contextmanager
def running_serve(
    extra_env: dict[str, str] | None = None, script: list[str] | None = None
) -> Iterator[int]:
    """`python -m stripe_async serve` on a free loopback port; yields the port.

    With `script`, runs `python *script PORT` instead (a receiver of the test's own).
    """
    with fake_stripe() as api_base:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
        env.update(
            STRIPE_API_KEY="sk_test_hostile_123",
            STRIPE_WEBHOOK_SECRET=SECRET,
            STRIPE_API_BASE=api_base,
            **(extra_env or {}),
        )
        port = free_port()
        command = ["-m", "stripe_async", "serve", "--port", str(port)]
        if script is not None:
            command = [script[0], str(port), *script[1:]]
        process = subprocess.Popen(
            [sys.executable, *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"http://127.0.0.1:{port}{HEALTH}", timeout=2)
                    break
                except httpx.TransportError:
                    assert process.poll() is None, "serve exited early"
                    assert time.monotonic() < deadline, "serve did not start listening"
                    time.sleep(0.1)
            yield port
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def delivery_request(event_id: str, *, extra_headers: bytes = b"") -> bytes:
    """A complete signed POST of a distinct event, as raw HTTP/1.1 bytes."""
    body = event_body(event_id=event_id)
    head = (
        f"POST {WEBHOOK} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"stripe-signature: {signed(body)}\r\ncontent-length: {len(body)}\r\n"
    ).encode()
    return head + extra_headers + b"\r\n" + body


HEALTH_REQUEST = f"GET {HEALTH} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n".encode()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    seconds: float


async def read_reply(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers


async def exchange(port: int, request: bytes, timeout: float) -> Reply:
    """One request on a fresh connection; raises TimeoutError past `timeout`."""
    start = time.monotonic()

    async def go() -> Reply:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(request)
            status, headers = await read_reply(reader)
            return Reply(status, headers, time.monotonic() - start)
        finally:
            writer.close()

    return await asyncio.wait_for(go(), timeout)
