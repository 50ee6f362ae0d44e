"""Client and per-call options that shape a request's headers, host and body.

Pure functions, stdlib only: base addresses, app_info and the User-Agent
headers, caller headers, `Stripe-Context`, and the v2 JSON body.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import json
import platform
import re
from collections.abc import Mapping
from typing import Any, Literal

from typing_extensions import NotRequired, TypedDict

from .errors import InvalidArgumentError

__all__ = [
    "DEFAULT_BASE_ADDRESSES",
    "AppInfo",
    "BaseAddress",
    "BaseAddresses",
    "client_user_agent",
    "format_app_info",
    "idempotency_key_from_headers",
    "is_v2_path",
    "merge_caller_headers",
    "user_agent",
    "v2_json_body",
    "validate_app_info",
    "validate_base_addresses",
    "validate_headers",
    "validate_stripe_context",
]

BaseAddress = Literal["api", "files", "connect", "meter_events"]

#: Stripe's host for each kind of request.
DEFAULT_BASE_ADDRESSES: dict[str, str] = {
    "api": "https://api.stripe.com",
    "files": "https://files.stripe.com",
    "connect": "https://connect.stripe.com",
    "meter_events": "https://meter-events.stripe.com",
}


class BaseAddresses(TypedDict, total=False):
    """Where each kind of request goes (any omitted one keeps its default)."""

    api: str
    """The API (`https://api.stripe.com`)."""
    files: str
    """File uploads and downloads (`https://files.stripe.com`)."""
    connect: str
    """Connect OAuth (`https://connect.stripe.com`)."""
    meter_events: str
    """The v2 high-throughput meter event stream (`https://meter-events.stripe.com`)."""


class AppInfo(TypedDict):
    """A plugin or platform built on this SDK, named to Stripe in every request."""

    name: str
    """The plugin's name, e.g. `"MyCartPlugin"`."""
    version: NotRequired[str | None]
    """Its version, e.g. `"1.2.0"`."""
    url: NotRequired[str | None]
    """Where to learn about it."""
    partner_id: NotRequired[str | None]
    """Your Stripe partner id (`pp_partner_...`), if you have one."""


_APP_INFO_KEYS = ("name", "partner_id", "url", "version")


def validate_base_addresses(addresses: object, validate_url: Any) -> dict[str, str]:
    """The overrides given, each checked with `validate_url`; unknown kinds are refused."""
    if addresses is None:
        return {}
    if not isinstance(addresses, Mapping):
        raise InvalidArgumentError(
            "base_addresses must be a mapping such as {'api': 'https://...'}"
        )
    unknown = sorted(set(addresses) - set(DEFAULT_BASE_ADDRESSES))
    if unknown:
        raise InvalidArgumentError(
            f"base_addresses has unknown kinds {unknown}: use "
            f"{', '.join(sorted(DEFAULT_BASE_ADDRESSES))}"
        )
    return {kind: validate_url(url) for kind, url in addresses.items() if url is not None}


def validate_app_info(info: object) -> dict[str, str | None] | None:
    """app_info with all four keys, as the official SDK keeps it (absent ones None)."""
    if info is None:
        return None
    if not isinstance(info, Mapping):
        raise InvalidArgumentError("app_info must be a dict such as {'name': 'MyPlugin'}")
    unknown = sorted(set(info) - set(_APP_INFO_KEYS))
    if unknown:
        raise InvalidArgumentError(
            f"app_info has unknown keys {unknown}: use name, version, url, partner_id"
        )
    result: dict[str, str | None] = {}
    for key in _APP_INFO_KEYS:
        value = info.get(key)
        if value is not None:
            if not isinstance(value, str) or not value.strip():
                raise InvalidArgumentError(f"app_info[{key!r}] must be a non-empty string")
            _header_safe(value, f"app_info[{key!r}]")
        elif key == "name":
            raise InvalidArgumentError("app_info needs a 'name'")
        result[key] = value
    return result


def format_app_info(info: Mapping[str, str | None]) -> str:
    """`name/version (url)`: how Stripe's SDKs name a plugin in the User-Agent."""
    text = str(info["name"])
    if info.get("version"):
        text += f"/{info['version']}"
    if info.get("url"):
        text += f" ({info['url']})"
    return text


def user_agent(base: str, app_info: Mapping[str, str | None] | None, prefix: str | None) -> str:
    """Our User-Agent: the caller's own first (from their http_client), then ours, then app."""
    text = base if app_info is None else f"{base} {format_app_info(app_info)}"
    return text if not prefix else f"{prefix} {text}"


