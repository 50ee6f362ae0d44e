"""The one request loop: every call to Stripe goes through `Requester.request`.

Headers, idempotency, card-data checks, throttling, retries, logging and error
mapping all live here, so services stay a few lines each.
"""

from __future__ import annotations

import datetime
import decimal
import json
import logging
import platform
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import anyio
import httpx
import pydantic

from . import _retry
from ._encoding import encode_pairs, form_from_pairs, multipart_parts, render_multipart
from ._http.body import ACCEPT_ENCODING, Outgoing
from ._http.failures import classify
from ._http.ownership import HttpPool
from ._pci import check_request
from ._ratelimit import Limiter
from ._redact import Hidden, excerpt, redact_value, reveal
from ._response import StripeResponse
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    InvalidAPIKeyError,
    InvalidArgumentError,
    StripeError,
    map_error,
)

logger = logging.getLogger("stripe_async")

M = TypeVar("M", bound="pydantic.BaseModel")

#: Per-call options a service method accepts beside Stripe's own parameters.
OPTION_NAMES = frozenset(
    {
        "idempotency_key",
        "stripe_account",
        "stripe_context",
        "stripe_version",
        "timeout",
        "max_retries",
        "api_key",
    }
)
MAX_IDEMPOTENCY_KEY_LENGTH = 255

API_BASE_URL = "https://api.stripe.com"
#: Uploads and file downloads go to their own host on Stripe (and to `base_url` elsewhere).
BASE_URLS = {
    "files": "https://files.stripe.com",
    "connect": "https://connect.stripe.com",
    "meter_events": "https://meter-events.stripe.com",
}
#: The largest reply body (after decompression) a client reads: Stripe's replies are
#: far smaller, so anything past this is a broken or hostile peer, not Stripe.
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

USER_AGENT = (
    f"stripe-async/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
)


def validate_api_key(api_key: object) -> str:
    """Check a key's form without ever echoing it; the key comes back `Hidden`."""
    if api_key is None:
        raise InvalidAPIKeyError(
            "No API key provided: pass api_key=... or set the STRIPE_API_KEY environment "
            "variable (find your keys at https://dashboard.stripe.com/apikeys)."
        )
    if not isinstance(api_key, str):
        raise TypeError(f"api_key must be a str, not {type(api_key).__name__}")
    if not api_key:
        raise InvalidAPIKeyError("The API key is empty: set STRIPE_API_KEY or pass api_key=.")
    if api_key != api_key.strip() or any(c.isspace() for c in api_key):
        raise InvalidAPIKeyError(
            "The API key contains whitespace (often a trailing newline from a secrets file); "
            "strip it before passing it."
        )
    if not api_key.isascii() or not api_key.isprintable():
        raise InvalidAPIKeyError(
            "The API key contains characters no Stripe key has (non-ASCII or control "
            "characters); copy it again from the Dashboard."
        )
    return Hidden(api_key)


def validate_timeout(timeout: object) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be a number of seconds")
    if not timeout > 0:
        raise InvalidArgumentError("timeout must be a positive number of seconds")
    return float(timeout)


