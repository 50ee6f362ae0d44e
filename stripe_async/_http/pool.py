"""`Pool`: httpcore's connection pool with linear bookkeeping and no leaked slots.

The stock pool rescans every connection for every idle one on each request start
and finish, and hands one idle connection to several queued requests, which then
retry; with 100 concurrent calls that cost 17 ms (!) of CPU per call instead of
0.67 ms. It also keeps a connection made for a request that gave up before using
it as busy for ever, so a burst of timeouts used up every slot.

The override replaces two private httpcore methods, so httpcore is pinned to the
versions the tests cover and `pool_override_applies()` checks at import that they
(and the private state they read) still exist with the same shape and are still
called; if not, the stock pool is used and a warning logged.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

import httpcore
import httpx

from .backend import LoopAwareBackend

__all__ = ["POOL_OVERRIDE_APPLIES", "Pool", "build_transport", "pool_override_applies"]

logger = logging.getLogger("stripe_async")


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
    # One TLS context for both pools: loading the CA bundle is the costliest step of a
    # first request (~30 ms), and the transport's own pool is replaced at once.
    ssl_context = httpx.create_ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, limits=limits)
    pool_class = Pool if POOL_OVERRIDE_APPLIES else httpcore.AsyncConnectionPool
    transport._pool = pool_class(
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        network_backend=LoopAwareBackend(),
    )
    return transport
