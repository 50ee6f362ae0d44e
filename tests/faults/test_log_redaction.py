"""What httpx and httpcore log never carries a secret, on every path a request takes."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest
from loopback import read_head, reply, serving

from stripe_async import StripeClient

KEY = "sk_test_51LogRedactionKey0000"
CLIENT_SECRET = "pi_3Log123_secret_Abc123XyZ"
PI = b'{"id": "pi_3Log123", "object": "payment_intent", "amount": 1000, "currency": "usd"}'


def answer_pi(conn: socket.socket) -> None:
    while read_head(conn):
        conn.sendall(reply(PI))


async def retrieve_with_secret(client: StripeClient) -> None:
    pi = await client.payment_intents.retrieve("pi_3Log123", client_secret=CLIENT_SECRET)
    assert pi.id == "pi_3Log123"


def assert_clean(caplog: pytest.LogCaptureFixture, expect_url_logged: bool) -> None:
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "_secret_" not in text and "3Log123_" not in text
    assert KEY not in text
    if expect_url_logged:  # the line is still there, with the secret replaced
        assert any("client_secret=[REDACTED]" in r.getMessage() for r in caplog.records)


async def test_default_transport(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with serving(answer_pi) as server:
        async with StripeClient(KEY, base_url=server.url, rate_limit=None) as client:
            await retrieve_with_secret(client)
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    assert_clean(caplog, expect_url_logged=False)


async def test_proxy_from_the_environment(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[bytes] = []

    def proxy(conn: socket.socket) -> None:
        while head := read_head(conn):
            seen.append(head)
            conn.sendall(reply(PI))

    with serving(proxy) as proxy_server:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
            monkeypatch.delenv(name.lower(), raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy_server.url)
        async with StripeClient(KEY, base_url="http://api.stripe.test", rate_limit=None) as client:
            await retrieve_with_secret(client)
    assert seen and seen[0].startswith(b"GET http://api.stripe.test/v1/payment_intents/")
    assert_clean(caplog, expect_url_logged=True)


async def test_user_supplied_http_client(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with serving(answer_pi) as server:
        async with httpx.AsyncClient() as http:
            client = StripeClient(KEY, base_url=server.url, http_client=http, rate_limit=None)
            await retrieve_with_secret(client)
    assert_clean(caplog, expect_url_logged=True)


def test_the_filter_leaves_other_records_alone(caplog: pytest.LogCaptureFixture) -> None:
    import stripe_async._http  # noqa: F401 - installs the filters

    caplog.set_level(logging.INFO)
    logging.getLogger("httpx").info("plain %s line %d", "text", 3)
    logging.getLogger("httpx").info("key %s", KEY)
    assert [r.getMessage() for r in caplog.records] == ["plain text line 3", "key [REDACTED]"]
