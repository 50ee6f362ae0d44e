"""`python -m stripe_async emulator` in a child process on a free 127.0.0.1 port."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_emulator(
    *args: str, env: dict[str, str] | None = None, start_within: float = 30
) -> Iterator[str]:
    """Yield the served emulator's base URL once it accepts connections; stop it after.

    Its output goes to a file (a pipe nobody reads could fill and stall it) and is
    shown if it exits before it starts.
    """
    port = free_port()
    with tempfile.TemporaryFile(mode="w+") as output:
        proc = subprocess.Popen(
            [sys.executable, "-m", "stripe_async", "emulator", "--port", str(port), *args],
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        try:
            deadline = time.monotonic() + start_within
            while True:
                if proc.poll() is not None:
                    output.seek(0)
                    raise AssertionError(f"the emulator exited: {output.read()}")
                assert time.monotonic() < deadline, "the emulator did not start"
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
