"""The served emulator's front door: answer this machine only, unless told otherwise.

The emulator accepts any test key, so a web page must not be able to drive it: a page
on another site reaches it through DNS rebinding (a foreign name resolving to
127.0.0.1, seen here as a foreign `Host`) or a cross-origin fetch (a foreign `Origin`,
or `Sec-Fetch-Site: cross-site` where no `Origin` is sent). Both are refused, and CORS
headers go only to loopback origins and the ones the operator names.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from ._loopback import host_name, is_loopback_host, is_loopback_origin, normalise_origin

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_ALLOW_METHODS = "GET, POST, DELETE, OPTIONS"
_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, Stripe-Version, Stripe-Account"
_EXPOSE_HEADERS = (
    "Request-Id, Stripe-Version, Idempotency-Key, Idempotent-Replayed, Stripe-Emulator-Fidelity"
)


class LocalFront:
    """ASGI wrapper that lets only this machine (and named hosts and origins) through.

    - `Host` must be `localhost`, a loopback address, or one of `allowed_hosts`
      (names without the port); otherwise 400.
    - A request with an `Origin` that is neither loopback nor in `allowed_origins`,
      or without one but with `Sec-Fetch-Site: cross-site`, gets 403; so does its
      preflight. Allowed origins get their own origin back, never `*`.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        allowed_hosts: Iterable[str] = (),
        allowed_origins: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.allowed_hosts = frozenset(h.strip("[]").lower().rstrip(".") for h in allowed_hosts)
        origins = set()
        for origin in allowed_origins:
            normal = normalise_origin(origin)
            if normal is None:
                raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
            origins.add(normal)
        self.allowed_origins = frozenset(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self._refusal(headers)
        if refusal is not None:
            await _reply(send, *refusal)
            return
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        cors = [
            ("access-control-allow-origin", origin),
            ("vary", "Origin"),
        ]
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            cors += [
                ("access-control-allow-methods", _ALLOW_METHODS),
                ("access-control-allow-headers", _ALLOW_HEADERS),
                ("access-control-max-age", "300"),
            ]
            # Chrome asks before a public page reaches a private address; only an
            # origin the operator named explicitly gets that yes.
            if headers.get("access-control-request-private-network") == "true" and (
                normalise_origin(origin) in self.allowed_origins
            ):
                cors.append(("access-control-allow-private-network", "true"))
            await _reply(send, 204, b"", cors)
            return
        cors.append(("access-control-expose-headers", _EXPOSE_HEADERS))

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [
                    *message.get("headers", []),
                    *((k.encode("latin-1"), v.encode("latin-1")) for k, v in cors),
                ]
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _refusal(self, headers: dict[str, str]) -> tuple[int, bytes, list[tuple[str, str]]] | None:
        """(status, body, headers) of the refusal, or None when the request may pass."""
        host_header = headers.get("host", "")
        host = host_name(host_header)
        if host is None or not (is_loopback_host(host) or host in self.allowed_hosts):
            return _error(
                400,
                f"The Stripe emulator answers only requests addressed to this machine "
                f"(Host: localhost, 127.0.0.1 or [::1]), not Host: {host_header!r}. Start "
                "it with --allow-host NAME to answer another name.",
            )
        origin = headers.get("origin")
        if origin is not None:
            if is_loopback_origin(origin) or normalise_origin(origin) in self.allowed_origins:
                return None
            return _error(
                403,
                f"The Stripe emulator does not answer pages from {origin!r}: only pages "
                "served from this machine. Start it with --allow-origin ORIGIN to let "
                "that origin in.",
            )
        if headers.get("sec-fetch-site") == "cross-site":
            return _error(
                403,
                "The Stripe emulator does not answer cross-site requests from a browser "
                "(Sec-Fetch-Site: cross-site).",
            )
        return None


def _headers(scope: Scope) -> dict[str, str]:
    # Repeated headers are joined, as HTTP joins list headers: two Host headers then
    # never parse as one host, and two Origins never match one allowed origin.
    found: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        found[name] = f"{found[name]}, {value}" if name in found else value
    return found


def _error(status: int, message: str) -> tuple[int, bytes, list[tuple[str, str]]]:
    body = {"error": {"type": "invalid_request_error", "message": message}}
    return status, json.dumps(body, indent=2).encode(), [("content-type", "application/json")]


async def _reply(send: Send, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        }
    )
    await send({"type": "http.response.body", "body": body})
