"""No frame of ours holds the API key in clear: a traceback captured with its locals
(what Sentry and similar reporters capture) shows it redacted.
"""

from __future__ import annotations

import pickle
import traceback

import httpx
import pytest
import respx
from loopback import blackhole

from stripe_async import APIConnectionError, AuthenticationError, StripeClient
from stripe_async._redact import Hidden, reveal

KEY = "sk_test_" + "51HqLyjWDarjtT1zdp7dcTraceback"


def locals_text(exc: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())


async def test_a_401_traceback_with_locals_has_no_key() -> None:
    with respx.mock(base_url="https://api.stripe.com") as router:
        route = router.get("/v1/balance").respond(
            401, json={"error": {"type": "invalid_request_error", "message": "Invalid API Key"}}
        )
        async with StripeClient(KEY, rate_limit=None, max_retries=0) as client:
            with pytest.raises(AuthenticationError) as caught:
                await client.balance.retrieve()
        # The key did go on the wire, whole.
        assert route.calls.last.request.headers["Authorization"] == f"Bearer {KEY}"
    text = locals_text(caught.value)
    assert "headers" in text  # the request loop's locals were captured ...
    assert KEY not in text and KEY[8:] not in text  # ... with the key redacted


async def test_a_connect_error_traceback_with_locals_has_no_key() -> None:
    with blackhole("127.0.0.1") as port:
        async with StripeClient(
            KEY, base_url=f"http://127.0.0.1:{port}", rate_limit=None, max_retries=0, timeout=0.5
        ) as client:
            with pytest.raises(APIConnectionError) as caught:
                await client.balance.retrieve(api_key=KEY)
    text = locals_text(caught.value)
    assert KEY not in text and KEY[8:] not in text


async def test_a_connection_refused_traceback_with_locals_has_no_key() -> None:
    async with StripeClient(
        KEY, base_url="http://127.0.0.1:9", rate_limit=None, max_retries=0, timeout=2
    ) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.balance.retrieve()
    text = locals_text(caught.value)
    assert KEY[8:] not in text


def test_a_hidden_secret_works_as_text_and_shows_redacted() -> None:
    hidden = Hidden(KEY)
    assert hidden == KEY and "_test_" in hidden and hidden.startswith("sk_test_")
    assert hidden.encode() == KEY.encode()
    assert reveal(hidden) == KEY and type(reveal(hidden)) is str
    old_style = "%s" % hidden  # noqa: UP031 - old-style formatting must hide it too
    for shown in (repr(hidden), str(hidden), f"{hidden}", old_style, repr({"k": hidden})):
        assert KEY[8:] not in shown
    assert KEY[8:] not in str(Hidden("Bearer not-a-stripe-shaped-key-" + KEY[8:]))
    copy = pickle.loads(pickle.dumps(hidden))
    assert type(copy) is Hidden and copy == KEY
    assert httpx.Headers({"Authorization": Hidden("Bearer " + KEY)})["authorization"].endswith(KEY)


def test_the_client_keeps_its_key_hidden() -> None:
    client = StripeClient(KEY)
    assert isinstance(client._requester.config.api_key, Hidden)
    assert KEY[8:] not in repr(vars(client._requester.config))
