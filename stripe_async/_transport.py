"""The default HTTP transport: httpx's, minus two costs measured in benchmarks/.

httpx's `AsyncHTTPTransport` keeps its interface; underneath it we swap in

- `AsyncioBackend`, an httpcore network backend written on plain asyncio
  protocols. The stock backend goes through anyio, whose cancel scopes around
  every read and write cost about a quarter of the client CPU time per call
  (c=1: 745 -> 555 us per `payment_intents.create` on the benchmark machine).
- `Pool`, an httpcore connection pool whose bookkeeping is linear in the number
  of connections. The stock pool rescans every connection for every idle one
  on each request start and finish, and hands one idle connection to several
  queued requests, which then retry; with 100 concurrent calls that cost
  17 ms (!) of CPU per call instead of 0.67 ms.

- `OwnedClient`, the `httpx.AsyncClient` a StripeClient builds for itself. Its
  requests go straight to the transport, skipping what AsyncClient does per call
  that a Stripe client never needs (merging base URL, default headers and
  cookies; the cookie jar; auth and redirect hooks): c=1 600 -> 490 us.
  With a proxy configured in the environment (HTTPS_PROXY, ...) it is a plain
  AsyncClient on httpx's own transport, so the proxy is used as before.

Both are httpcore extension points (`network_backend=`, a subclass of the pool);
TLS, proxies from the environment and HTTP semantics stay httpx's own. The pool
overrides two private httpcore methods, so httpcore is pinned to the versions the
tests cover and `pool_override_applies()` checks at import that they still exist
with the same shape and are still called; if not, the stock pool is used and a
warning logged. Under any event loop but asyncio (trio, through anyio) the
connections go through httpcore's stock anyio backend.

Whatever the transport, replies are read through `read_body`, which decodes
gzip/deflate itself so that a reply's decoded size is capped while it streams.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import ssl
import urllib.request
import zlib
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import httpcore
import httpx

from ._redact import redact_loggers

__all__ = [
    "AsyncioBackend",
    "OwnedClient",
    "Pool",
    "Reply",
    "ReplyTooLarge",
    "build_transport",
    "pool_override_applies",
    "read_body",
    "send",
]

logger = logging.getLogger("stripe_async")

#: The loggers httpx and httpcore write to: their URLs carry query strings (a
#: PaymentIntent's client_secret, for one) and their traces carry headers.
HTTP_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)
redact_loggers(HTTP_LOGGERS)

# Pause reading from a socket when this much is buffered and not yet consumed.
_READ_HIGH_WATER = 256 * 1024


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

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
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
        self._transport.write(buffer)
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


class Pool(httpcore.AsyncConnectionPool):
    """httpcore's pool with bookkeeping linear in connections + requests (HTTP/1.1 only).

    Same policy as the original: drop closed and expired connections, keep at most
    `max_keepalive_connections` idle ones, give each queued request an available
    connection, else open one, else replace an idle one. Unlike the original, a
    connection already handed to a request that has not started yet is not handed
    out again, and one whose request gave up before opening it is dropped (the
    stock pool keeps it as busy for ever: a burst of timeouts used up every slot).
    """

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        kept: list[httpcore.AsyncConnectionInterface] = []
        idle = 0
        taken = {id(r.connection) for r in self._requests if r.connection is not None}
        for connection in self._connections:
            if connection.is_closed():
                continue
            if id(connection) not in taken and not connection.is_idle():
                # Neither reusable nor in use: made for a request that gave up (timed
                # out, was cancelled) before it used it, still "connecting" or "new".
                # httpcore would count it as busy for ever, so the slot never came back.
                closing.append(connection)
                continue
            if connection.has_expired():
                closing.append(connection)
            elif connection.is_idle():
                if idle >= self._max_keepalive_connections:
                    closing.append(connection)
                else:
                    idle += 1
                    kept.append(connection)
            else:
                kept.append(connection)
        self._connections = kept

        queued = [request for request in self._requests if request.is_queued()]
        if not queued:
            return closing
        # For HTTP/1.1, idle and untaken is exactly "available"; each is handed out once.
        available = [c for c in kept if id(c) not in taken and c.is_available()]
        for pool_request in queued:
            origin = pool_request.request.url.origin
            chosen = next((c for c in available if c.can_handle_request(origin)), None)
            if chosen is not None:
                available.remove(chosen)
            elif len(self._connections) < self._max_connections:
                chosen = self.create_connection(origin)
                self._connections.append(chosen)
            elif available:
                # Full, but idle connections to other origins exist: replace one.
                victim = available.pop(0)
                self._connections.remove(victim)
                closing.append(victim)
                chosen = self.create_connection(origin)
                self._connections.append(chosen)
            else:
                break  # every connection is busy: the rest wait for one to free up
            pool_request.assign_to_connection(chosen)
        return closing

    async def _close_connections(self, closing: list[httpcore.AsyncConnectionInterface]) -> None:
        # The original opens a cancellation shield even for nothing to close, and
        # httpcore finds the async library for each shield by trying to import
        # sniffio: ~45 us per failed import when it is not installed, twice a request.
        if closing:
            await super()._close_connections(closing)


def _signature(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def _pool_state_readable() -> bool:
    """The private state `Pool` reads still exists with the shape it expects."""
    pool = httpcore.AsyncConnectionPool()
    request = httpcore._async.connection_pool.AsyncPoolRequest(
        httpcore.Request("GET", "http://127.0.0.1/")
    )
    return (
        isinstance(pool._connections, list)
        and isinstance(pool._requests, list)
        and request.connection is None
    )


def pool_override_applies() -> bool:
    """True when httpcore still has, and still calls, the two methods `Pool` overrides,
    and still keeps the state they read (`_connections`, `_requests`, a request's
    `connection`).

    Checked once at import: httpcore's pool internals are private and may change in
    any release; if they did, the override would silently never run.
    """
    base = httpcore.AsyncConnectionPool
    try:
        calls = base.handle_async_request.__code__.co_names
        return (
            _signature(base._assign_requests_to_connections) == ["self"]
            and _signature(base._close_connections) == ["self", "closing"]
            and "_assign_requests_to_connections" in calls
            and "_close_connections" in calls
            and callable(httpcore._async.connection_pool.AsyncPoolRequest.is_queued)
            and "_pool" in httpx.AsyncHTTPTransport.handle_async_request.__code__.co_names
            and _pool_state_readable()
        )
    except (AttributeError, TypeError, ValueError):
        return False


POOL_OVERRIDE_APPLIES = pool_override_applies()
if not POOL_OVERRIDE_APPLIES:  # pragma: no cover - depends on the installed httpcore
    logger.warning(
        "httpcore %s changed the connection pool internals stripe-async tunes; using "
        "httpcore's stock pool (correct, but slower with many concurrent calls)",
        httpcore.__version__,
    )


def build_transport(limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """An `httpx.AsyncHTTPTransport` on `Pool` (when it applies) and `LoopAwareBackend`."""
    transport = httpx.AsyncHTTPTransport(limits=limits)
    pool_class = Pool if POOL_OVERRIDE_APPLIES else httpcore.AsyncConnectionPool
    transport._pool = pool_class(
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        network_backend=LoopAwareBackend(),
    )
    return transport


class Reply(NamedTuple):
    """What the request loop needs of an HTTP reply, its body read in full."""

    status_code: int
    headers: httpx.Headers
    content: bytes


class ReplyTooLarge(Exception):
    """A reply's decoded body grew past the configured limit (raised while reading)."""

    def __init__(self, limit: int, status_code: int, headers: httpx.Headers) -> None:
        super().__init__(f"the reply is larger than {limit} bytes")
        self.limit = limit
        self.status_code = status_code
        self.headers = headers


