"""The default transport builds one TLS context (loading the CA bundle is a first call's cost)."""

from __future__ import annotations

import ssl
from typing import Any

import httpx
import pytest

from stripe_async._http.pool import build_transport


def test_one_tls_context_serves_the_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[ssl.SSLContext] = []
    original = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    build_transport(httpx.Limits(max_connections=10))
    assert len(made) == 1
    assert made[0].verify_mode is ssl.CERT_REQUIRED and made[0].check_hostname
