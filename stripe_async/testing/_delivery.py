"""Webhook delivery: signed POSTs to loopback URLs or in-process ASGI apps, nowhere else."""

from __future__ import annotations

import ipaddress
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import httpx

from ..webhooks.signature import generate_test_header

ASGIApp = Callable[..., Awaitable[None]]

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


@dataclass(frozen=True)
class Delivery:
    """One attempt to deliver one event to one endpoint."""

    event_id: str
    event_type: str
    endpoint_id: str
    url: str
    status_code: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def is_loopback(url: str) -> bool:
    """True for http(s) URLs on this machine (127.0.0.0/8, ::1, localhost)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe would send for this payload."""
    return generate_test_header(
        payload, secret, int(time.time()) if timestamp is None else timestamp
    )


def encode_event(event: dict[str, Any]) -> bytes:
    return json.dumps(event, indent=2).encode("utf-8")


class Dispatcher:
    """Sends signed event payloads; keeps the registry of in-process ASGI receivers."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.asgi_apps: dict[str, ASGIApp] = {}

    async def post(self, url: str, payload: bytes, signature: str) -> tuple[int | None, str | None]:
        """POST one payload; (status, None) on a reply, (None, reason) when not delivered."""
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": signature,
            "User-Agent": USER_AGENT,
        }
        app = self.asgi_apps.get(url)
        if app is not None:
            transport: httpx.AsyncBaseTransport = httpx.ASGITransport(
                app=cast(Any, app), raise_app_exceptions=False
            )
        elif is_loopback(url):
            transport = httpx.AsyncHTTPTransport()
        else:
            return None, (
                "refused: the emulator only delivers to loopback URLs (127.0.0.1, ::1, "
                "localhost) or to ASGI apps registered with register_asgi_endpoint()"
            )
        async with httpx.AsyncClient(
            transport=transport, timeout=self.timeout, trust_env=False, follow_redirects=False
        ) as client:
            try:
                response = await client.post(url, content=payload, headers=headers)
            except httpx.HTTPError as exc:
                return None, f"{type(exc).__name__}: {exc}"
        return response.status_code, None
