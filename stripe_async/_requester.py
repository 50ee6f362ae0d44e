"""The one request loop: every call to Stripe goes through `Requester.request`.

Headers, idempotency, card-data checks, throttling, retries, logging and error
mapping all live here, so services stay a few lines each.
"""

from __future__ import annotations

import logging
import platform
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar
from urllib.parse import quote, urlsplit

import anyio
import httpx
import pydantic

from . import _retry
from ._encoding import encode_pairs, form_from_pairs, multipart_parts, render_multipart
from ._http.body import ACCEPT_ENCODING, Outgoing
from ._http.failures import classify
from ._http.ownership import HttpPool
from ._options import (
    DEFAULT_BASE_ADDRESSES,
    client_user_agent,
    idempotency_key_from_headers,
    is_v2_path,
    merge_caller_headers,
    user_agent,
    v2_json_body,
    validate_headers,
    validate_stripe_context,
)
from ._pci import check_request
from ._ratelimit import Limiter
from ._redact import Hidden, excerpt, redact, redact_value, reveal
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
from .hooks import RequestEvent, RequestHook, ResponseEvent, ResponseHook, call_hook

if TYPE_CHECKING:
    from ._otel import Tracing

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
        "headers",
    }
)
MAX_IDEMPOTENCY_KEY_LENGTH = 255

