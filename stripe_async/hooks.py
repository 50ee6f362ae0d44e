"""Request and response hooks: what each attempt of a call did, without its secrets.

```python
async def log_it(event: ResponseEvent) -> None:
    print(event.method, event.path, event.status, event.request_id, event.duration)

client = StripeClient(on_response=log_it)
```

The request loop calls `on_request` just before an attempt is sent and
`on_response` once it has ended (a reply, or a network failure or timeout), so a
call retried twice calls each hook three times. A hook may be a plain function or
a coroutine function. Hooks see the method, the path, the attempt number, the
idempotency key, the status, the request id and the duration; never the API key,
a header, a body or query parameters.

A hook that raises is logged (logger `stripe_async`, with its traceback) and the
call goes on as if it had returned: a broken metrics exporter must not turn a
charge that succeeded into an error the caller retries. A hook runs inline, so
keep it quick; cancellation still wins while a coroutine hook runs.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Union

from ._redact import redact

__all__ = ["RequestEvent", "RequestHook", "ResponseEvent", "ResponseHook"]

logger = logging.getLogger("stripe_async")


@dataclass(frozen=True)
class RequestEvent:
    """One attempt about to be sent."""

    method: str
    """`GET`, `POST` or `DELETE`."""
    path: str
    """The path without its query, e.g. `/v1/customers/cus_123`."""
    base: str
    """Which host: `api`, `files`, `connect` or `meter_events`."""
    attempt: int
    """1 for the first try, 2 for the first retry, ..."""
    idempotency_key: str | None
    """The key sent with the call (the same on every attempt)."""
    stripe_account: str | None
    """The connected account the call acts on, if any."""


@dataclass(frozen=True)
class ResponseEvent:
    """One attempt that has ended, with a reply or without one."""

    method: str
    path: str
    base: str
    attempt: int
    idempotency_key: str | None
    stripe_account: str | None
    status: int | None
    """The reply's HTTP status; None when no reply came (network failure, timeout)."""
    request_id: str | None
    """Stripe's `Request-Id`, to quote to Stripe's support."""
    duration: float
    """Seconds from sending to the end of the attempt."""
    error_type: str | None
    """The StripeError class name when the attempt failed, else None."""
    will_retry: bool
    """True when the loop will send another attempt."""


RequestHook = Callable[[RequestEvent], Union[Awaitable[None], None]]
ResponseHook = Callable[[ResponseEvent], Union[Awaitable[None], None]]


def check_hook(hook: object, name: str) -> Any:
    if hook is not None and not callable(hook):
        from .errors import InvalidArgumentError

        raise InvalidArgumentError(f"{name} must be a function (plain or async), or None")
    return hook


async def call_hook(hook: Callable[[Any], Any], event: object) -> None:
    """Run one hook; anything it raises (but a cancellation) is logged, not raised."""
    try:
        result = hook(event)
        if inspect.isawaitable(result):
            await result
    except Exception:
        logger.exception("stripe_async: the %s hook raised; the call goes on", _name(hook))


def _name(hook: Callable[..., Any]) -> str:
    return redact(getattr(hook, "__qualname__", None) or type(hook).__name__)


# A Stripe id: a lower-case prefix, "_", then a part with an upper-case letter or a digit.
_ID_SEGMENT = re.compile(r"^[a-z][a-z0-9]*_(?=[A-Za-z0-9_]*[A-Z0-9])[A-Za-z0-9_]+$")


def path_template(path: str) -> str:
    """The path with its object ids replaced by `{id}`: low-cardinality, for span names."""
    return "/".join("{id}" if _ID_SEGMENT.match(part) else part for part in path.split("/"))
