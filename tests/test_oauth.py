"""Connect OAuth: authorize_url (pure), token and deauthorize on connect.stripe.com."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
import respx
import stripe
from client_support import TEST_KEY
from loop_backends import on_both_loops

from stripe_async import AuthenticationError, InvalidArgumentError, StripeClient
from stripe_async import oauth_error as ours

CONNECT = "https://connect.stripe.com"


def official_authorize_url(express: bool, **params: Any) -> str:
    saved = stripe.client_id
    stripe.client_id = "ca_platform"
    try:
        return stripe.OAuth.authorize_url(express=express, **params)
    finally:
        stripe.client_id = saved


@pytest.mark.parametrize("express", [False, True])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"scope": "read_write", "state": "csrf-1", "redirect_uri": "https://shop.example/cb?x=1"},
        {
            "always_prompt": True,
            "suggested_capabilities": ["card_payments", "transfers"],
            "stripe_user": {"email": "a+b@shop.example", "country": "US", "business_name": "A & B"},
        },
    ],
)
def test_authorize_url_matches_the_official_sdks(express: bool, params: dict[str, Any]) -> None:
    client = StripeClient(TEST_KEY, client_id="ca_platform")
    url = client.oauth.authorize_url(express=express, **params)
    theirs = official_authorize_url(express, **params)
    mine, official = urlsplit(url), urlsplit(theirs)
    assert (mine.scheme, mine.netloc, mine.path) == (
        official.scheme,
        official.netloc,
        official.path,
    )
    assert sorted(parse_qsl(mine.query)) == sorted(parse_qsl(official.query))
    assert mine.path == ("/express/oauth/authorize" if express else "/oauth/authorize")


def test_authorize_url_sends_nothing_and_follows_the_connect_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STRIPE_CLIENT_ID", "ca_from_env")
    with respx.mock(assert_all_mocked=True) as mock:
        client = StripeClient(TEST_KEY, base_addresses={"connect": "http://127.0.0.1:9"})
        url = client.oauth.authorize_url(client_id="ca_given")
        assert url.startswith("http://127.0.0.1:9/oauth/authorize?")
        assert parse_qs(urlsplit(url).query)["client_id"] == ["ca_given"]
        assert "ca_from_env" in StripeClient(TEST_KEY).oauth.authorize_url()
        assert not mock.calls


def test_no_client_id_anywhere_is_an_authentication_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRIPE_CLIENT_ID", raising=False)
    with pytest.raises(AuthenticationError, match="STRIPE_CLIENT_ID"):
        StripeClient(TEST_KEY).oauth.authorize_url()


@on_both_loops
async def test_token_and_deauthorize_post_to_connect() -> None:
    with respx.mock(assert_all_called=True) as mock:
        token = mock.post(f"{CONNECT}/oauth/token").respond(
            200,
            json={
                "access_token": "sk_test_connected123456789",
                "refresh_token": "rt_abcdef",
                "stripe_user_id": "acct_1",
                "scope": "read_write",
                "livemode": False,
                "token_type": "bearer",
            },
        )
        deauth = mock.post(f"{CONNECT}/oauth/deauthorize").respond(
            200, json={"stripe_user_id": "acct_1"}
        )
        async with StripeClient(TEST_KEY, rate_limit=None, client_id="ca_platform") as client:
            granted = await client.oauth.token(grant_type="authorization_code", code="ac_123")
            gone = await client.oauth.deauthorize(stripe_user_id="acct_1")
    assert granted.stripe_user_id == "acct_1"
    assert granted.access_token == "sk_test_connected123456789"
    assert "sk_test_connected" not in repr(granted) and "rt_abcdef" not in repr(granted)
    assert gone.stripe_user_id == "acct_1"
    sent = parse_qs(token.calls.last.request.content.decode())
    assert sent == {"grant_type": ["authorization_code"], "code": ["ac_123"]}
    assert token.calls.last.request.headers["Authorization"] == f"Bearer {TEST_KEY}"
    assert "Idempotency-Key" in token.calls.last.request.headers
    sent = parse_qs(deauth.calls.last.request.content.decode())
    assert sent == {"stripe_user_id": ["acct_1"], "client_id": ["ca_platform"]}


async def test_token_and_deauthorize_check_their_arguments() -> None:
    client = StripeClient(TEST_KEY, client_id="ca_platform")
    with pytest.raises(InvalidArgumentError, match="grant_type"):
        await client.oauth.token(code="ac_1")
    with pytest.raises(InvalidArgumentError, match="stripe_user_id"):
        await client.oauth.deauthorize()  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("invalid_client", ours.InvalidClientError),
        ("invalid_grant", ours.InvalidGrantError),
        ("invalid_request", ours.InvalidRequestError),
        ("invalid_scope", ours.InvalidScopeError),
        ("unsupported_grant_type", ours.UnsupportedGrantTypeError),
        ("unsupported_response_type", ours.UnsupportedResponseTypeError),
        ("something_new", ours.OAuthError),
    ],
)
async def test_oauth_errors_are_raised_from_oauths_wire_shape(
    code: str, cls: type[Exception]
) -> None:
    body = {"error": code, "error_description": "Authorization code ac_123 already used"}
    with respx.mock() as mock:
        mock.post(f"{CONNECT}/oauth/token").respond(400, json=body, headers={"Request-Id": "req_9"})
        async with StripeClient(TEST_KEY, rate_limit=None) as client:
            with pytest.raises(cls) as info:
                await client.oauth.token(grant_type="authorization_code", code="ac_123")
    error = info.value
    assert type(error) is cls
    assert isinstance(error, ours.OAuthError) and isinstance(error, ours.StripeError)
    assert error.code == code  # type: ignore[attr-defined]
    assert error.http_status == 400  # type: ignore[attr-defined]
    assert error.request_id == "req_9"  # type: ignore[attr-defined]
    assert error.error == body  # type: ignore[attr-defined]
    assert "already used" in str(error)
