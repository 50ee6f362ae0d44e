"""Loopback servers on plain threads, so the same server serves asyncio and trio tests.

Each accepted connection runs `handler(conn)` on its own thread; the handler speaks
whatever (mis)behaving HTTP the test needs. Tests run their client with
`anyio.run(..., backend=...)` for both backends.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import pytest

BACKENDS = ["asyncio", "trio"]

Handler = Callable[[socket.socket], None]

OK_BODY = b'{"object": "balance", "livemode": false, "available": [], "pending": []}'


def read_head(conn: socket.socket) -> bytes:
    """Read one request's head (through the blank line); b"" if the peer closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return b""
        data += chunk
    return data


def reply(body: bytes = OK_BODY, status: str = "200 OK", extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s" % (
        status.encode(),
        len(body),
        extra,
        body,
    )


def answer_ok(conn: socket.socket) -> None:
    """Answer every request on the connection with a small JSON object."""
    while read_head(conn):
        conn.sendall(reply())


class LoopbackServer:
    """Counts the connections and requests (heads) it saw."""

    def __init__(self, handler: Handler, host: str = "127.0.0.1", port: int = 0) -> None:
        self.handler = handler
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, port))
        self.listener.listen(64)
        self.host = host
        self.port: int = self.listener.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.conns: list[socket.socket] = []
        self.accepter = threading.Thread(target=self._accept, daemon=True)
        self.accepter.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self.conns.append(conn)
            thread = threading.Thread(target=self._run, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _run(self, conn: socket.socket) -> None:
        try:
            self.handler(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        # close() alone does not wake a thread blocked in accept(); shutdown() does.
        with suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for conn in self.conns:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in [self.accepter, *self.threads]:
            thread.join(timeout=5)


@contextmanager
def serving(handler: Handler, host: str = "127.0.0.1", port: int = 0) -> Iterator[LoopbackServer]:
    server = LoopbackServer(handler, host, port)
    try:
        yield server
    finally:
        server.close()


@contextmanager
def blackhole(host: str, port: int = 0) -> Iterator[int]:
    """A port on `host` that drops SYNs: its one-slot accept queue is kept full."""
    listener = socket.socket()
    listener.bind((host, port))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with suppress(BlockingIOError):
            filler.connect((host, port))
        fillers.append(filler)
    try:
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def resolve_to(
    monkeypatch: pytest.MonkeyPatch, name: str, addresses: list[tuple[str, int]]
) -> None:
    """Make `name` resolve to `addresses` (in that order) for every async library."""
    real = socket.getaddrinfo

    def fake(host: object, port: object, *args: object, **kwargs: object) -> object:
        if host in (name, name.encode()):
            return [
                (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", address)
                for address in addresses
            ]
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
