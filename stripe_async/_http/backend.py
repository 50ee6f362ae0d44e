"""An httpcore network backend on plain asyncio protocols (and anyio's elsewhere).

httpcore's stock backend goes through anyio, whose cancel scopes around every
read and write cost about a quarter of the client CPU time per call (c=1: 745 ->
555 us per `payment_intents.create` on the benchmark machine). `network_backend=`
is httpcore's public extension point for exactly this. Under any event loop but
asyncio (trio, through anyio) connections use httpcore's stock anyio backend.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

__all__ = ["AsyncioBackend", "AsyncioStream", "LoopAwareBackend"]

# Pause reading from a socket when this much is buffered and not yet consumed.
_READ_HIGH_WATER = 256 * 1024
# Small writes are held until the next read (or until this much is held), so a
# request's head and body leave in one send: h11 writes them separately, and a
# send (a system call that wakes the peer) is among the costliest steps of a call.
_WRITE_COALESCE = 64 * 1024


class _StreamProtocol(asyncio.Protocol):
    """Buffers what arrives and wakes the one reader waiting for it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.buffer = bytearray()
        self.eof = False
        self.error: BaseException | None = None
        self.reading: asyncio.Future[None] | None = None
        self.draining: asyncio.Future[None] | None = None
        self.write_paused = False
        self.read_paused = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _READ_HIGH_WATER and self.transport is not None:
            self.transport.pause_reading()
            self.read_paused = True
        _wake(self.reading)

    def eof_received(self) -> bool | None:
        self.eof = True
        _wake(self.reading)
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self.error = exc
        _wake(self.reading)
        _wake(self.draining)

    def pause_writing(self) -> None:
        self.write_paused = True

    def resume_writing(self) -> None:
        self.write_paused = False
        _wake(self.draining)


def _wake(waiter: asyncio.Future[None] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


class _Deadline:
    """Wakes a waiter after `timeout` seconds and remembers that it did.

    The deadline resolves the future rather than cancelling it: a cancellation the
    waiting task receives is then always the caller's own (asyncio.timeout, a
    cancelled task, an anyio cancel scope) and propagates untouched, even when it
    lands in the same loop iteration as the deadline.
    """

    __slots__ = ("expired", "handle")

    def __init__(self, future: asyncio.Future[None], timeout: float | None) -> None:
        self.expired = False
        self.handle = (
            None if timeout is None else future.get_loop().call_later(timeout, self._fire, future)
        )

    def _fire(self, future: asyncio.Future[None]) -> None:
        if not future.done():
            self.expired = True
            future.set_result(None)

    async def wait(self, future: asyncio.Future[None], error: type[Exception]) -> None:
        try:
            await future
        finally:
            if self.handle is not None:
                self.handle.cancel()
        if self.expired:
            raise error("timed out")


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One TCP (or TLS) connection, read and written through an asyncio protocol."""

    def __init__(self, protocol: _StreamProtocol, transport: asyncio.Transport) -> None:
        self._protocol = protocol
        self._transport = transport
        self._held: list[bytes] = []
        self._held_size = 0

    def _flush(self) -> None:
        if self._held:
            held, self._held, self._held_size = self._held, [], 0
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self._flush()  # the peer answers only what it has been sent
        proto = self._protocol
        if not proto.buffer and not proto.eof:
            waiter = proto.loop.create_future()
            proto.reading = waiter
            try:
                await _Deadline(waiter, timeout).wait(waiter, httpcore.ReadTimeout)
            finally:
                proto.reading = None
        if proto.buffer:
            data = bytes(proto.buffer[:max_bytes])
            del proto.buffer[:max_bytes]
            if proto.read_paused and len(proto.buffer) < _READ_HIGH_WATER // 4:
                proto.read_paused = False
                self._transport.resume_reading()
            return data
        if proto.error is not None:
            raise httpcore.ReadError(f"{type(proto.error).__name__}: {proto.error}")
        return b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        proto = self._protocol
        if proto.error is not None or self._transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        self._held.append(buffer)
        self._held_size += len(buffer)
        if self._held_size < _WRITE_COALESCE:
            return  # sent with what follows, or by the read that always comes next
        self._flush()
        if proto.write_paused:
            waiter = proto.loop.create_future()
            proto.draining = waiter
            try:
                await _Deadline(waiter, timeout).wait(waiter, httpcore.WriteTimeout)
            finally:
                proto.draining = None

    async def aclose(self) -> None:
        # Abort, never close: close() would still flush a partly written request
        # (an 8 MB POST the caller cancelled would reach the server whole), and
        # httpcore only closes a connection that is idle or no longer usable.
        self._transport.abort()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self._flush()
        loop = self._protocol.loop
        try:
            transport = await asyncio.wait_for(
                loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                ),
                timeout,
            )
        except asyncio.TimeoutError:
            self._transport.abort()
            raise httpcore.ConnectTimeout("the TLS handshake timed out") from None
        except (OSError, ssl.SSLError) as exc:
            self._transport.abort()
            raise httpcore.ConnectError(f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(transport, asyncio.Transport):  # pragma: no cover - loop contract
            raise httpcore.ConnectError("TLS upgrade failed")
        return AsyncioStream(self._protocol, transport)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # httpcore asks this of idle connections: data or EOF now means the
            # server closed the connection (or broke protocol), so drop it.
            return bool(self._protocol.buffer) or self._protocol.eof
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        return None


#: Start the next address of a host this long after the previous one (RFC 8305's
#: recommended value, anyio's too), so one address dropping SYNs costs 250 ms, not
#: the whole connect timeout.
HAPPY_EYEBALLS_DELAY = 0.25


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens `AsyncioStream` connections; connect errors map to httpcore's exceptions.

    A host's addresses are tried with Happy Eyeballs (interleaving IPv6 and IPv4),
    and `timeout` covers the whole attempt: resolution and every address.
    """

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        protocol = _StreamProtocol(loop)
        local = (local_address, 0) if local_address else None
        try:
            transport, _ = await asyncio.wait_for(
                loop.create_connection(
                    lambda: protocol,
                    host,
                    port,
                    local_addr=local,
                    happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY,
                    interleave=1,
                ),
                timeout,
            )
        except asyncio.TimeoutError:
            raise httpcore.ConnectTimeout(f"connecting to {host}:{port} timed out") from None
        except OSError as exc:
            raise httpcore.ConnectError(f"{type(exc).__name__}: {exc}") from exc
        sock = transport.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(protocol, transport)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        protocol = _StreamProtocol(loop)
        try:
            transport, _ = await asyncio.wait_for(
                loop.create_unix_connection(lambda: protocol, path), timeout
            )
        except asyncio.TimeoutError:
            raise httpcore.ConnectTimeout(f"connecting to {path} timed out") from None
        except OSError as exc:
            raise httpcore.ConnectError(f"{type(exc).__name__}: {exc}") from exc
        return AsyncioStream(protocol, transport)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class LoopAwareBackend(httpcore.AsyncNetworkBackend):
    """`AsyncioBackend` under asyncio, httpcore's stock anyio backend under anything else.

    One transport may be used from asyncio and from trio (through anyio), so the
    choice is made per connection, not when the client is built.
    """

    def __init__(self) -> None:
        self.asyncio = AsyncioBackend()
        self.other = httpcore.AnyIOBackend()

    def _pick(self) -> httpcore.AsyncNetworkBackend:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # trio (or another library anyio runs on)
            return self.other
        return self.asyncio

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self._pick().connect_tcp(host, port, timeout, local_address, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self._pick().connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._pick().sleep(seconds)
