"""Connect OAuth's error classes under the names the official SDK gives them.

`from stripe_async.oauth_error import InvalidGrantError, InvalidRequestError`:
here `InvalidRequestError` is OAuth's (`errors.OAuthInvalidRequestError`), not the
API's `errors.InvalidRequestError`.
"""

from __future__ import annotations

from .errors import (
    InvalidClientError,
    InvalidGrantError,
    InvalidScopeError,
    OAuthError,
    StripeError,
    UnsupportedGrantTypeError,
    UnsupportedResponseTypeError,
)
from .errors import OAuthInvalidRequestError as InvalidRequestError

__all__ = [
    "InvalidClientError",
    "InvalidGrantError",
    "InvalidRequestError",
    "InvalidScopeError",
    "OAuthError",
    "StripeError",
    "UnsupportedGrantTypeError",
    "UnsupportedResponseTypeError",
]
