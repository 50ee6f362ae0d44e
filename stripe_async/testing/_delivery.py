"""Webhook delivery: signed POSTs to loopback URLs, in-process ASGI apps, or hosts the
operator named; nowhere else."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import httpx

from ..webhooks.signature import generate_test_header
from ._loopback import is_loopback_host

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
    #: 1 for the first delivery, 2... for retries, 0 for a resend asked for.
    attempt: int = 1
    #: When it was made, in emulated time (the clock of the event's objects).
    at: int | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def is_loopback(url: str) -> bool:
    """True for http(s) URLs on this machine (127.0.0.0/8, ::1, localhost)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    return is_loopback_host(parts.hostname)


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe would send for this payload."""
    return generate_test_header(
        payload, secret, int(time.time()) if timestamp is None else timestamp
    )


_SECRET = re.compile(r"whsec_[!-~]+")
SECRET_ENV = "STRIPE_WEBHOOK_SECRET"  # noqa: S105  # a variable name, not a secret


def chosen_secret(secret: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The signing secret every endpoint uses: `secret`, else `STRIPE_WEBHOOK_SECRET`
    (its first entry, when it lists several for rotation), else None (one per endpoint).

    Raises ValueError for a value that is not a `whsec_...` secret, so a typo fails
    at startup rather than as a 400 on every delivery.
    """
    source = "webhook_secret"
    if secret is None:
        environ = os.environ if env is None else env
        listed = [s.strip() for s in environ.get(SECRET_ENV, "").split(",") if s.strip()]
        if not listed:
            return None
        secret, source = listed[0], SECRET_ENV
    if not _SECRET.fullmatch(secret):
        raise ValueError(
            f"{source} must be a webhook signing secret: 'whsec_' followed by printable "
            "characters and no spaces (e.g. whsec_test_emulator)"
        )
    return secret


def encode_event(event: dict[str, Any]) -> bytes:
    return json.dumps(event, indent=2).encode("utf-8")


class Dispatcher:
    """Sends signed event payloads; keeps the registry of in-process ASGI receivers."""

    def __init__(self, timeout: float, hosts: Iterable[str] = ()) -> None:
        self.timeout = timeout
        self.asgi_apps: dict[str, ASGIApp] = {}
        #: Host names besides loopback that deliveries may reach (named by the operator).
        self.hosts = frozenset(h.lower().rstrip(".") for h in hosts)

    def refusal(self, url: str) -> str | None:
        """Why a delivery to `url` would be refused, or None when it would be sent."""
        if url in self.asgi_apps or is_loopback(url):
            return None
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and (parts.hostname or "") in self.hosts:
            return None
        return (
            "the emulator only delivers to loopback URLs (127.0.0.1, ::1, "
            "localhost), to ASGI apps registered with register_asgi_endpoint(), or to "
            "hosts named in webhook_hosts (--allow-webhook-host)"
        )

    async def post(self, url: str, payload: bytes, signature: str) -> tuple[int | None, str | None]:
        """POST one payload; (status, None) on a reply, (None, reason) when not delivered."""
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": signature,
            "User-Agent": USER_AGENT,
        }
        refused = self.refusal(url)
        if refused is not None:
            return None, f"refused: {refused}"
        app = self.asgi_apps.get(url)
        if app is not None:
            transport: httpx.AsyncBaseTransport = httpx.ASGITransport(
                app=cast(Any, app), raise_app_exceptions=False
            )
        else:
            transport = httpx.AsyncHTTPTransport()
        async with httpx.AsyncClient(
            transport=transport, timeout=self.timeout, trust_env=False, follow_redirects=False
        ) as client:
            try:
                response = await client.post(url, content=payload, headers=headers)
            except httpx.HTTPError as exc:
                return None, f"{type(exc).__name__}: {exc}"
        return response.status_code, None
