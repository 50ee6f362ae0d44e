"""Connect OAuth on connect.stripe.com: the authorize link, token exchange, deauthorize.

```python
url = client.oauth.authorize_url(scope="read_write", state=csrf_token)
token = await client.oauth.token(grant_type="authorization_code", code=code)
await client.oauth.deauthorize(stripe_user_id=token.stripe_user_id)
```

`client_id` (your platform's `ca_...`) comes from the call, else from
`StripeClient(client_id=...)`, else from the `STRIPE_CLIENT_ID` environment
variable. OAuth's errors are raised as `OAuthError` subclasses
(`InvalidGrantError`, ...; see `stripe_async.oauth_error`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from typing_extensions import Required, TypedDict, Unpack

from ._encoding import encode_pairs, form_from_pairs
from .errors import AuthenticationError, InvalidArgumentError
from .models._base import StripeObject
from .resources._base import RequestOptions

if TYPE_CHECKING:
    from ._requester import Requester

__all__ = [
    "AuthorizeUrlParams",
    "AuthorizeUrlStripeUser",
    "DeauthorizeParams",
    "OAuthDeauthorization",
    "OAuthService",
    "OAuthToken",
    "TokenParams",
]


class OAuthToken(StripeObject):
    """What `/oauth/token` returns: a key to act on the connected account.

    `access_token` and `refresh_token` never appear in its repr.
    """

    _hidden_in_repr: ClassVar[frozenset[str]] = StripeObject._hidden_in_repr | {
        "access_token",
        "refresh_token",
    }

    access_token: str | None = None
    """A secret key for the connected account (the same mode as your key)."""
    scope: str | None = None
    """`read_only` or `read_write`."""
    livemode: bool | None = None
    token_type: str | None = None
    """Always `bearer`."""
    refresh_token: str | None = None
    """Exchange it (`grant_type="refresh_token"`) for a new access token."""
    stripe_user_id: str | None = None
    """The connected account's id (`acct_...`)."""
    stripe_publishable_key: str | None = None


class OAuthDeauthorization(StripeObject):
    """What `/oauth/deauthorize` returns: the account that was disconnected."""

    stripe_user_id: str | None = None


class AuthorizeUrlStripeUser(TypedDict, total=False):
    """Details to prefill in the account form (see Stripe's Connect OAuth reference)."""

    email: str
    url: str
    country: str
    phone_number: str
    business_name: str
    business_type: str
    first_name: str
    last_name: str
    dob_day: str
    dob_month: str
    dob_year: str
    street_address: str
    city: str
    state: str
    zip: str
    physical_product: str
    product_description: str
    currency: str
    first_name_kana: str
    first_name_kanji: str
    last_name_kana: str
    last_name_kanji: str
    gender: str
    block_kana: str
    block_kanji: str
    building_kana: str
    building_kanji: str


class AuthorizeUrlParams(TypedDict, total=False):
    """Query parameters of the authorize link."""

    client_id: str
    """Your platform's `ca_...` (defaults to the client's)."""
    response_type: Literal["code"]
    """Always `code` (the default)."""
    redirect_uri: str
    """Where Stripe sends the user back; one of your application's redirect URIs."""
    scope: Literal["read_only", "read_write"] | str
    state: str
    """An opaque value returned to you: use it against CSRF."""
    stripe_landing: Literal["login", "register"] | str
    always_prompt: bool
    suggested_capabilities: list[str]
    """Express only: capabilities to request for the account."""
    stripe_user: AuthorizeUrlStripeUser


class TokenParams(RequestOptions, total=False):
    """Parameters of `/oauth/token`."""

    grant_type: Literal["authorization_code", "refresh_token"]
    code: str
    """The authorization code from the redirect (`grant_type="authorization_code"`)."""
    refresh_token: str
    """A refresh token (`grant_type="refresh_token"`)."""
    scope: str
    assert_capabilities: list[str]
    """Express only: check these capabilities were applied."""


class DeauthorizeParams(RequestOptions, total=False):
    """Parameters of `/oauth/deauthorize`."""

    client_id: str
    """Your platform's `ca_...` (defaults to the client's)."""
    stripe_user_id: Required[str]
    """The connected account to disconnect (`acct_...`)."""


class OAuthService:
    """`client.oauth`: Connect OAuth, on the client's `connect` base address."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    def _client_id(self, params: dict[str, Any]) -> None:
        if params.get("client_id"):
            return
        client_id = self._requester.config.client_id or os.environ.get("STRIPE_CLIENT_ID")
        if not client_id:
            raise AuthenticationError(
                "No client_id: pass client_id=... (to the call or to StripeClient) or set "
                "STRIPE_CLIENT_ID; find it in your Dashboard's Connect settings "
                "(https://dashboard.stripe.com/settings/connect), after registering as "
                "a platform."
            )
        params["client_id"] = client_id

    def authorize_url(self, *, express: bool = False, **params: Unpack[AuthorizeUrlParams]) -> str:
        """The link that starts Connect OAuth (`express=True`: the Express flow).

        Pure: it sends nothing. `response_type` defaults to `code`.
        """
        query: dict[str, Any] = dict(params)
        self._client_id(query)
        query.setdefault("response_type", "code")
        path = "/express/oauth/authorize" if express else "/oauth/authorize"
        return f"{self._requester.base_url('connect')}{path}?{form_from_pairs(encode_pairs(query))}"

    async def token(self, **params: Unpack[TokenParams]) -> OAuthToken:
        """Exchange an authorization code (or a refresh token) for the account's key."""
        if not params.get("grant_type"):
            raise InvalidArgumentError(
                "token needs grant_type='authorization_code' (with code=) "
                "or grant_type='refresh_token' (with refresh_token=)"
            )
        return await self._requester.request_model(
            "POST", "/oauth/token", params, OAuthToken, base="connect"
        )

    async def deauthorize(self, **params: Unpack[DeauthorizeParams]) -> OAuthDeauthorization:
        """Disconnect an account from your platform (`stripe_user_id="acct_..."`)."""
        body: dict[str, Any] = dict(params)
        if not isinstance(body.get("stripe_user_id"), str) or not body["stripe_user_id"].strip():
            raise InvalidArgumentError("deauthorize needs stripe_user_id='acct_...'")
        self._client_id(body)
        return await self._requester.request_model(
            "POST", "/oauth/deauthorize", body, OAuthDeauthorization, base="connect"
        )
