"""`python -m stripe_async serve` under a real uvicorn, and the cheap-import promise."""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from webhook_helpers import SECRET, event_body, signed

from stripe_async.webhooks.protocol import DeadlineProtocol, uvicorn_http_protocol
from stripe_async.webhooks.serve import ConfigError, build_app, run_serve


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class FakeStripe(BaseHTTPRequestHandler):
    """Answers GET /v1/balance like Stripe; records the auth header it saw."""

    seen: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:
        FakeStripe.seen.append((self.path, self.headers.get("authorization")))
        if self.path != "/v1/balance":
            self.send_error(404)
            return
        body = json.dumps({"object": "balance", "livemode": False, "available": []}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("request-id", "req_fake")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def fake_stripe() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeStripe)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serve_env(api_base: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    env.update(
        STRIPE_API_KEY="sk_test_serve_key_123",
        STRIPE_WEBHOOK_SECRET=f"whsec_old_unused,{SECRET}",
        STRIPE_API_BASE=api_base,
    )
    env.update(overrides)
    return env


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_runs_a_real_uvicorn_answering_health_and_webhooks(
    fake_stripe: str, stop: signal.Signals
) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "stripe_async", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=serve_env(fake_stripe),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                health = httpx.get(f"{base}/health/integrations/stripe", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, "serve exited early"
                assert time.monotonic() < deadline, "serve did not start listening"
                time.sleep(0.1)
        assert health.status_code == 200
        assert health.json()["status"] == "ok" and health.json()["livemode"] is False
        assert FakeStripe.seen[-1] == ("/v1/balance", "Bearer sk_test_serve_key_123")

        body = event_body(event_id="evt_served")
        good = httpx.post(
            f"{base}/webhooks/stripe", content=body, headers={"stripe-signature": signed(body)}
        )
        bad = httpx.post(
            f"{base}/webhooks/stripe",
            content=body,
            headers={"stripe-signature": signed(body, secret="whsec_wrong")},
        )
        assert (good.status_code, good.json()) == (200, {"received": True})
        assert bad.status_code == 400
    finally:
        process.send_signal(stop)
        output, _ = process.communicate(timeout=15)
    # A graceful stop: uvicorn re-raises SIGTERM after shutting down, Ctrl+C exits 0.
    assert process.returncode in ((0,) if stop == signal.SIGINT else (0, -signal.SIGTERM)), output
    assert "Application shutdown complete" in output and "Traceback" not in output
    assert "evt_served" in output  # the default handler logs each event
    assert "sk_test_serve_key_123" not in output and SECRET not in output


def test_serve_exits_clearly_when_settings_are_missing(fake_stripe: str) -> None:
    env = serve_env(fake_stripe)
    del env["STRIPE_WEBHOOK_SECRET"]
    result = subprocess.run(
        [sys.executable, "-m", "stripe_async", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "STRIPE_WEBHOOK_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_serve_reports_missing_settings_and_uvicorn(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(host="127.0.0.1", port=0)
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    assert run_serve(args) == 2
    assert "STRIPE_API_KEY" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if the extra were not installed
    assert run_serve(args) == 2
    assert "pip install 'stripe-async[server]'" in capsys.readouterr().err


def test_build_app_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_build_123")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", " , ")
    with pytest.raises(ConfigError, match="STRIPE_WEBHOOK_SECRET"):
        build_app()
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test with space")
    with pytest.raises(ConfigError, match="Stripe client"):
        build_app()
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_build_123")
    app = build_app()
    assert app.client is not None and app.close_client
    assert app.router.handlers_for("anything.happened")


def test_importing_webhooks_does_not_import_httpx() -> None:
    code = (
        "import sys\n"
        "import stripe_async.webhooks as w\n"
        "assert 'httpx' not in sys.modules, 'after import'\n"
        "w.verify_signature; w.construct_event; w.WebhookRouter; w.create_app\n"
        "w.EventStore; w.InMemoryEventStore; w.SignatureVerificationError\n"
        "w.generate_test_header\n"
        "assert 'httpx' not in sys.modules, 'after using the exports'\n"
        "assert 'stripe_async.client' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def test_verify_only_import_is_stdlib_only() -> None:
    code = (
        "import sys\n"
        "from stripe_async.webhooks import verify_signature\n"
        "heavy = {'httpx', 'pydantic', 'anyio'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def test_run_serve_gives_uvicorn_its_limits(
    monkeypatch: pytest.MonkeyPatch, fake_stripe: str
) -> None:
    import uvicorn

    for name, value in serve_env(fake_stripe).items():
        monkeypatch.setenv(name, value)
    seen: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server: seen.append(server.config))
    assert run_serve(argparse.Namespace(host="127.0.0.1", port=0)) == 0
    [config] = seen
    # uvicorn's limit_concurrency counts idle sockets: the app caps deliveries instead.
    assert (config.limit_concurrency, config.timeout_keep_alive) == (None, 5)
    assert config.timeout_graceful_shutdown == 10 and config.ws == "none"
    assert issubclass(config.http, DeadlineProtocol)
    assert (config.http.idle_timeout, config.http.header_timeout) == (5.0, 5.0)
    assert config.http.max_head_bytes == 16_384
    assert config.http.inner_class is uvicorn_http_protocol()
    assert uvicorn_http_protocol().__name__ == "HttpToolsProtocol"  # the server extra's


def test_build_app_uses_redis_when_redis_url_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_build_123")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("REDIS_URL", "redis://:pw@cache:6379/0")
    assert type(build_app().router.store).__name__ == "RedisEventStore"
    monkeypatch.setenv("REDIS_URL", "cache:6379")
    with pytest.raises(ConfigError, match="REDIS_URL"):
        build_app()
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setitem(sys.modules, "stripe_async.redis", None)  # the extra is missing
    with pytest.raises(ConfigError, match=r"stripe-async\[redis\]"):
        build_app()


def test_a_body_stalled_under_uvicorn_gets_408_and_the_connection_closes() -> None:
    import uvicorn

    from stripe_async.webhooks import WebhookRouter, create_app

    app = create_app(WebhookRouter(SECRET), body_timeout=0.5)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b'POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"id"'
            )
            reply = b""
            while chunk := sock.recv(4096):  # the server closes after its reply
                reply += chunk
        assert reply.startswith(b"HTTP/1.1 408")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
