"""A loopback Stripe double that fails the ways networks and Stripe fail.

`FaultServer` speaks just enough HTTP/1.1 (keep-alive, Content-Length bodies) on
127.0.0.1 to serve `POST /v1/payment_intents` and `GET /v1/balance`. It honours
idempotency keys as Stripe does: the first completed result for a key is stored
and replayed (with `Idempotent-Replayed: true`) for every later request with that
key; a replay with different parameters is a 400 idempotency_error.

A share of keyed requests fails, each in one of these ways:

- ``reset_before``: the connection is reset before any work is done;
- ``reset_after``: the object is created, then the connection is reset (the reply is lost);
- ``status_500``: a JSON api_error, nothing created (like a failing load balancer);
- ``html_503``: a 503 with an HTML page, nothing created;
- ``lock_409``: 409 lock_timeout with ``Stripe-Should-Retry: true``;
- ``rate_429``: 429 with ``Retry-After``;
- ``slow``: the object is created but the reply comes after the client's timeout.

At most ``max_consecutive`` faults hit one key in a row, so a call with enough
retries always gets through and a test never flakes on an unlucky streak.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import struct
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import pytest

FAULT_KINDS = (
    "reset_before",
    "reset_after",
    "status_500",
    "html_503",
    "lock_409",
    "rate_429",
    "slow",
)

RETRY_AFTER_SECONDS = 1


@dataclass
class Stored:
    """The first result for an idempotency key."""

    params: str
    status: int
    body: bytes


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    fault: str | None


@dataclass
class FaultServer:
    """State and knobs of one running server (see the module docstring)."""

    fault_rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    max_consecutive: int = 4
    slow_delay: float = 1.5
    seed: int = 1234
    #: When set, exactly this many first attempts of each key fail with `force_kind`.
    force_kind: str | None = None
    force_count: int = 0

    port: int = 0
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotency: dict[str, Stored] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    replays: int = 0
    open_connections: int = 0
    total_connections: int = 0
    requests_served: int = 0
    #: When False, requests are not kept in `seen` (the soak test serves 10,000).
    record: bool = True
    _streak: Counter[str] = field(default_factory=Counter)
    _rng: random.Random = field(init=False)
    _server: asyncio.AbstractServer | None = None
    _handlers: set[asyncio.Task[None]] = field(default_factory=set)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)
    #: Set while a request is being held (the `hold` path), for cancellation tests.
    held: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            # Aborting the sockets ends the handlers normally (cancelling them would
            # make asyncio log the CancelledError).
            self.release.set()
            for writer in list(self._writers):
                writer.transport.abort()
            await asyncio.gather(*self._handlers, return_exceptions=True)
            await self._server.wait_closed()

    async def wait_idle(self, timeout: float = 2.0) -> None:
        """Wait until the client has closed every connection (or the timeout passes)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.open_connections and loop.time() < deadline:
            await asyncio.sleep(0.01)

    def posts_without_key(self) -> list[Seen]:
        return [s for s in self.seen if s.method == "POST" and "idempotency-key" not in s.headers]

    # -- connection handling -------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._writers.add(writer)
        self.open_connections += 1
        self.total_connections += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                headers: dict[str, str] = {}
                for line in header_lines:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
                try:
                    body = await reader.readexactly(length) if length else b""
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                if not await self._respond(reader, writer, method, target, headers, body):
                    return
        finally:
            self.open_connections -= 1
            self._handlers.discard(task)
            self._writers.discard(writer)
            writer.close()

    async def _respond(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes,
    ) -> bool:
        """Answer one request; False when the connection is gone."""
        self.requests_served += 1
        if target.startswith("http://"):  # absolute form: we are being used as a proxy
            target = "/" + target.split("/", 3)[3]
        path = target.split("?", 1)[0]
        key = headers.get("idempotency-key") if method == "POST" else None
        fault = self._pick_fault(key)
        if self.record:
            self.seen.append(Seen(method, path, headers, body, fault))
        if fault is not None:
            self.faults[fault] += 1

        if path == "/v1/hold":
            self.held.set()
            # Hold the reply until released, noticing when the client hangs up meanwhile.
            hangup = asyncio.ensure_future(reader.read(1))
            released = asyncio.ensure_future(self.release.wait())
            await asyncio.wait({hangup, released}, return_when=asyncio.FIRST_COMPLETED)
            hangup.cancel()
            released.cancel()
            if not released.done() or released.cancelled():
                return False
            return self._send(writer, 200, _balance())
        if method == "GET" and path == "/v1/balance":
            return self._send(writer, 200, _balance())
        if method != "POST" or path != "/v1/payment_intents":
            return self._send(writer, 404, _error("invalid_request_error", "Unrecognized URL"))
        if key is None:
            return self._send(
                writer, 400, _error("invalid_request_error", "this double demands keys")
            )

        if fault == "reset_before":
            return _reset(writer)
        if fault == "status_500":
            return self._send(writer, 500, _error("api_error", "Something went wrong"))
        if fault == "html_503":
            page = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
            return self._send(writer, 503, page, content_type="text/html")
        if fault == "lock_409":
            err = _error("invalid_request_error", "lock timeout", code="lock_timeout")
            return self._send(writer, 409, err, extra={"Stripe-Should-Retry": "true"})
        if fault == "rate_429":
            err = _error("invalid_request_error", "Too many requests", code="rate_limit")
            return self._send(writer, 429, err, extra={"Retry-After": str(RETRY_AFTER_SECONDS)})

        status, payload, replayed = self._create_once(key, body)
        if fault == "reset_after":
            return _reset(writer)
        if fault == "slow":
            await asyncio.sleep(self.slow_delay)
        extra = {"Idempotent-Replayed": "true"} if replayed else {}
        extra["Idempotency-Key"] = key
        return self._send(writer, status, payload, extra=extra)

    def _pick_fault(self, key: str | None) -> str | None:
        if key is None:
            return None
        if self.force_kind is not None:
            if self._streak[key] < self.force_count:
                self._streak[key] += 1
                return self.force_kind
            return None
        if self._streak[key] < self.max_consecutive and self._rng.random() < self.fault_rate:
            self._streak[key] += 1
            return self._rng.choice(self.kinds)
        self._streak[key] = 0
        return None

    def _create_once(self, key: str, body: bytes) -> tuple[int, bytes, bool]:
        """Create a PaymentIntent, or replay what this key produced first."""
        params = body.decode("ascii")
        stored = self.idempotency.get(key)
        if stored is not None:
            if stored.params != params:
                err = _error(
                    "idempotency_error",
                    "Keys for idempotent requests can only be used with the same parameters",
                )
                return 400, err, False
            self.replays += 1
            return stored.status, stored.body, True
        form = dict(parse_qsl(params))
        obj_id = f"pi_{len(self.objects) + 1:08d}"
        metadata = {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}
        obj = {
            "id": obj_id,
            "object": "payment_intent",
            "amount": int(form.get("amount", "0")),
            "currency": form.get("currency"),
            "status": "requires_payment_method",
            "client_secret": f"{obj_id}_secret_abc",
            "livemode": False,
            "metadata": metadata,
        }
        self.objects[obj_id] = obj
        payload = json.dumps(obj).encode()
        self.idempotency[key] = Stored(params, 200, payload)
        return 200, payload, False

    def _send(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        body: bytes,
        *,
        content_type: str = "application/json",
        extra: dict[str, str] | None = None,
    ) -> bool:
        if writer.is_closing():
            return False
        lines = [
            f"HTTP/1.1 {status} X",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
            f"Request-Id: req_{self.requests_served}",
        ]
        lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        return True


def _reset(writer: asyncio.StreamWriter) -> bool:
    """Drop the connection with a TCP RST, replying nothing."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
    return False


def _error(kind: str, message: str, *, code: str | None = None) -> bytes:
    error: dict[str, Any] = {"type": kind, "message": message}
    if code is not None:
        error["code"] = code
    return json.dumps({"error": error}).encode()


def _balance() -> bytes:
    return b'{"object":"balance","available":[{"amount":0,"currency":"usd"}],"livemode":false}'


@pytest.fixture
async def fault_server() -> AsyncIterator[FaultServer]:
    """A started FaultServer with no faults; tests set its knobs before use."""
    server = FaultServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


class InstantSleep:
    """A `sleep=` for the client that records the delays and waits for nothing."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


@pytest.fixture
def instant_sleep() -> InstantSleep:
    return InstantSleep()