#: The content codings `read_body` decodes itself, and so the only ones we ask for.
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024


def _decompressor(coding: str, first: bytes) -> Any:
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    # "deflate" is meant to be zlib-wrapped, but some servers send it raw.
    wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """Read and decode a streamed reply, failing once it passes `limit` decoded bytes.

    gzip and deflate are inflated here 64 KiB at a time, so a compression bomb costs
    no more memory than the limit allows.
    """
    status, headers = response.status_code, response.headers
    if response.is_stream_consumed:  # a reply built in memory (a mock transport, respx)
        if len(response.content) > limit:
            raise ReplyTooLarge(limit, status, headers)
        return response.content
    declared = headers.get("content-length", "")
    codings = [c.strip().lower() for c in headers.get("content-encoding", "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings and declared.isdigit() and int(declared) > limit:
        raise ReplyTooLarge(limit, status, headers)
    if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
        # A coding we did not ask for: httpx decodes it, counted chunk by chunk.
        return await _read_counted(response.aiter_bytes(), limit, status, headers)
    if not codings:
        return await _read_counted(response.aiter_raw(), limit, status, headers)
    # A list of pieces, joined once: growing one buffer would briefly hold it twice.
    pieces: list[bytes] = []
    size = 0
    decoder: Any = None
    async for chunk in response.aiter_raw():
        if decoder is None:
            decoder = _decompressor(codings[0], chunk)
        data = chunk
        while data:
            try:
                piece = decoder.decompress(data, min(_CHUNK, limit + 1 - size))
            except zlib.error as exc:
                raise httpx.DecodingError(f"could not decode the reply: {exc}") from None
            pieces.append(piece)
            size += len(piece)
            if size > limit:
                raise ReplyTooLarge(limit, status, headers)
            data = decoder.unconsumed_tail
    if decoder is not None:
        pieces.append(decoder.flush())
        if size + len(pieces[-1]) > limit:
            raise ReplyTooLarge(limit, status, headers)
    return b"".join(pieces)


async def _read_counted(chunks: Any, limit: int, status: int, headers: httpx.Headers) -> bytes:
    pieces: list[bytes] = []
    size = 0
    async for chunk in chunks:
        pieces.append(chunk)
        size += len(chunk)
        if size > limit:
            raise ReplyTooLarge(limit, status, headers)
    return b"".join(pieces)


class OwnedClient(httpx.AsyncClient):
    """The pooled AsyncClient a StripeClient creates (and closes) itself."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._direct: httpx.AsyncBaseTransport | None = None
        if urllib.request.getproxies():
            # httpx only routes through environment proxies when it builds the
            # transport itself, so leave it to do so.
            super().__init__(limits=limits, http2=False)
        else:
            self._direct = build_transport(limits)
            super().__init__(transport=self._direct, limits=limits, http2=False)
        self._timeouts: dict[float, dict[str, float | None]] = {}

    async def send_direct(
        self,
        method: str,
        url: str,
        content: bytes | None,
        headers: Mapping[str, str],
        timeout: float,
        max_bytes: int,
    ) -> Reply:
        """Send one request and read the whole reply (at most `max_bytes` of it)."""
        if self._direct is None:
            return await _send_via_client(self, method, url, content, headers, timeout, max_bytes)
        if self.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        timeouts = self._timeouts.get(timeout)
        if timeouts is None:
            timeouts = self._timeouts[timeout] = httpx.Timeout(timeout).as_dict()
        request = httpx.Request(
            method, url, content=content, headers=headers, extensions={"timeout": timeouts}
        )
        response = await self._direct.handle_async_request(request)
        response.request = request
        try:
            body = await read_body(response, max_bytes)
        finally:
            await response.aclose()
        return Reply(response.status_code, response.headers, body)


async def _send_via_client(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    content: bytes | None,
    headers: Mapping[str, str],
    timeout: float,
    max_bytes: int,
) -> Reply:
    request = client.build_request(method, url, content=content, headers=headers, timeout=timeout)
    response = await client.send(request, stream=True)
    try:
        body = await read_body(response, max_bytes)
    finally:
        await response.aclose()
    return Reply(response.status_code, response.headers, body)


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    content: bytes | None,
    headers: Mapping[str, str],
    timeout: float,
    max_bytes: int,
) -> Reply:
    """Send through `client` (directly when it is an `OwnedClient`); read a capped reply.

    `headers` should carry `Accept-Encoding: ACCEPT_ENCODING`.
    """
    if isinstance(client, OwnedClient):
        return await client.send_direct(method, url, content, headers, timeout, max_bytes)
    return await _send_via_client(client, method, url, content, headers, timeout, max_bytes)
