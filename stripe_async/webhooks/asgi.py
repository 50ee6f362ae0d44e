"""`create_app`: a plain ASGI app receiving Stripe webhooks and serving a health check.

No framework needed; mount it in Starlette/FastAPI with `app.mount("/", create_app(...))`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

import anyio

from .._redact import redact
from ..errors import InvalidArgumentError, StripeError
from .router import ClaimLostError, EventInProgressError, HandlerTimeoutError, WebhookRouter
from .store import EventStoreError

__all__ = ["HealthCheckClient", "HealthReport", "WebhookApp", "create_app"]

logger = logging.getLogger("stripe_async.webhooks")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DEFAULT_HEALTH_CACHE_SECONDS = 5.0
# Stripe sends a webhook body in one go; a client still trickling it after this
# long is stalled or hostile, and holds a connection and a task while it lasts.
DEFAULT_BODY_TIMEOUT = 10.0
# Deliveries verified and handled at once; more are answered 503 at once (Stripe
# retries) instead of queueing behind a slow handler until every reply times out.
DEFAULT_MAX_CONCURRENT_DELIVERIES = 256
# What a duplicate delivery tells Stripe while another worker holds the event.
_RETRY_LATER = ((b"retry-after", b"5"),)
_CLOSE = ((b"connection", b"close"),)
_BUSY_LOG_INTERVAL = 10.0


class HealthReport(Protocol):
    """What `health_check()` returns (stripe_async.HealthStatus fits)."""

    @property
    def status(self) -> str: ...
    @property
    def latency_ms(self) -> float: ...
    @property
    def api_version(self) -> str: ...
    @property
    def livemode(self) -> bool | None: ...
    @property
    def error(self) -> str | None: ...


class HealthCheckClient(Protocol):
    """Anything with `async health_check()`, such as `StripeClient`."""

    async def health_check(self) -> HealthReport: ...


class _ClientDisconnected(Exception):
    pass


class _BodyTimeout(Exception):
    pass


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    return bool(length and length.strip() not in ("", "0")) or bool(
        _header(scope, b"transfer-encoding")
    )


def _route_path(scope: Scope) -> str:
    # Servers and routers disagree on whether `path` includes `root_path`; accept both.
    path: str = scope.get("path", "/")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return path or "/"


async def _respond(
    send: Send, status: int, body: dict[str, Any], headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    content = json.dumps(body).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode("ascii")),
                (b"cache-control", b"no-store"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})


class WebhookApp:
    """The ASGI app built by `create_app`."""

    def __init__(
        self,
        router: WebhookRouter,
        *,
        client: HealthCheckClient | None = None,
        webhook_path: str = "/webhooks/stripe",
        health_path: str = "/health/integrations/stripe",
        max_body_bytes: int = 1_048_576,
        health_cache_seconds: float = DEFAULT_HEALTH_CACHE_SECONDS,
        close_client: bool = False,
        body_timeout: float = DEFAULT_BODY_TIMEOUT,
        max_concurrent_deliveries: int = DEFAULT_MAX_CONCURRENT_DELIVERIES,
    ) -> None:
        if isinstance(max_body_bytes, bool) or not isinstance(max_body_bytes, int):
            raise TypeError("max_body_bytes must be an int")
        if max_body_bytes < 1:
            raise InvalidArgumentError("max_body_bytes must be positive")
        if isinstance(body_timeout, bool) or not isinstance(body_timeout, (int, float)):
            raise TypeError("body_timeout must be a number of seconds")
        if not body_timeout > 0:
            raise InvalidArgumentError("body_timeout must be a positive number of seconds")
        if isinstance(max_concurrent_deliveries, bool) or not isinstance(
            max_concurrent_deliveries, int
        ):
            raise TypeError("max_concurrent_deliveries must be an int")
        if max_concurrent_deliveries < 1:
            raise InvalidArgumentError("max_concurrent_deliveries must be positive")
        for name, value in (("webhook_path", webhook_path), ("health_path", health_path)):
            if not value.startswith("/"):
                raise InvalidArgumentError(f"{name} must start with '/'")
        self.router = router
        self.client = client
        self.webhook_path = webhook_path
        self.health_path = health_path
        self.max_body_bytes = max_body_bytes
        self.health_cache_seconds = health_cache_seconds
        self.close_client = close_client
        self.body_timeout = float(body_timeout)
        self._health_cache: tuple[float, int, dict[str, Any]] | None = None
        self._health_lock: anyio.Lock | None = None
        self.max_concurrent_deliveries = max_concurrent_deliveries
        self._deliveries = 0
        self._busy_refused = 0
        self._busy_logged_at = -_BUSY_LOG_INTERVAL

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1000})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                aclose = getattr(self.client, "aclose", None)
                if self.close_client and aclose is not None:
                    await aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = _route_path(scope)
        method = scope.get("method", "GET")
        # A reply sent before the body is read closes the connection: bytes of an
        # unread body must never be taken for the next request.
        unread = _CLOSE if _has_body(scope) else ()
        if path == self.webhook_path:
            if method != "POST":
                allow = ((b"allow", b"POST"), *unread)
                await _respond(send, 405, {"error": "method not allowed"}, allow)
                return
            try:
                await self._webhook(scope, receive, send)
            except _ClientDisconnected:
                return
        elif path == self.health_path:
            if method != "GET":
                allow = ((b"allow", b"GET"), *unread)
                await _respond(send, 405, {"error": "method not allowed"}, allow)
                return
            if self.client is None:
                # A probe must learn that nothing is being checked, not that all is well.
                body: dict[str, Any] = {"status": "down", "error": "no Stripe client configured"}
                await _respond(send, 503, body, unread)
                return
            status, body = await self._health()
            await _respond(send, status, body, unread)
        else:
            await _respond(send, 404, {"error": "not found"}, unread)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it exceeds the limit (nothing more is read).

        Raises _BodyTimeout when the body is not complete within `body_timeout`.
        """
        declared = _header(scope, b"content-length")
        # An honest Content-Length over the limit is refused before reading a byte.
        if declared and declared.strip().isdigit() and int(declared) > self.max_body_bytes:
            return None
        with anyio.move_on_after(self.body_timeout):
            return await self._receive_body(receive)
        raise _BodyTimeout

    async def _receive_body(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientDisconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _webhook(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = await self._read_body(scope, receive)
        except _BodyTimeout:
            logger.warning("stripe webhook body not received within %ss", self.body_timeout)
            body_error = {"error": f"request body not received within {self.body_timeout}s"}
            await _respond(send, 408, body_error, _CLOSE)
            return
        if body is None:
            too_large = {"error": f"body larger than {self.max_body_bytes} bytes"}
            await _respond(send, 413, too_large, _CLOSE)
            return
        if self._deliveries >= self.max_concurrent_deliveries:
            await self._refuse_busy(send)
            return
        # Health is not counted: a probe must answer even while deliveries are refused.
        self._deliveries += 1
        try:
            await self._deliver(scope, body, send)
        finally:
            self._deliveries -= 1

    async def _refuse_busy(self, send: Send) -> None:
        self._busy_refused += 1
        now = time.monotonic()
        # Once per interval: a burst must not also flood the log.
        if now - self._busy_logged_at >= _BUSY_LOG_INTERVAL:
            self._busy_logged_at = now
            logger.warning(
                "%d stripe webhook(s) answered 503: %d deliveries already in progress",
                self._busy_refused,
                self.max_concurrent_deliveries,
            )
            self._busy_refused = 0
        await _respond(send, 503, {"error": "receiver busy"}, _RETRY_LATER)

    async def _deliver(self, scope: Scope, body: bytes, send: Send) -> None:
        header = _header(scope, b"stripe-signature") or ""
        try:
            event = self.router.construct_any(body, header)
        except StripeError as exc:
            # Bad signature, bad JSON or a refused API version: handlers never run.
            logger.warning("rejected stripe webhook: %s", exc.message)
            await _respond(send, 400, {"error": exc.message})
            return
        try:
            result = await self.router.handle(event)
        except EventInProgressError:
            # Another worker holds the event: its outcome is unknown, so no 200 yet.
            logger.info("stripe event %s (%s) is in progress elsewhere", event.id, event.type)
            await _respond(send, 409, {"error": "event in progress"}, _RETRY_LATER)
            return
        except EventStoreError as exc:
            logger.error("stripe event %s (%s) not handled: %s", event.id, event.type, exc.message)
            await _respond(send, 503, {"error": "event store unavailable"}, _RETRY_LATER)
            return
        except (HandlerTimeoutError, ClaimLostError) as exc:
            # The handlers were stopped; Stripe's retry runs them afresh.
            logger.error("stripe event %s (%s) not handled: %s", event.id, event.type, exc.message)
            reason = "handler timed out" if isinstance(exc, HandlerTimeoutError) else "claim lost"
            await _respond(send, 500, {"error": reason})
            return
        except Exception:
            # 500 makes Stripe retry; the details stay in the log, not the reply.
            logger.exception("handler failed for stripe event %s (%s)", event.id, event.type)
            await _respond(send, 500, {"error": "handler failed"})
            return
        if result.duplicate:
            logger.info("stripe event %s (%s) already handled", event.id, event.type)
        else:
            logger.info(
                "stripe event %s (%s) handled by %d handler(s)",
                event.id,
                event.type,
                result.handlers_run,
            )
        await _respond(send, 200, {"received": True})

    async def _health(self) -> tuple[int, dict[str, Any]]:
        """The health reply, from a cache so that probes do not hammer Stripe."""
        if self._health_lock is None:
            self._health_lock = anyio.Lock()
        async with self._health_lock:
            now = time.monotonic()
            cached = self._health_cache
            if cached is not None and cached[0] > now:
                return cached[1], cached[2]
            status, body = await self._probe()
            self._health_cache = (time.monotonic() + self.health_cache_seconds, status, body)
            return status, body

    async def _probe(self) -> tuple[int, dict[str, Any]]:
        assert self.client is not None
        try:
            report = await self.client.health_check()
        except Exception as exc:  # a third-party client may raise; report, do not crash
            return 503, {"status": "down", "error": redact(f"{type(exc).__name__}: {exc}")}
        if report.status == "ok":
            return 200, {
                "status": "ok",
                "latency_ms": report.latency_ms,
                "api_version": report.api_version,
                "livemode": report.livemode,
            }
        return 503, {
            "status": "down",
            "error": redact(report.error or "unavailable"),
            "latency_ms": report.latency_ms,
            "api_version": report.api_version,
        }


def create_app(
    router: WebhookRouter,
    *,
    client: HealthCheckClient | None = None,
    webhook_path: str = "/webhooks/stripe",
    health_path: str = "/health/integrations/stripe",
    max_body_bytes: int = 1_048_576,
    health_cache_seconds: float = DEFAULT_HEALTH_CACHE_SECONDS,
    close_client: bool = False,
    body_timeout: float = DEFAULT_BODY_TIMEOUT,
    max_concurrent_deliveries: int = DEFAULT_MAX_CONCURRENT_DELIVERIES,
) -> WebhookApp:
    """A plain ASGI app: POST `webhook_path` dispatches to `router`; GET `health_path`
    reports `client.health_check()` (cached `health_cache_seconds`); without a client it
    answers 503 "no Stripe client configured".

    Replies: 200 `{"received": true}`; 400 bad signature or body (handlers not run);
    408 body not complete within `body_timeout` seconds; 413 body over
    `max_body_bytes` (checked while reading); 409 another delivery of the event is
    being handled (by another worker), 503 the event store is unavailable or
    `max_concurrent_deliveries` are already being handled (health is never
    refused), 500 a handler raised, overran the router's `handler_timeout` or lost
    its claim: Stripe retries all of these. 405 wrong method; 404 other paths.
    `close_client=True` closes the client on lifespan shutdown.
    """
    return WebhookApp(
        router,
        client=client,
        webhook_path=webhook_path,
        health_path=health_path,
        max_body_bytes=max_body_bytes,
        health_cache_seconds=health_cache_seconds,
        close_client=close_client,
        body_timeout=body_timeout,
        max_concurrent_deliveries=max_concurrent_deliveries,
    )
