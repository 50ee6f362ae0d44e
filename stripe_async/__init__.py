"""stripe-async: an async, typed SDK for the Stripe API.

The top level is lazy: `import stripe_async.webhooks` does not pull in httpx or
the client, so a receiver that only verifies events pays for nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidAPIKeyError,
    InvalidArgumentError,
    InvalidRequestError,
    NotFoundError,
    PCIComplianceError,
    PermissionDeniedError,
    RateLimitError,
    SignatureVerificationError,
    StripeError,
)

API_VERSION = "2026-10-28.endive"

if TYPE_CHECKING:
    from . import models, webhooks
    from ._base import BaseIntegrationClient, HealthStatus
    from ._ratelimit import Limiter, LocalRateLimit, RateLimitPolicy
    from ._response import StripeResponse
    from .client import StripeClient
    from .pagination import AsyncPager

_LAZY = {
    "StripeClient": ".client",
    "BaseIntegrationClient": "._base",
    "HealthStatus": "._base",
    "AsyncPager": ".pagination",
    "Limiter": "._ratelimit",
    "LocalRateLimit": "._ratelimit",
    "RateLimitPolicy": "._ratelimit",
    "StripeResponse": "._response",
    "models": ".models",
    "webhooks": ".webhooks",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'stripe_async' has no attribute {name!r}")
    module = importlib.import_module(module_name, __name__)
    value = module if module_name.endswith(name) else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "API_VERSION",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncPager",
    "AuthenticationError",
    "BaseIntegrationClient",
    "CardError",
    "HealthStatus",
    "IdempotencyError",
    "InvalidAPIKeyError",
    "InvalidArgumentError",
    "InvalidRequestError",
    "Limiter",
    "LocalRateLimit",
    "NotFoundError",
    "PCIComplianceError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitPolicy",
    "SignatureVerificationError",
    "StripeClient",
    "StripeError",
    "StripeResponse",
    "__version__",
    "models",
    "webhooks",
]
