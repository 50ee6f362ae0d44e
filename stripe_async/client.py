"""StripeClient: the entry point. Services hang off it as attributes."""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

import httpx
from typing_extensions import Self, Unpack

from . import API_VERSION
from ._base import BaseIntegrationClient, build_http_client
from ._http.body import Proxy
from ._options import (
    DEFAULT_BASE_ADDRESSES,
    AppInfo,
    BaseAddress,
    BaseAddresses,
    validate_app_info,
    validate_base_addresses,
    validate_stripe_context,
)
from ._ratelimit import KEY_AWARE, RateLimitSetting, limiter_for_setting
from ._requester import (
    DEFAULT_MAX_RESPONSE_BYTES,
    RequestConfig,
    Requester,
    validate_api_key,
    validate_base_url,
    validate_header_value,
    validate_max_response_bytes,
    validate_max_retries,
    validate_timeout,
)
from .errors import InvalidArgumentError
from .hooks import check_hook
from .resources._services import V1Services

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .hooks import RequestHook, ResponseHook
    from .models._base import StripeObject
    from .models.payment_intent import PaymentIntent
    from .oauth import OAuthService
    from .resources._params.payment_intents import PaymentIntentCreateOptions
    from .resources.v2 import V2Services
    from .testing import StripeEmulator
    from .webhooks.notification_types import AnyEventNotification
    from .webhooks.signature import Payload

M = TypeVar("M", bound="BaseModel")

#: Verbs `client.request` sends (what Stripe's v1 API uses).
REQUEST_METHODS = frozenset({"GET", "POST", "DELETE"})

DEFAULT_BASE_URL = DEFAULT_BASE_ADDRESSES["api"]
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2

EMULATOR_API_KEY = "sk_test_emulator"

_UNSET: Any = object()


