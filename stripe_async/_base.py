"""BaseIntegrationClient: the pool, the limiter, the retry settings and the lifecycle."""

from __future__ import annotations

import abc
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Literal

import httpx
from pydantic import BaseModel
from typing_extensions import Self

from ._loops import (
    close_on_its_loop,
    close_quietly,
    close_when_the_loop_ends,
    current_loop,
    loop_is_closed,
)
from ._redact import redact
from ._requester import Requester
from ._transport import OwnedClient, Reply
from .errors import APITimeoutError, InvalidArgumentError


class HealthStatus(BaseModel):
    """The result of `health_check()`: safe to serve from a health endpoint (no secrets).

    `degraded` means the probe never left this process: the client-side rate limit
    had no free slot within the timeout (this process is saturated; Stripe may be fine).
    """

    status: Literal["ok", "degraded", "down"]
    latency_ms: float
    api_version: str
    livemode: bool | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class BaseIntegrationClient(abc.ABC):
    """Owns one pooled `httpx.AsyncClient` and the request loop built on it.

    Use it as `async with Client(...) as client:` or call `await client.aclose()`;
    closing twice is harmless. Copies made by `with_options` share the pool and do
    not close it.
    """

    _requester: Requester
    _owns_http_client: bool
    _closed: bool

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    @property
    def is_closed(self) -> bool:
        return self._closed or self._requester.http_client.is_closed

    async def aclose(self) -> None:
        """Close the connection pool (when this client created it). Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._owns_http_client:
            await self._requester.http_client.aclose()

    @abc.abstractmethod
    async def _health_probe(self, timeout: float) -> dict[str, Any]:
        """Make the cheapest authenticated call; return facts such as livemode."""

    async def health_check(self, *, timeout: float = 5.0) -> HealthStatus:
        """Probe the API once (no retries) and report ok/degraded/down; never raises.

        Answers within `timeout` seconds, time waiting for the rate limiter included.
        """
        started = time.perf_counter()
        version = self._requester.config.stripe_version
        try:
            facts = await self._health_probe(timeout)
        except Exception as exc:  # a health probe reports failure, it does not raise
            unsent = isinstance(exc, APITimeoutError) and not exc.request_sent
            return HealthStatus(
                status="degraded" if unsent else "down",
                latency_ms=round((time.perf_counter() - started) * 1000, 2),
                api_version=version,
                error=redact(f"{type(exc).__name__}: {exc}"),
            )
        return HealthStatus(
            status="ok",
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            api_version=version,
            livemode=facts.get("livemode"),
        )


def build_http_client(
    *,
    http_client: httpx.AsyncClient | None,
    transport: httpx.AsyncBaseTransport | None,
) -> tuple[httpx.AsyncClient, bool]:
    """The pool a client uses, and whether the client owns (and so closes) it."""
    if http_client is not None:
        if transport is not None:
            raise InvalidArgumentError("pass either http_client or transport, not both")
        return http_client, False
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200, keepalive_expiry=30)
    if transport is None:
        return LoopAwareClient(limits), True
    # A given transport decides for itself how it behaves across loops (the
    # emulator's and httpx.MockTransport hold no loop-bound state).
    return httpx.AsyncClient(transport=transport, limits=limits, http2=False), True


class LoopAwareClient(OwnedClient):
    """The client's own pool, with one pool per event loop it is used from.

    Connections belong to the loop that opened them, so a client reused in a
    second `asyncio.run` (a module-level client, pytest's loop per test), under
    trio, or from loops in several threads at once gets a pool of its own in each
    loop. The first loop uses this object's pool; every other loop gets a sibling
    built on first use. Each loop's pool is closed when that loop finishes
    (asyncio.run and trio.run finalise live async generators before returning).
    """

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits)
        self._limits = limits
        self._home: weakref.ref[object] | None = None
        self._siblings: dict[object, OwnedClient] = {}
        self._finalisers: list[tuple[httpx.AsyncClient, AsyncGenerator[None, None]]] = []
        self._lock = threading.Lock()
        self._closing = False  # aclose() was called: refuse new requests
        self._retired = False  # our own pool was closed because its loop finished

    @property
    def is_closed(self) -> bool:
        return self._closing or (super().is_closed and not self._retired)

    async def send_direct(
        self,
        method: str,
        url: str,
        content: bytes | None,
        headers: Mapping[str, str],
        timeout: float,
        max_bytes: int,
    ) -> Reply:
        loop = current_loop()
        home = self._home
        if home is None:
            home = await self._bind_home(loop)
        if home() is loop:
            return await super().send_direct(method, url, content, headers, timeout, max_bytes)
        sibling = self._siblings.get(loop)
        if sibling is None:
            sibling = await self._new_sibling(loop)
        return await sibling.send_direct(method, url, content, headers, timeout, max_bytes)

    async def _bind_home(self, loop: object) -> weakref.ref[object]:
        with self._lock:
            if self._home is not None:
                return self._home
            self._home = weakref.ref(loop)
        await self._close_at_loop_end(self, self._retire)
        return self._home

    async def _retire(self) -> None:
        self._retired = True
        await super().aclose()

    async def _new_sibling(self, loop: object) -> OwnedClient:
        sibling = OwnedClient(self._limits)
        with self._lock:
            existing = self._siblings.get(loop)
            if existing is not None:  # another task of this loop got there first
                return existing
            # Forget pools of loops that have finished (their finaliser closed them).
            for other in [other for other in self._siblings if loop_is_closed(other)]:
                del self._siblings[other]
            self._siblings[loop] = sibling
        await self._close_at_loop_end(sibling, sibling.aclose)
        return sibling

    async def _close_at_loop_end(
        self, pool: httpx.AsyncClient, close: Callable[[], Awaitable[None]]
    ) -> None:
        finaliser = close_when_the_loop_ends(close)
        await finaliser.asend(None)
        with self._lock:
            # Kept here because loops hold their async generators only weakly.
            self._finalisers = [(p, f) for p, f in self._finalisers if not p.is_closed]
            self._finalisers.append((pool, finaliser))

    def pools(self) -> int:
        """How many pools are open, over every loop."""
        with self._lock:
            siblings = list(self._siblings.values())
        return sum(not pool.is_closed for pool in siblings) + int(not super().is_closed)

    async def aclose(self) -> None:
        """Close the pool of every loop: here now, on other running loops soon after.

        Pools of loops that have already finished were closed as they finished,
        or cannot be closed any more (their connections need their loop).
        """
        self._closing = True
        loop = current_loop()
        with self._lock:
            siblings = list(self._siblings.items())
            self._siblings.clear()
            home = self._home() if self._home is not None else None
        closes: list[tuple[object, Callable[[], Awaitable[None]]]] = [
            (other, pool.aclose) for other, pool in siblings
        ]
        closes.append((home, super().aclose))
        for other, close in closes:
            if other is None or other is loop:
                await close_quietly(close)
            else:
                close_on_its_loop(other, close)