def client_user_agent(version: str, httplib: str, app_info: Mapping[str, str | None] | None) -> str:
    """The `X-Stripe-Client-User-Agent` JSON Stripe reads (app_info as `application`)."""
    facts: dict[str, Any] = {
        "bindings_version": version,
        "lang": "python",
        "httplib": httplib,
        "lang_version": platform.python_version(),
    }
    if app_info is not None:
        facts["application"] = dict(app_info)
    return json.dumps(facts)


# RFC 9110 token characters: anything else cannot be a header name.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")

#: Headers only the SDK sets: a caller's value would break the framing of the request
#: or replace the key. Each maps to what to use instead.
_REFUSED = {
    "authorization": "pass api_key= instead",
    "content-length": "it is computed from the body",
    "transfer-encoding": "it is decided by the HTTP layer",
    "host": "choose the host with base_addresses=",
}


def _header_safe(value: str, what: str) -> str:
    if not value.isascii() or not value.isprintable():
        raise InvalidArgumentError(
            f"{what} contains characters a header cannot carry (a line break or another "
            "control character, or non-ASCII text)"
        )
    return value


def validate_headers(headers: object) -> dict[str, str]:
    """Caller headers, checked: token names, header-safe values, no SDK-only header."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise InvalidArgumentError("headers must be a mapping of header names to strings")
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN.match(name):
            raise InvalidArgumentError(f"headers: {name!r} is not a valid header name")
        reason = _REFUSED.get(name.lower())
        if reason is not None:
            raise InvalidArgumentError(f"headers may not set {name}: {reason}")
        if not isinstance(value, str):
            raise InvalidArgumentError(f"headers[{name!r}] must be a str")
        checked[name] = _header_safe(value, f"headers[{name!r}]")
    return checked


def idempotency_key_from_headers(
    headers: Mapping[str, str], given: str | None
) -> tuple[dict[str, str], str | None]:
    """Move an `Idempotency-Key` header to the `idempotency_key` option.

    The key then gets the same checks, stays the same across retries and shows on
    errors. Two different keys for one call are a mistake, so they are refused.
    """
    rest: dict[str, str] = {}
    key = given
    for name, value in headers.items():
        if name.lower() != "idempotency-key":
            rest[name] = value
        elif key is not None and key != value:
            raise InvalidArgumentError(
                "idempotency_key and headers['Idempotency-Key'] differ: give the key once"
            )
        else:
            key = value
    return rest, key


def merge_caller_headers(ours: dict[str, str], theirs: Mapping[str, str]) -> None:
    """Caller headers after ours, in place: theirs win, whatever the case of the name."""
    if not theirs:
        return
    lowered = {name.lower(): name for name in ours}
    for name, value in theirs.items():
        existing = lowered.get(name.lower())
        if existing is not None and existing != name:
            del ours[existing]
        ours[name] = value


def validate_stripe_context(value: object) -> str | None:
    """The `Stripe-Context` header: a str, or an object whose str() is it (a context).

    An empty context sends no header, as the official SDK does.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        if type(value).__str__ is object.__str__:
            raise InvalidArgumentError(
                "stripe_context must be a str such as 'acct_123' or 'acct_123/acct_456'"
            )
        value = str(value)
    if not value:
        return None
    return _header_safe(value, "stripe_context")


def is_v2_path(path: str) -> bool:
    """True for a path of Stripe's v2 API, which takes JSON bodies."""
    return path.startswith("/v2/")


def _json_default(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    # v2 writes times as RFC 3339 strings (a naive datetime is UTC, as v1's encoding
    # takes it) and decimal amounts as strings without an exponent.
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal) and value.is_finite():
        return format(value, "f")
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    object_id = getattr(value, "id", None)
    if isinstance(object_id, str):
        return object_id
    raise TypeError(f"{type(value).__name__} cannot be sent in a v2 JSON body")


def v2_json_body(params: Mapping[str, Any]) -> bytes:
    """The JSON body of a v2 POST: params as they are (`None` stays `null`: in v2 it
    clears a field), datetimes as RFC 3339 in UTC, decimals as plain strings.

    ```python
    content = v2_json_body({"event_name": "api_calls", "payload": {"value": "1"}})
    ```
    """
    try:
        return json.dumps(dict(params), default=_json_default, separators=(",", ":")).encode()
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(f"params cannot be sent as JSON: {exc}") from None
