"""The default transport under the conditions real networks produce."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import httpcore
import pytest

from stripe_async import APIConnectionError, StripeClient, StripeError
from stripe_async._http.backend import AsyncioBackend
from stripe_async._http.client import OwnedClient

if TYPE_CHECKING:
    from conftest import FaultServer

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return await reader.readexactly(length) if length else b""


def reply(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    servers: list[asyncio.AbstractServer] = []

    async def start(handler: Handler) -> str:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        servers.append(server)
        return f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"

    yield start
    for server in servers:
        server.close()


async def test_connection_refused_is_an_api_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with StripeClient(
        "sk_test_x", base_url=f"http://127.0.0.1:{port}", rate_limit=None, max_retries=0
    ) as client:
        with pytest.raises(APIConnectionError):
            await client.balance.retrieve()


async def test_a_keep_alive_connection_the_server_closed_is_not_reused(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    connections = 0

    async def one_reply_then_close(reader: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await read_request(reader)
        w.write(reply(b'{"object": "balance"}'))
        await w.drain()
        w.close()  # no Connection: close header, as idle timeouts on servers do

    base = await serve(one_reply_then_close)
    async with StripeClient("sk_test_x", base_url=base, rate_limit=None, max_retries=0) as client:
        for _ in range(3):
            await client.balance.retrieve()
            await asyncio.sleep(0.02)  # the close arrives while the connection is idle
    assert connections == 3


async def test_large_replies_and_bodies_stream_through(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    big_reply = b'{"object": "balance", "pad": "' + b"x" * 3_000_000 + b'"}'
    received: list[int] = []

    async def slow_reader(reader: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.1)  # let the client's send buffer fill up first
        received.append(len(await read_request(reader)))
        w.write(reply(big_reply))
        await w.drain()
        w.close()

    base = await serve(slow_reader)
    async with StripeClient("sk_test_x", base_url=base, rate_limit=None, max_retries=0) as client:
        content, meta = await client._requester.request(
            "POST", "/v1/balance", {"metadata": {"blob": "y" * 8_000_000}}
        )
    assert content == big_reply
    assert meta.http_status == 200
    assert received[0] > 8_000_000


async def test_environment_proxy_is_still_honoured(
    fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", fault_server.base_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with StripeClient(
        "sk_test_x", base_url="http://api.stripe.invalid", rate_limit=None, max_retries=0
    ) as client:
        assert isinstance(client._requester.http_client, OwnedClient)
        balance = await client.balance.retrieve()
    assert balance.livemode is False
    assert fault_server.seen[0].headers["host"] == "api.stripe.invalid"


async def test_a_closed_client_refuses_to_send(fault_server: FaultServer) -> None:
    client = StripeClient("sk_test_x", base_url=fault_server.base_url, rate_limit=None)
    await client.aclose()
    with pytest.raises((RuntimeError, StripeError)):
        await client.balance.retrieve()
    assert fault_server.requests_served == 0


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


async def test_backend_upgrades_to_tls(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await reader.readexactly(5))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    try:
        backend = AsyncioBackend()
        plain = await backend.connect_tcp("127.0.0.1", port, timeout=5)
        client_ctx = ssl.create_default_context(cafile=str(cert))
        stream = await plain.start_tls(client_ctx, server_hostname="localhost", timeout=5)
        assert stream.get_extra_info("ssl_object") is not None
        assert stream.get_extra_info("server_addr")[1] == port
        await stream.write(b"hello", timeout=5)
        assert await stream.read(5, timeout=5) == b"hello"
        await stream.aclose()

        # A certificate the client does not trust fails as a connect error.
        plain = await backend.connect_tcp("127.0.0.1", port, timeout=5)
        with pytest.raises(httpcore.ConnectError):
            await plain.start_tls(ssl.create_default_context(), "localhost", timeout=5)
    finally:
        server.close()


async def test_backend_read_timeout_and_unix_sockets(tmp_path: Path) -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    path = str(tmp_path / "s.sock")
    server = await asyncio.start_unix_server(silent, path)
    try:
        backend = AsyncioBackend()
        stream = await backend.connect_unix_socket(path, timeout=5)
        with pytest.raises(httpcore.ReadTimeout):
            await stream.read(10, timeout=0.05)
        await stream.aclose()
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_unix_socket(str(tmp_path / "missing.sock"), timeout=5)
    finally:
        server.close()
