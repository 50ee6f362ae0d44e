"""BaseIntegrationClient: the pool, the limiter, the retry settings and the lifecycle."""

from __future__ import annotations

import abc
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx
from typing_extensions import Self

from ._http.body import Proxy
from ._http.ownership import HttpPool
from ._redact import redact
from ._requester import Requester
from .errors import APITimeoutError, InvalidArgumentError

if TYPE_CHECKING:
    from ._health import HealthStatus
    from ._http.loops import LoopAwareClient as LoopAwareClient


def __getattr__(name: str) -> Any:
    # Both live in modules of their own, so that a client is built without pydantic
    # or httpcore (the pool is built by the first request).
    if name == "HealthStatus":
        from ._health import HealthStatus

        return HealthStatus
    if name == "LoopAwareClient":
        from ._http.loops import LoopAwareClient

        return LoopAwareClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        return self._closed or self._requester.pool.is_closed

    async def aclose(self) -> None:
        """Close the connection pool (when this client created it). Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._owns_http_client:
            await self._requester.pool.aclose()

    @abc.abstractmethod
    async def _health_probe(self, timeout: float) -> dict[str, Any]:
        """Make the cheapest authenticated call; return facts such as livemode."""

    async def health_check(self, *, timeout: float = 5.0) -> HealthStatus:
        """Probe the API once (no retries) and report ok/degraded/down; never raises.

        Answers within `timeout` seconds, time waiting for the rate limiter included.
        """
        from ._health import HealthStatus

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
    proxy: Proxy | None = None,
) -> HttpPool:
    """The pool a client uses (built by its first request unless it is the caller's)."""
    if http_client is not None:
        if transport is not None:
            raise InvalidArgumentError("pass either http_client or transport, not both")
        return HttpPool.users(http_client)
    if transport is None:
        return HttpPool.own(proxy=proxy)
    return HttpPool.on_transport(transport)
