"""What counts as this machine: loopback names and addresses, in Host headers and origins."""

from __future__ import annotations

import ipaddress
import re

# A Host header or an origin's authority: a name or IPv4 address, or a bracketed IPv6
# address, then an optional port. Anything else (user info, spaces, paths) is refused
# rather than guessed at.
_AUTHORITY = re.compile(
    r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::(?P<port>[0-9]{1,5}))?$"
)
_ORIGIN = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]+)$")


def is_loopback_host(host: str) -> bool:
    """True for `localhost` and loopback addresses (127.0.0.0/8, ::1), brackets or not."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(authority: str) -> str | None:
    """The host of `name[:port]` or `[v6][:port]`, lower-cased; None when malformed."""
    match = _AUTHORITY.match(authority.strip())
    if match is None:
        return None
    port = match.group("port")
    if port is not None and int(port) > 65535:
        return None
    return (match.group("v6") or match.group("name")).lower().rstrip(".")


def normalise_origin(origin: str) -> str | None:
    """`scheme://host[:port]` lower-cased without a trailing slash; None when not an origin."""
    origin = origin.strip().rstrip("/").lower()
    match = _ORIGIN.match(origin)
    if match is None or host_name(match.group("authority")) is None:
        return None
    return origin


def is_loopback_origin(origin: str) -> bool:
    """True for http(s) origins served from this machine (`http://localhost:3000`)."""
    match = _ORIGIN.match(origin.strip().lower())
    if match is None or match.group("scheme") not in ("http", "https"):
        return False
    host = host_name(match.group("authority"))
    return host is not None and is_loopback_host(host)
