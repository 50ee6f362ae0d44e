"""Start and stop localstripe (a third-party fake Stripe) for the integration tests.

The parent binds a listening socket on 127.0.0.1 (port chosen by the kernel) and
hands it to a child process running `localstripe_launcher.py`, so there is no race
for the port and nothing ever listens beyond loopback.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import pytest

from stripe_async import StripeClient

LAUNCHER = Path(__file__).with_name("localstripe_launcher.py")
SECRET_KEY = "sk_test_localstripe"
PUBLISHABLE_KEY = "pk_test_localstripe"


class LocalStripe:
    """One localstripe process with fresh, in-memory state.

    `stripe_js_addon` enables the Payment Element stand-in (see the launcher).
    """

    def __init__(self, *, stripe_js_addon: Path | None = None, start_timeout: float = 15.0):
        self.stripe_js_addon = stripe_js_addon
        self.start_timeout = start_timeout
        self.url = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def start(self) -> LocalStripe:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        cmd = [sys.executable, str(LAUNCHER), "--fd", str(sock.fileno())]
        if self.stripe_js_addon is not None:
            cmd += ["--stripe-js-addon", str(self.stripe_js_addon)]
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        try:
            self._proc = subprocess.Popen(
                cmd,
                pass_fds=(sock.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        finally:
            # The child holds its own copy; closing ours makes a dead child refuse
            # connections instead of leaving them queued.
            sock.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self._proc is not None and self._proc.poll() is not None:
                raise RuntimeError(f"localstripe exited early:\n{self.output()}")
            try:
                httpx.get(f"{self.url}/js.stripe.com/v3/", timeout=2.0).raise_for_status()
                return
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"localstripe did not start:\n{self.output()}") from None
                time.sleep(0.05)

    def output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return str(self._log.read().decode("utf-8", "replace"))

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def flush(self) -> None:
        """Forget every object (localstripe's own `DELETE /_config/data`)."""
        httpx.delete(f"{self.url}/_config/data", timeout=5.0).raise_for_status()

    def register_webhook(
        self, name: str, url: str, secret: str, events: list[str] | None = None
    ) -> None:
        """Have localstripe POST signed events to `url` (its `/_config/webhooks` API)."""
        body: dict[str, Any] = {"url": url, "secret": secret}
        if events is not None:
            body["events"] = events
        httpx.post(f"{self.url}/_config/webhooks/{name}", json=body, timeout=5.0).raise_for_status()

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A raw call with the secret key, to look at localstripe's state directly."""
        headers = {"Authorization": f"Bearer {SECRET_KEY}"}
        return httpx.request(method, self.url + path, headers=headers, timeout=5.0, **kwargs)

    def __enter__(self) -> LocalStripe:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def make_client(server: LocalStripe, **kwargs: Any) -> StripeClient:
    return make_client_for(server.url, **kwargs)


def make_client_for(url: str, **kwargs: Any) -> StripeClient:
    """Our client for a localstripe at `url`."""
    # No retries: localstripe ignores Idempotency-Key, so a retried POST could
    # create twice, and its 500s mean "not implemented", not "try again".
    return StripeClient(SECRET_KEY, base_url=url, rate_limit=None, max_retries=0, **kwargs)


def require(client: StripeClient, service: str) -> None:
    """Skip until the resources work that adds `service` is merged."""
    if not hasattr(client, service):
        pytest.skip(f"client.{service} is not merged yet")


def object_id(value: object) -> str | None:
    """The id of an expandable field, whether it came as an id, a model or a dict."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value.get("id")
    return getattr(value, "id", None)
