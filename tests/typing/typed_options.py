"""Checked by mypy (see test_typed_options.py), never run: request and client options are typed.

The first function must type-check; every line of the second must produce
exactly the error its ignore comment names (mypy runs with
--warn-unused-ignores).
"""

from __future__ import annotations

from stripe_async import StripeClient
from stripe_async.hooks import RequestEvent, ResponseEvent
from stripe_async.oauth import OAuthDeauthorization, OAuthToken


def on_request(event: RequestEvent) -> None:
    print(event.method, event.path, event.attempt, event.idempotency_key)


async def on_response(event: ResponseEvent) -> None:
    print(event.status, event.request_id, event.duration)


async def accepted() -> None:
    stripe = StripeClient(
        "sk_test_x",
        app_info={"name": "MyPlugin", "version": "1.0", "url": "https://x", "partner_id": "pp_1"},
        base_addresses={"files": "http://localhost:12111", "meter_events": "http://localhost:1"},
        proxy="http://proxy.internal:3128",
        stripe_context="acct_1",
        client_id="ca_1",
        on_request=on_request,
        on_response=on_response,
        tracing=True,
    )
    await stripe.customers.create(email="a@b.co", headers={"X-Trace": "1"}, stripe_context="acct_2")
    await stripe.customers.list(limit=3, headers={"X-Trace": "1"})
    await stripe.request("post", "/v2/core/event_destinations", params={}, base="api")
    await stripe.with_options(stripe_context=None).balance.retrieve()
    url: str = stripe.oauth.authorize_url(express=True, scope="read_write", state="s")
    token: OAuthToken = await stripe.oauth.token(grant_type="authorization_code", code="ac_1")
    gone: OAuthDeauthorization = await stripe.oauth.deauthorize(stripe_user_id="acct_1")
    print(url, token.access_token, gone.stripe_user_id)


async def rejected(stripe: StripeClient) -> None:
    await stripe.customers.create(headers=["X-Trace"])  # type: ignore[arg-type]
    await stripe.request("get", "/v1/x", base="upload")  # type: ignore[call-overload]
    StripeClient(app_info={"version": "1"})  # type: ignore[arg-type]
    StripeClient(base_addresses={"uploads": "x"})  # type: ignore[arg-type]
    await stripe.oauth.token(grant_type="password")  # type: ignore[arg-type]
    await stripe.oauth.deauthorize()  # type: ignore[call-arg]
    stripe.oauth.authorize_url(scope=1)  # type: ignore[arg-type]
