"""The default transport's tuning of httpcore: applied, checked, and dropped when stale."""

from __future__ import annotations

import importlib.metadata
import logging
import socket
import sys
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest

from stripe_async import StripeClient
from stripe_async._http import pool as transport_module
from stripe_async._http.backend import LoopAwareBackend
from stripe_async._http.client import OwnedClient
from stripe_async._http.pool import Pool

sys.path.insert(0, str(Path(__file__).parent / "faults"))
from faults.loopback import answer_ok, serving


def pool_of(client: StripeClient) -> Any:
    http = client._requester.http_client
    assert isinstance(http, OwnedClient) and http._direct is not None
    return http._direct._pool  # type: ignore[attr-defined]


async def test_the_linear_pool_is_the_one_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails if the override stops applying: a different pool, or httpcore not calling it."""
    calls: list[str] = []
    original_assign = Pool._assign_requests_to_connections
    original_close = Pool._close_connections

    def assign(self: Pool) -> Any:
        calls.append("assign")
        return original_assign(self)

    async def close(self: Pool, closing: Any) -> None:
        calls.append("close")
        await original_close(self, closing)

    monkeypatch.setattr(Pool, "_assign_requests_to_connections", assign)
    monkeypatch.setattr(Pool, "_close_connections", close)
    with serving(answer_ok) as server:
        async with StripeClient("sk_test_x", base_url=server.url, rate_limit=None) as client:
            pool = pool_of(client)
            assert type(pool) is Pool
            assert isinstance(pool._network_backend, LoopAwareBackend)
            await client.balance.retrieve()
            await client.balance.retrieve()
    assert calls.count("assign") >= 4 and "close" in calls


def test_the_override_applies_to_the_installed_httpcore() -> None:
    assert transport_module.pool_override_applies()
    assert transport_module.POOL_OVERRIDE_APPLIES


def test_the_override_check_notices_a_changed_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    def changed(self: Any, extra: Any) -> list[Any]:
        return []

    monkeypatch.setattr(httpcore.AsyncConnectionPool, "_assign_requests_to_connections", changed)
    assert not transport_module.pool_override_applies()


def test_the_override_check_notices_a_method_no_longer_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def rewritten(self: Any, request: Any) -> Any:
        raise NotImplementedError

    monkeypatch.setattr(httpcore.AsyncConnectionPool, "handle_async_request", rewritten)
    assert not transport_module.pool_override_applies()


def test_the_override_check_notices_renamed_pool_state(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pool reads the private lists of connections and requests; a release that
    # renamed them would make the leak fix silently stop applying.
    original_init = httpcore.AsyncConnectionPool.__init__

    def renamed(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._pending = self.__dict__.pop("_requests")

    monkeypatch.setattr(httpcore.AsyncConnectionPool, "__init__", renamed)
    assert not transport_module.pool_override_applies()


def test_the_override_check_notices_a_request_without_its_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool_request = httpcore._async.connection_pool.AsyncPoolRequest
    original_init = pool_request.__init__

    def renamed(self: Any, request: Any) -> None:
        original_init(self, request)
        self._assigned = self.__dict__.pop("connection")

    monkeypatch.setattr(pool_request, "__init__", renamed)
    assert not transport_module.pool_override_applies()


def test_a_stale_override_falls_back_to_the_stock_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport_module, "POOL_OVERRIDE_APPLIES", False)
    transport = transport_module.build_transport(httpx.Limits(max_connections=5))
    assert type(transport._pool) is httpcore.AsyncConnectionPool


def test_a_stale_override_is_logged_at_import(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import importlib

    def changed(self: Any, extra: Any) -> list[Any]:
        return []

    monkeypatch.setattr(httpcore.AsyncConnectionPool, "_close_connections", changed)
    fresh = importlib.util.spec_from_file_location(
        "stripe_async._http._pool_probe", transport_module.__file__
    )
    assert fresh is not None and fresh.loader is not None
    module = importlib.util.module_from_spec(fresh)
    with caplog.at_level(logging.WARNING, logger="stripe_async"):
        fresh.loader.exec_module(module)
    assert module.POOL_OVERRIDE_APPLIES is False
    assert "stock pool" in caplog.text


def test_declared_bounds_cover_the_installed_versions() -> None:
    requires = importlib.metadata.requires("stripe-async") or []
    declared = {r.split(">=")[0].split("<")[0].strip(): r for r in requires if ">=" in r}
    assert "httpcore" in declared and "<1.1" in declared["httpcore"]
    assert "httpx" in declared and "<0.29" in declared["httpx"]
    assert httpcore.__version__.startswith("1.0.") and httpx.__version__.startswith("0.28.")


async def test_the_asyncio_backend_is_used_under_asyncio() -> None:
    backend = LoopAwareBackend()
    assert backend._pick() is backend.asyncio
    await backend.sleep(0)
    with socket.socket(socket.AF_UNIX) as listener:
        path = "\0stripe-async-test"  # an abstract socket: nothing on disk
        listener.bind(path)
        listener.listen(1)
        stream = await backend.connect_unix_socket(path, timeout=1)
        await stream.aclose()


def test_another_library_gets_the_stock_backend() -> None:
    import trio

    async def main() -> Any:
        backend = LoopAwareBackend()
        await backend.sleep(0)
        return backend._pick()

    assert isinstance(trio.run(main), httpcore.AnyIOBackend)