API_BASE_URL = DEFAULT_BASE_ADDRESSES["api"]
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
    #: Hosts set for files, connect or meter_events (the api host is `base_url`).
    base_addresses: Mapping[str, str] = field(default_factory=dict)
    stripe_context: str | None = None
    app_info: Mapping[str, str | None] | None = None
    client_id: str | None = None
    on_request: RequestHook | None = None
    on_response: ResponseHook | None = None
    tracing: Tracing | None = None


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
        self._client_ua = client_user_agent(__version__, "httpx", config.app_info)
        self._ua_for: tuple[str | None, str] = (None, user_agent(USER_AGENT, config.app_info, None))

    def _user_agent(self) -> str:
        # A User-Agent set on the caller's own http_client goes first, then ours.
        prefix = self.pool.caller_user_agent()
        cached_prefix, text = self._ua_for
        if prefix != cached_prefix:
            text = user_agent(USER_AGENT, self.config.app_info, prefix)
            self._ua_for = (prefix, text)
        return text

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
        self, method: str, options: Mapping[str, Any], idem_key: str | None, content_type: str
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
            "User-Agent": self._user_agent(),
            "X-Stripe-Client-User-Agent": self._client_ua,
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        account = self.config.stripe_account
        if options.get("stripe_account") is not None:
            account = validate_header_value(options["stripe_account"], "stripe_account")
        if account:
            headers["Stripe-Account"] = account
        context = self.config.stripe_context
        if "stripe_context" in options:
            context = validate_stripe_context(options["stripe_context"])
        if context:
            headers["Stripe-Context"] = context
        if method == "POST":
            headers["Content-Type"] = content_type
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
        or transport failure is raised as a StripeError subclass. `base` picks the
        host (`"api"`, `"files"`, `"connect"`, `"meter_events"`); `multipart=True`
        sends a POST body as multipart/form-data (file uploads). A `/v2/` path
        sends its POST body as JSON and maps errors with v2's error types.
        """
        method = method.upper()
        hide_call_key(params)
        body_params, options = split_options(params or {})
        v2 = is_v2_path(path)
        caller_headers, given_key = idempotency_key_from_headers(
            validate_headers(options.get("headers")), options.get("idempotency_key")
        )
        idem_key: str | None = None
        if method == "POST" or (v2 and method == "DELETE"):
            idem_key = (
                str(uuid.uuid4()) if given_key is None else validate_idempotency_key(given_key)
            )
        elif given_key is not None:
            raise InvalidArgumentError(
                "idempotency_key applies to POST requests (and v2 DELETE requests) only"
            )
        timeout = options.get("timeout")
        timeout = self.config.timeout if timeout is None else validate_timeout(timeout)
        max_retries = options.get("max_retries")
        max_retries = (
            self.config.max_retries if max_retries is None else validate_max_retries(max_retries)
        )
        url = self.base_url(base) + path
        body = encode_body(method, body_params, v2=v2, multipart=multipart)
        headers = self._headers(method, options, idem_key, body.content_type)
        merge_caller_headers(headers, caller_headers)
        if not self.config.allow_raw_card_data:
            chosen = _chosen_headers(headers, caller_headers, generated_key=given_key is None)
            check_request(body.pairs, path, chosen)
        if body.query:
            url = f"{url}?{body.query}"
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s params=%s", method, path, redact_value(body_params))

        config = self.config
        max_bytes = config.max_response_bytes
        pool = self.pool
        observed = (
            config.on_request is not None
            or config.on_response is not None
            or config.tracing is not None
        )
        # Built here on a client's first request, so that the one-time setup (TLS
        # context, pool) is not charged to the attempt's deadline.
        if not pool.is_closed:
            pool.client()
        attempt = 0
        while True:
            span: Any = None
            if observed:
                span = await self._attempt_starts(
                    method, path, base, url, attempt, idem_key, headers
                )
            started = self.clock()
            sending = False
            status: int | None = None
            request_id: str | None = None
            error: StripeError | None = None
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
                        Outgoing(method, url, body.content, headers, timeout, max_bytes)
                    )
            except BaseException as exc:
                failure = (
                    classify(
                        exc,
                        sending=sending,
                        timeout=timeout,
                        loop_bound=pool.loop_bound,
                        idempotency_key=idem_key,
                    )
                    if isinstance(exc, Exception)
                    else None
                )
                if failure is None:
                    if observed and isinstance(exc, StripeError):  # a closed client, ...
                        await self._attempt_ends(
                            span,
                            method,
                            path,
                            base,
                            attempt,
                            idem_key,
                            headers,
                            None,
                            None,
                            started,
                            exc,
                            False,
                        )
                    elif span is not None:  # cancelled (or a bug): no hook may run now
                        _end_span(config, span, None, None, type(exc).__name__)
                    raise
                status = failure.status
                self._log(method, path, status, None, attempt, started)
                error = failure.error
                retry_headers: httpx.Headers | None = None
                retry = failure.retryable and _retry.should_retry(
                    attempt=attempt, max_retries=max_retries, connection_error=True
                )
            else:
                status = response.status_code
                request_id = response.headers.get("request-id")
                self._log(method, path, status, request_id, attempt, started)
                retry_headers = response.headers
                retry = False
                if not 200 <= status < 300:
                    retry = _retry.should_retry(
                        attempt=attempt,
                        max_retries=max_retries,
                        status=status,
                        headers=retry_headers,
                    )
                    if not retry or observed:  # hooks name the error of a retried reply too
                        error = map_error(
                            status,
                            response.content,
                            dict(retry_headers),
                            idempotency_key=idem_key,
                            v2=v2,
                        )
            if observed:
                await self._attempt_ends(
                    span,
                    method,
                    path,
                    base,
                    attempt,
                    idem_key,
                    headers,
                    status,
                    request_id,
                    started,
                    error,
                    retry,
                )
            if error is None and not retry:
                return response.content, StripeResponse(
                    http_status=status or 0,
                    headers=dict(response.headers),
                    request_id=request_id,
                    idempotency_key=idem_key,
                )
            if not retry:
                assert error is not None
                raise error from None
            await self.sleep(_retry.retry_delay(attempt, retry_headers, rand=self.rand))
            attempt += 1

    async def _attempt_starts(
        self,
        method: str,
        path: str,
        base: str,
        url: str,
        attempt: int,
        idem_key: str | None,
        headers: Mapping[str, str],
    ) -> Any:
        config = self.config
        account = headers.get("Stripe-Account")
        if config.on_request is not None:
            await call_hook(
                config.on_request,
                RequestEvent(method, redact(path), base, attempt + 1, idem_key, account),
            )
        if config.tracing is None:
            return None
        return config.tracing.start(
            method,
            url,
            path,
            attempt + 1,
            idempotency_key=idem_key,
            stripe_version=headers.get("Stripe-Version", config.stripe_version),
            stripe_account=account,
        )

    async def _attempt_ends(
        self,
        span: Any,
        method: str,
        path: str,
        base: str,
        attempt: int,
        idem_key: str | None,
        headers: Mapping[str, str],
        status: int | None,
        request_id: str | None,
        started: float,
        error: StripeError | None,
        retry: bool,
    ) -> None:
        config = self.config
        error_type = type(error).__name__ if error is not None else None
        if span is not None:
            _end_span(config, span, status, request_id, error_type)
        if config.on_response is not None:
            await call_hook(
                config.on_response,
                ResponseEvent(
                    method,
                    redact(path),
                    base,
                    attempt + 1,
                    idem_key,
                    headers.get("Stripe-Account"),
                    status,
                    request_id,
                    max(self.clock() - started, 0.0),
                    error_type,
                    retry,
                ),
            )

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

    def base_url(self, base: str) -> str:
        """The host of `base`: its override, else Stripe's when the api host is Stripe's.

        With another api host (the emulator, stripe-mock, a proxy of yours) every
        kind of request goes there unless its own host is set.
        """
        if base == "api":
            return self.config.base_url
        url = self.config.base_addresses.get(base)
        if url is not None:
            return url
        if base not in DEFAULT_BASE_ADDRESSES:
            raise InvalidArgumentError(
                f"base must be one of api, files, connect, meter_events, not {base!r}"
            )
        if self.config.base_url == API_BASE_URL:
            return DEFAULT_BASE_ADDRESSES[base]
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
    {
        "Authorization",
        "Content-Type",
        "User-Agent",
        "X-Stripe-Client-User-Agent",
        "Accept",
        "Accept-Encoding",
    }
)


def _chosen_headers(
    headers: Mapping[str, str], caller: Mapping[str, str], *, generated_key: bool
) -> list[tuple[str, str]]:
    """The headers whose values came from the caller or the client's settings."""
    chosen = [
        (name, value)
        for name, value in headers.items()
        if name not in _OUR_HEADERS or name in caller
    ]
    if generated_key:
        # A generated UUID4 key is ours (and a UUID is never refused anyway).
        chosen = [(name, value) for name, value in chosen if name != "Idempotency-Key"]
    return chosen