def validate_max_response_bytes(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise TypeError("max_response_bytes must be an int")
    if limit < 1:
        raise InvalidArgumentError("max_response_bytes must be a positive number of bytes")
    return limit


def validate_header_value(value: object, what: str) -> str:
    """A value bound for an HTTP header: printable ASCII, so never a CR/LF injection.

    Caught here rather than by the HTTP stack, which would report it as a network
    error, and the request loop would retry it.
    """
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise InvalidArgumentError(f"{what} must be a non-empty string")
    if not value.isascii() or not value.isprintable():
        raise InvalidArgumentError(
            f"{what} contains characters a header cannot carry (a line break or another "
            "control character, or non-ASCII text)"
        )
    return value


def validate_base_url(base_url: object) -> str:
    """An absolute http(s) URL with a host, without a trailing slash."""
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a str, not {type(base_url).__name__}")
    problem = None
    if not base_url.isascii() or not base_url.isprintable() or " " in base_url:
        problem = "it contains spaces, control or non-ASCII characters"
    else:
        try:
            parts = urlsplit(base_url)
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError as exc:
            problem = str(exc)
        else:
            if parts.scheme not in ("http", "https"):
                problem = "the scheme must be https:// (or http:// for a local server)"
            elif not parts.hostname:
                problem = "it has no host"
            elif parts.query or parts.fragment:
                problem = "it has a query or a fragment"
    if problem is not None:
        raise InvalidArgumentError(
            f"base_url {base_url!r} is not a usable URL: {problem} "
            "(expected something like 'https://api.stripe.com')"
        )
    return base_url.rstrip("/")


def validate_max_retries(max_retries: object) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise TypeError("max_retries must be an int")
    if max_retries < 0:
        raise InvalidArgumentError("max_retries must be zero or more")
    return max_retries


def validate_idempotency_key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError("idempotency_key must be a str")
    if not key.strip():
        raise InvalidArgumentError("idempotency_key must not be empty")
    if len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise InvalidArgumentError(
            f"idempotency_key must be at most {MAX_IDEMPOTENCY_KEY_LENGTH} characters"
        )
    return validate_header_value(key, "idempotency_key")


def is_v2(path: str) -> bool:
    """v2 paths take JSON bodies, and idempotency keys on DELETE as well as POST."""
    return path.startswith("/v2/")


def path_id(value: object, what: str = "id") -> str:
    """Validate and URL-escape an object id before it goes into a path.

    An empty id would turn `GET /v1/customers/{id}` into the list endpoint.
    """
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise InvalidArgumentError(f"{what} must be a non-empty string")
    return quote(value, safe="")


@dataclass(frozen=True)
class RequestConfig:
    """Settings of one client (or of a `with_options` copy)."""

    api_key: str = field(repr=False)
    base_url: str
    stripe_version: str
    stripe_account: str | None
    timeout: float
    max_retries: int
    allow_raw_card_data: bool
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES


def hide_call_key(params: Mapping[str, Any] | None) -> None:
    """Hide a per-call `api_key` in place, so no frame up the stack holds it in clear.

    The dict is the `**params` a service method collected (or the caller's own, for
    `request()`); the value stays equal to the key, only its repr changes.
    """
    if isinstance(params, dict):
        key = params.get("api_key")
        if isinstance(key, str) and not isinstance(key, Hidden):
            params["api_key"] = Hidden(key)


def split_options(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Separate per-call options (idempotency_key, timeout, ...) from Stripe params."""
    body: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for key, value in params.items():
        (options if key in OPTION_NAMES else body)[key] = value
    return body, options


class Requester:
    """Sends requests to Stripe with retries, throttling and error mapping."""

    def __init__(
        self,
        config: RequestConfig,
        pool: HttpPool | httpx.AsyncClient,
        limiter: Limiter | None,
        *,
        sleep: Callable[[float], Awaitable[Any]] = anyio.sleep,
        clock: Callable[[], float] = time.perf_counter,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.config = config
        self.pool = pool if isinstance(pool, HttpPool) else HttpPool.users(pool)
        self.limiter = limiter
        self.sleep = sleep
        self.clock = clock
        self.rand = rand

    def derive(self, **overrides: Any) -> Requester:
        """A copy with other settings sharing the same pool and limiter."""
        return Requester(
            replace(self.config, **overrides),
            self.pool,
            self.limiter,
            sleep=self.sleep,
            clock=self.clock,
            rand=self.rand,
        )

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The pooled AsyncClient (built now if no request has needed it yet)."""
        return self.pool.client()

    def _headers(
        self, method: str, options: Mapping[str, Any], idem_key: str | None
    ) -> dict[str, str]:
        api_key = options.get("api_key")
        api_key = self.config.api_key if api_key is None else validate_api_key(api_key)
        version = options.get("stripe_version")
        if version is None:
            version = self.config.stripe_version
        else:
            version = validate_header_value(version, "stripe_version")
        headers = {
            "Authorization": Hidden("Bearer " + reveal(api_key)),
            "Stripe-Version": version,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        account = self.config.stripe_account
        if options.get("stripe_account") is not None:
            account = validate_header_value(options["stripe_account"], "stripe_account")
        if account:
            headers["Stripe-Account"] = account
        if options.get("stripe_context") is not None:
            headers["Stripe-Context"] = validate_header_value(
                options["stripe_context"], "stripe_context"
            )
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if idem_key is not None:
            headers["Idempotency-Key"] = idem_key
        return headers

    async def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        base: str = "api",
        multipart: bool = False,
    ) -> tuple[bytes, StripeResponse]:
        """Send one logical call (with its retries); return the 2xx body and reply facts.

        `params` may mix Stripe parameters and per-call options; any non-2xx reply
        or transport failure is raised as a StripeError subclass. `base="files"`
        sends to Stripe's files host; `multipart=True` sends a POST body as
        multipart/form-data (file uploads).
        """
        method = method.upper()
        hide_call_key(params)
        body_params, options = split_options(params or {})
        idem_key: str | None = None
        v2 = is_v2(path)
        if method == "POST" or (v2 and method == "DELETE"):
            given = options.get("idempotency_key")
            idem_key = str(uuid.uuid4()) if given is None else validate_idempotency_key(given)
        elif options.get("idempotency_key") is not None:
            raise InvalidArgumentError("idempotency_key applies to POST (and v2 DELETE) requests")
        timeout = options.get("timeout")
        timeout = self.config.timeout if timeout is None else validate_timeout(timeout)
        max_retries = options.get("max_retries")
        max_retries = (
            self.config.max_retries if max_retries is None else validate_max_retries(max_retries)
        )
        headers = self._headers(method, options, idem_key)
        url = self._base_url(base) + path
        content: bytes | None = None
        # Encoded once: the card-data guard reads the very strings that are sent.
        if method == "POST" and multipart:
            parts = multipart_parts(body_params)
            pairs = [(name, text) for name, text, _ in parts]
        else:
            pairs = list(encode_pairs(body_params)) if body_params else []
        if not self.config.allow_raw_card_data:
            check_request(pairs, path, _chosen_headers(headers, options))
        if method == "POST" and multipart:
            boundary = uuid.uuid4().hex
            content = render_multipart(parts, boundary)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif method == "POST" and v2:
            content = json_body(body_params)
            headers["Content-Type"] = "application/json"
        elif method == "POST":
            content = form_from_pairs(pairs).encode("ascii")
        elif pairs:
            url = f"{url}?{form_from_pairs(pairs)}"
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s params=%s", method, path, redact_value(body_params))

        max_bytes = self.config.max_response_bytes
        pool = self.pool
        # Built here on a client's first request, so that the one-time setup (TLS
        # context, pool) is not charged to the attempt's deadline.
        if not pool.is_closed:
            pool.client()
        attempt = 0
        while True:
            started = self.clock()
            sending = False
            try:
                # One deadline for the whole attempt: the wait for the rate limiter,
                # connecting, sending, and reading the reply to its last byte.
                with anyio.fail_after(timeout):
                    if self.limiter is not None:
                        await self.limiter.acquire(method=method, path=path)
                    if pool.is_closed:
                        raise APIConnectionError(
                            "This client is closed (after `async with` or aclose()); "
                            "create a new one",
                            idempotency_key=idem_key,
                        )
                    sending = True
                    started = self.clock()
                    response = await pool.send(
                        Outgoing(method, url, content, headers, timeout, max_bytes)
                    )
            except Exception as exc:
                failure = classify(
                    exc,
                    sending=sending,
                    timeout=timeout,
                    loop_bound=pool.loop_bound,
                    idempotency_key=idem_key,
                )
                if failure is None:
                    raise
                self._log(method, path, failure.status, None, attempt, started)
                error: StripeError = failure.error
                retry_headers: httpx.Headers | None = None
                retry = failure.retryable and _retry.should_retry(
                    attempt=attempt, max_retries=max_retries, connection_error=True
                )
            else:
                status = response.status_code
                request_id = response.headers.get("request-id")
                self._log(method, path, status, request_id, attempt, started)
                if 200 <= status < 300:
                    return response.content, StripeResponse(
                        http_status=status,
                        headers=dict(response.headers),
                        request_id=request_id,
                        idempotency_key=idem_key,
                    )
                retry_headers = response.headers
                retry = _retry.should_retry(
                    attempt=attempt, max_retries=max_retries, status=status, headers=retry_headers
                )
                if not retry:
                    error = map_error(
                        status, response.content, dict(retry_headers), idempotency_key=idem_key
                    )
            if not retry:
                raise error from None
            await self.sleep(_retry.retry_delay(attempt, retry_headers, rand=self.rand))
            attempt += 1

    async def request_model(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        model: type[M],
        *,
        base: str = "api",
        multipart: bool = False,
    ) -> M:
        """Like `request`, parsing the 2xx body into `model` (with `last_response` set)."""
        content, meta = await self.request(method, path, params, base=base, multipart=multipart)
        return parse_model(model, content, meta)

    def _base_url(self, base: str) -> str:
        if base != "api" and self.config.base_url == API_BASE_URL:
            return BASE_URLS.get(base, API_BASE_URL)
        return self.config.base_url

    def _log(
        self,
        method: str,
        path: str,
        status: int | None,
        request_id: str | None,
        attempt: int,
        started: float,
    ) -> None:
        if logger.isEnabledFor(logging.INFO):
            elapsed_ms = (self.clock() - started) * 1000
            logger.info(
                "%s %s status=%s request_id=%s attempt=%d elapsed_ms=%.1f",
                method,
                path,
                status if status is not None else "error",
                request_id,
                attempt + 1,
                elapsed_ms,
            )


# Headers whose values we choose (the key, a generated boundary, constants): a card
# number cannot come from the caller there, and a random boundary must not be refused.
_OUR_HEADERS = frozenset(
    {"Authorization", "Content-Type", "User-Agent", "Accept", "Accept-Encoding"}
)


def _chosen_headers(
    headers: Mapping[str, str], options: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """The headers whose values came from the caller or the client's settings."""
    chosen = [(name, value) for name, value in headers.items() if name not in _OUR_HEADERS]
    if options.get("idempotency_key") is None:
        # A generated UUID4 key is ours (and a UUID is never refused anyway).
        chosen = [(name, value) for name, value in chosen if name != "Idempotency-Key"]
    return chosen


def json_body(params: Mapping[str, Any]) -> bytes:
    """A v2 body: the params as JSON. `None` stays `null`: in v2 it clears a field."""
    try:
        text = json.dumps(dict(params), default=_json_value, separators=(",", ":"))
    except (TypeError, ValueError) as exc:  # a value JSON cannot carry: the caller's to fix
        raise InvalidArgumentError(f"a v2 request body must be JSON: {exc}") from None
    return text.encode("utf-8")


def _json_value(value: Any) -> Any:
    """datetimes as RFC 3339 in UTC (a naive one is local time, as for v1's unix times);
    decimals as strings without an exponent, as v2 writes amounts."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal) and value.is_finite():
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON")


def parse_model(model: type[M], content: bytes, meta: StripeResponse) -> M:
    """Parse a 2xx body; anything that does not fit becomes an APIError, never a crash."""
    try:
        obj = model.model_validate_json(content)
    except pydantic.ValidationError as exc:
        raise APIError(
            f"Stripe replied HTTP {meta.http_status} with a body that is not a valid "
            f"{model.__name__} ({exc.error_count()} problem(s)): {excerpt(_text(content))}",
            http_status=meta.http_status,
            request_id=meta.request_id,
            idempotency_key=meta.idempotency_key,
            headers=meta.headers,
        ) from None
    if hasattr(obj, "_last_response"):
        obj._last_response = meta
    return obj


def _text(content: bytes) -> str:
    return content.decode("utf-8", "replace") if content else "<empty body>"
