"""OpenTelemetry: one CLIENT span per attempt (extra `otel`, imported only when used).

Attributes follow OpenTelemetry's HTTP client semantic conventions, plus the
Stripe request id, idempotency key and API version. The URL is sent without its
query (it may hold parameters) and no header or body is recorded.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from ._redact import redact
from ._version import __version__
from .hooks import path_template

__all__ = ["Tracing"]


class Tracing:
    """Starts and ends the span of each attempt, parented on the caller's current span."""

    def __init__(self, tracer_provider: Any = None) -> None:
        self.tracer = trace.get_tracer("stripe_async", __version__, tracer_provider=tracer_provider)

    def start(
        self,
        method: str,
        url: str,
        path: str,
        attempt: int,
        *,
        idempotency_key: str | None,
        stripe_version: str,
        stripe_account: str | None,
    ) -> Any:
        parts = urlsplit(url)
        template = path_template(path)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        attributes: dict[str, Any] = {
            "http.request.method": method,
            "url.full": redact(f"{parts.scheme}://{parts.netloc}{parts.path}"),
            "url.template": template,
            "server.address": parts.hostname or "",
            "server.port": port,
            "stripe.api_version": stripe_version,
        }
        if attempt > 1:
            attributes["http.request.resend_count"] = attempt - 1
        if idempotency_key is not None:
            attributes["stripe.idempotency_key"] = redact(idempotency_key)
        if stripe_account is not None:
            attributes["stripe.account"] = stripe_account
        return self.tracer.start_span(
            f"{method} {template}", kind=SpanKind.CLIENT, attributes=attributes
        )

    @staticmethod
    def end(span: Any, status: int | None, request_id: str | None, error: str | None) -> None:
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        if request_id is not None:
            span.set_attribute("stripe.request_id", request_id)
        if error is not None or (status is not None and status >= 400):
            span.set_attribute("error.type", str(status) if status is not None else error or "")
            span.set_status(Status(StatusCode.ERROR))
        span.end()