class StripeClient(V1Services, BaseIntegrationClient):
    """An async client for the Stripe API.

    ```python
    async with StripeClient(api_key="sk_test_...") as stripe:
        pi = await stripe.payment_intents.create(amount=1000, currency="usd")
    ```

    `api_key=None` reads `STRIPE_API_KEY`. Pass `transport=` (any
    `httpx.AsyncBaseTransport`) to talk to the emulator or a test double.
    `timeout` bounds each attempt as a whole (waiting for the rate limiter,
    connecting, sending and reading the reply); a reply whose decoded body is
    larger than `max_response_bytes` (32 MiB) fails with `APIError`.

    `base_addresses` moves any host (`api`, `files`, `connect`, `meter_events`);
    `proxy` routes the client's own pool through an HTTP(S) proxy; `app_info`
    names your plugin to Stripe; `stripe_context` is sent as `Stripe-Context`;
    `client_id` (or `STRIPE_CLIENT_ID`) is the platform id `client.oauth` uses;
    `on_request` / `on_response` see every attempt (`stripe_async.hooks`);
    `tracing=True` (extra `otel`) makes an OpenTelemetry span per attempt, on
    `tracer_provider` when given, else on the global one.

    Every v1 service is an attribute named after the API's paths
    (`client.checkout.sessions`, `client.customers.tax_ids`, ...), created the
    first time it is touched. `client.request(...)` calls anything else.
    """

    emulator: StripeEmulator | None = None

    def __init__(
        self,
        api_key: str | None = None,
        *,
        stripe_version: str = API_VERSION,
        stripe_account: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limit: RateLimitSetting = KEY_AWARE,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_raw_card_data: bool = False,
        sleep: Callable[[float], Awaitable[Any]] | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        stripe_context: str | None = None,
        base_addresses: BaseAddresses | None = None,
        app_info: AppInfo | None = None,
        proxy: Proxy | None = None,
        client_id: str | None = None,
        on_request: RequestHook | None = None,
        on_response: ResponseHook | None = None,
        tracing: bool = False,
        tracer_provider: Any = None,
    ) -> None:
        key = validate_api_key(os.environ.get("STRIPE_API_KEY") if api_key is None else api_key)
        if not isinstance(stripe_version, str) or not stripe_version.strip():
            raise InvalidArgumentError("stripe_version must be a non-empty string")
        validate_header_value(stripe_version, "stripe_version")
        if stripe_account is not None:
            validate_header_value(stripe_account, "stripe_account")
        hosts = validate_base_addresses(base_addresses, validate_base_url)
        api_base = validate_base_url(base_url)
        if "api" in hosts:
            if base_url != DEFAULT_BASE_URL and hosts["api"] != api_base:
                raise InvalidArgumentError(
                    "base_url and base_addresses['api'] name different hosts: give one"
                )
            api_base = hosts.pop("api")
        if client_id is None:
            client_id = os.environ.get("STRIPE_CLIENT_ID") or None
        elif not isinstance(client_id, str) or not client_id.strip():
            raise InvalidArgumentError("client_id must be a non-empty string such as 'ca_...'")
        if proxy is not None and (http_client is not None or transport is not None):
            raise InvalidArgumentError(
                "proxy= applies to the pool the client builds: set the proxy on your own "
                "http_client (or transport) instead"
            )
        config = RequestConfig(
            api_key=key,
            base_url=api_base,
            stripe_version=stripe_version,
            stripe_account=stripe_account,
            timeout=validate_timeout(timeout),
            max_retries=validate_max_retries(max_retries),
            allow_raw_card_data=bool(allow_raw_card_data),
            max_response_bytes=validate_max_response_bytes(max_response_bytes),
            base_addresses=hosts,
            stripe_context=validate_stripe_context(stripe_context),
            app_info=validate_app_info(app_info),
            client_id=client_id,
            on_request=check_hook(on_request, "on_request"),
            on_response=check_hook(on_response, "on_response"),
            tracing=_tracing(tracing, tracer_provider),
        )
        limiter = limiter_for_setting(rate_limit, key)
        pool = build_http_client(http_client=http_client, transport=transport, proxy=proxy)
        requester = Requester(config, pool, limiter)
        if sleep is not None:
            requester.sleep = sleep
        # Copies made by with_options share the pool; only the original closes it.
        self._setup(requester, owns_http_client=pool.closes)

    def _setup(self, requester: Requester, *, owns_http_client: bool) -> None:
        self._requester = requester
        self._owns_http_client = owns_http_client
        self._closed = False

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """A client configured from STRIPE_API_KEY (and STRIPE_ACCOUNT, STRIPE_API_BASE)."""
        kwargs.setdefault("stripe_account", os.environ.get("STRIPE_ACCOUNT") or None)
        base = os.environ.get("STRIPE_API_BASE")
        if base:
            kwargs.setdefault("base_url", base)
        return cls(None, **kwargs)

    @classmethod
    def for_emulator(cls, emulator: StripeEmulator | None = None, **kwargs: Any) -> Self:
        """A client wired to an in-process `StripeEmulator` (a new one when omitted).

        No network and no account: ideal for examples and your own tests. The
        emulator is reachable afterwards as `client.emulator`. Requests go to the
        emulator's own base URL (`https://stripe-emulator.invalid`, a name that never
        resolves), so logs show at a glance that no call reached Stripe.
        """
        from .testing import StripeEmulator

        emulator = emulator if emulator is not None else StripeEmulator()
        kwargs.setdefault("api_key", EMULATOR_API_KEY)
        kwargs.setdefault("rate_limit", None)
        kwargs.setdefault("base_url", emulator.base_url)
        client = cls(transport=emulator.transport(), **kwargs)
        client.emulator = emulator
        return client

    def with_options(
        self,
        *,
        stripe_account: str | None = _UNSET,
        stripe_version: str = _UNSET,
        timeout: float = _UNSET,
        max_retries: int = _UNSET,
        api_key: str = _UNSET,
        stripe_context: str | None = _UNSET,
    ) -> Self:
        """A light copy with other settings that shares this client's pool and limiter."""
        overrides: dict[str, Any] = {}
        if stripe_context is not _UNSET:
            overrides["stripe_context"] = validate_stripe_context(stripe_context)
        if stripe_account is not _UNSET:
            if stripe_account is not None:
                validate_header_value(stripe_account, "stripe_account")
            overrides["stripe_account"] = stripe_account
        if stripe_version is not _UNSET:
            if not isinstance(stripe_version, str) or not stripe_version.strip():
                raise InvalidArgumentError("stripe_version must be a non-empty string")
            overrides["stripe_version"] = validate_header_value(stripe_version, "stripe_version")
        if timeout is not _UNSET:
            overrides["timeout"] = validate_timeout(timeout)
        if max_retries is not _UNSET:
            overrides["max_retries"] = validate_max_retries(max_retries)
        if api_key is not _UNSET:
            overrides["api_key"] = validate_api_key(api_key)
        copy = object.__new__(type(self))
        copy._setup(self._requester.derive(**overrides), owns_http_client=False)
        copy.emulator = self.emulator
        return copy

    @property
    def oauth(self) -> OAuthService:
        """Connect OAuth: `authorize_url(...)`, `await token(...)`, `await deauthorize(...)`."""
        from .oauth import OAuthService

        return OAuthService(self._requester)

    @property
    def v2(self) -> V2Services:
        """Stripe's v2 API (`client.v2.core.event_destinations`, ...), built on first use."""
        services: V2Services | None = self.__dict__.get("_v2")
        if services is None:
            from .resources.v2 import V2Services

            services = self.__dict__["_v2"] = V2Services(self._requester)
        return services

    def parse_event_notification(
        self,
        payload: Payload,
        sig_header: str | bytes,
        secret: str | Sequence[str],
        *,
        tolerance: float | None = 300,
    ) -> AnyEventNotification:
        """Verify and parse a thin event; its `fetch_*` methods then go through this client."""
        from .webhooks.notifications import parse_event_notification

        return parse_event_notification(
            payload, sig_header, secret, tolerance=tolerance, client=self
        )

    @property
    def api_version(self) -> str:
        return self._requester.config.stripe_version

    @property
    def livemode(self) -> bool:
        """True when the key is a live-mode key."""
        return "_live_" in self._requester.config.api_key

    async def create_payment_intent(
        self, amount: int, currency: str, **params: Unpack[PaymentIntentCreateOptions]
    ) -> PaymentIntent:
        """Create a PaymentIntent: `create_payment_intent(1000, "USD")` charges $10.00.

        `amount` is a positive int in the currency's smallest unit; the currency
        code is lower-cased as Stripe expects.
        """
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise InvalidArgumentError(
                "amount must be an int in the smallest currency unit (1000 = $10.00), "
                f"not {type(amount).__name__}"
            )
        if amount <= 0:
            raise InvalidArgumentError("amount must be a positive integer")
        if not isinstance(currency, str) or len(currency.strip()) != 3:
            raise InvalidArgumentError("currency must be a three-letter ISO code such as 'usd'")
        return await self.payment_intents.create(
            amount=amount, currency=currency.strip().lower(), **params
        )

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        model: None = None,
        idempotency_key: str | None = None,
        stripe_account: str | None = None,
        stripe_version: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        api_key: str | None = None,
        stripe_context: str | None = None,
        headers: Mapping[str, str] | None = None,
        base: BaseAddress = "api",
    ) -> StripeObject: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        model: type[M],
        idempotency_key: str | None = None,
        stripe_account: str | None = None,
        stripe_version: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        api_key: str | None = None,
        stripe_context: str | None = None,
        headers: Mapping[str, str] | None = None,
        base: BaseAddress = "api",
    ) -> M: ...

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        model: type[BaseModel] | None = None,
        idempotency_key: str | None = None,
        stripe_account: str | None = None,
        stripe_version: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        api_key: str | None = None,
        stripe_context: str | None = None,
        headers: Mapping[str, str] | None = None,
        base: BaseAddress = "api",
    ) -> Any:
        """Call an endpoint this release has no method for, through the same request loop.

        ```python
        obj = await stripe.request("post", "/v1/some/new_endpoint", params={"a": 1})
        ```

        Retries, idempotency keys, throttling, error mapping and redaction apply as
        for any method. The reply parses into `model` when given, else a
        `StripeObject` that keeps every field. `base` picks the host (`"api"`,
        `"files"`, `"connect"`, `"meter_events"`); a `/v2/` path sends its POST
        body as JSON (`params` as they are) and maps v2's errors.
        """
        verb = method.upper() if isinstance(method, str) else ""
        if verb not in REQUEST_METHODS:
            raise InvalidArgumentError(f"method must be one of get, post, delete, not {method!r}")
        if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
            # A full URL would send the API key to whatever host it names.
            raise InvalidArgumentError(
                f"path must start with '/', e.g. '/v1/customers', not {path!r}"
            )
        if params is not None and not isinstance(params, Mapping):
            raise InvalidArgumentError("params must be a mapping of Stripe parameters")
        merged: dict[str, Any] = dict(params or {})
        options = {
            "idempotency_key": idempotency_key,
            "stripe_account": stripe_account,
            "stripe_version": stripe_version,
            "timeout": timeout,
            "max_retries": max_retries,
            "api_key": api_key,
            "stripe_context": stripe_context,
            "headers": headers,
        }
        merged.update({key: value for key, value in options.items() if value is not None})
        if model is None:
            from .models._base import StripeObject

            model = StripeObject
        return await self._requester.request_model(verb, path, merged, model, base=base)

    async def _health_probe(self, timeout: float) -> dict[str, Any]:
        # Only reachability and auth matter here, so the reply is not parsed into a
        # Balance: a probe must not report "down" because a field changed shape.
        content, _ = await self._requester.request(
            "GET", "/v1/balance", {"timeout": timeout, "max_retries": 0}
        )
        try:
            livemode = json.loads(content).get("livemode")
        except (ValueError, AttributeError):
            livemode = None
        return {"livemode": livemode if isinstance(livemode, bool) else None}

    def __repr__(self) -> str:
        config = self._requester.config
        mode = "live" if self.livemode else "test"
        return (
            f"StripeClient(mode={mode!r}, base_url={config.base_url!r}, "
            f"stripe_version={config.stripe_version!r}, stripe_account={config.stripe_account!r})"
        )


def _tracing(enabled: bool, tracer_provider: Any) -> Any:
    """The span maker for `tracing=True` (imports OpenTelemetry only then)."""
    if not enabled and tracer_provider is None:
        return None
    try:
        from ._otel import Tracing
    except ImportError:  # pragma: no cover - depends on the environment
        raise InvalidArgumentError(
            "tracing needs OpenTelemetry: pip install 'stripe-async[otel]'"
        ) from None
    return Tracing(tracer_provider)
