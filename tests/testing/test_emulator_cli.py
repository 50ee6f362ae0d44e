"""`python -m stripe_async emulator` serves the emulator on a loopback port."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from typing import Any

import httpx

from stripe_async import StripeClient
from stripe_async.testing import StripeEmulator
from stripe_async.testing.cli import run_emulator


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(port: int, proc: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else "exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the emulator did not start")


async def test_cli_serves_the_emulator_on_loopback() -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "stripe_async", "emulator", "--port", str(port), "--seed", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_serving(port, proc)
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base, auth=("sk_test_cli", "")) as http:
            created = await http.post("/v1/customers", data={"email": "cli@example.com"})
            assert created.status_code == 200 and created.headers["request-id"].startswith("req_")
            assert created.json()["created"] == 1_700_000_000  # --seed freezes the clock
            listed = await http.get("/v1/customers")
            assert [c["id"] for c in listed.json()["data"]] == [created.json()["id"]]
            denied = await http.get("/v1/customers", auth=("sk_live_nope", ""))
            assert denied.status_code == 401
        # Our own client works against it over real HTTP too.
        async with StripeClient(api_key="sk_test_cli", base_url=base, max_retries=0) as stripe:
            pi = await stripe.payment_intents.create(
                amount=1000,
                currency="usd",
                payment_method="pm_card_visa",
                confirm=True,
                return_url="https://example.com/return",
            )
            assert pi.status == "succeeded"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cli_warns_on_non_loopback_hosts(monkeypatch: Any, capsys: Any) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    args = argparse.Namespace(host="0.0.0.0", port=12111, seed=None)
    assert run_emulator(args) == 0
    assert "Warning" in capsys.readouterr().err and calls[0]["host"] == "0.0.0.0"
    assert run_emulator(argparse.Namespace(host="127.0.0.1", port=1, seed=None)) == 0
    assert "Warning" not in capsys.readouterr().err


async def test_asgi_app_directly() -> None:
    emulator = StripeEmulator(seed=9)
    transport = httpx.ASGITransport(app=emulator)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        response = await http.post(
            "/v1/customers",
            data={"email": "asgi@example.com"},
            headers={"Authorization": "Bearer sk_test_asgi"},
        )
    assert response.status_code == 200
    assert emulator.get(response.json()["id"]) is not None
