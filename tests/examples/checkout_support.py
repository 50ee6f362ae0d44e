"""Helpers for the checkout example tests: load the example, run it, record its requests."""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import uvicorn

ROOT = Path(__file__).resolve().parents[2]
CHECKOUT_SERVER = ROOT / "examples" / "checkout" / "server.py"
STRIPE_JS_ADDON = Path(__file__).with_name("checkout_stripe_js_addon.js")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def load_module(name: str, path: Path) -> ModuleType:
    """Import a file that is not in a package (the example, the localstripe harness)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


checkout = load_module("checkout_server", CHECKOUT_SERVER)
harness = load_module(
    "localstripe_harness", ROOT / "tests" / "integration" / "localstripe_harness.py"
)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: list[tuple[str, str]]
    body: bytes

    def text(self) -> str:
        """Everything the request carried, as one string to search."""
        head = "\n".join(f"{k}: {v}" for k, v in self.headers)
        body = self.body.decode("utf-8", "replace")
        return f"{self.method} {self.path}?{self.query}\n{head}\n\n{body}"


class RequestRecorder:
    """ASGI middleware keeping every request our server received, body included.

    The body is read in full up front (and replayed to the app), so requests whose
    handler never reads the body are recorded too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests: list[RecordedRequest] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        self.requests.append(
            RecordedRequest(
                method=scope["method"],
                path=scope["path"],
                query=scope.get("query_string", b"").decode("latin-1"),
                headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
                body=body,
            )
        )
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class CheckoutServer:
    """examples/checkout/server.py's app under uvicorn, in a thread, on 127.0.0.1."""

    def __init__(self, *, api_base: str, publishable_key: str | None, stripe_js_url: str) -> None:
        self.api_base = api_base
        self.publishable_key = publishable_key
        self.stripe_js_url = stripe_js_url
        self.url = ""
        self.recorder: RequestRecorder | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def requests(self) -> list[RecordedRequest]:
        return list(self.recorder.requests) if self.recorder else []

    async def _serve(self, sock: socket.socket) -> None:
        async with harness.make_client_for(self.api_base) as stripe:
            app = checkout.create_app(
                stripe, publishable_key=self.publishable_key, stripe_js_url=self.stripe_js_url
            )
            self.recorder = RequestRecorder(app)
            config = uvicorn.Config(self.recorder, log_level="warning", lifespan="off")
            self._server = uvicorn.Server(config)
            await self._server.serve(sockets=[sock])

    def _run(self, sock: socket.socket) -> None:
        try:
            asyncio.run(self._serve(sock))
        except BaseException as exc:  # reported by start()
            self._error = exc

    def start(self) -> CheckoutServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._run, args=(sock,), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while self._server is None or not self._server.started:
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError(f"checkout server failed to start: {self._error!r}")
            if time.monotonic() > deadline:
                raise RuntimeError("checkout server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> CheckoutServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