class Body(NamedTuple):
    """A request's encoded parameters: the pairs checked for card data, then what is sent."""

    pairs: list[tuple[str, str]]
    content: bytes | None
    content_type: str
    query: str


FORM = "application/x-www-form-urlencoded"


def encode_body(
    method: str, params: Mapping[str, Any], *, v2: bool = False, multipart: bool = False
) -> Body:
    """Encode Stripe params for `method`: a POST body (form, multipart, or v2's JSON), else
    a query string (form-encoded on v1 and v2 alike).

    Encoded once: the card-data guard reads the very strings that are sent.
    """
    if method == "POST" and multipart:
        parts = multipart_parts(params)
        boundary = uuid.uuid4().hex
        return Body(
            [(name, text) for name, text, _ in parts],
            render_multipart(parts, boundary),
            f"multipart/form-data; boundary={boundary}",
            "",
        )
    pairs = list(encode_pairs(params)) if params else []
    if method == "POST" and v2:
        return Body(pairs, v2_json_body(params), "application/json", "")
    if method == "POST":
        return Body(pairs, form_from_pairs(pairs).encode("ascii"), FORM, "")
    return Body(pairs, None, FORM, form_from_pairs(pairs) if pairs else "")


def _end_span(
    config: RequestConfig,
    span: Any,
    status: int | None,
    request_id: str | None,
    error_type: str | None,
) -> None:
    if config.tracing is not None:
        config.tracing.end(span, status, request_id, error_type)


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
