"""`DeadlineProtocol`: the idle and request-head deadlines, on real loopback sockets."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from serve_harness import free_port
from webhook_helpers import SECRET

from stripe_async.webhooks import WebhookRouter, create_app
from stripe_async.webhooks.protocol import (
    DeadlineProtocol,
    deadline_protocol,
    uvicorn_http_protocol,
)
from stripe_async.webhooks.serve import uvicorn_config

SHORT = 0.4  # the deadlines under test; SLACK covers a loaded machine
SLACK = 1.5


class Answering(asyncio.Protocol):
    """Stands in for uvicorn's protocol: answers each request head with `reply`."""

    reply = [b"HTTP/1.1 200 OK\r\n", b"content-length: 0\r\n\r\n"]
    seen: list[str]

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.buffer = b""
        Answering.seen.append("init")

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            _, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            if self.reply:
                self.transport.writelines(self.reply)

    def eof_received(self) -> bool | None:
        Answering.seen.append("eof")
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        Answering.seen.append("lost")


@pytest.fixture
async def server() -> AsyncIterator[int]:
    Answering.seen = []
    protocol = deadline_protocol(
        idle_timeout=SHORT, header_timeout=SHORT, max_head_bytes=600, inner_class=Answering
    )
    loop = asyncio.get_running_loop()
    listener = await loop.create_server(lambda: protocol(config="cfg"), "127.0.0.1", 0)
    try:
        yield listener.sockets[0].getsockname()[1]
    finally:
        listener.close()


async def closed_after(reader: asyncio.StreamReader) -> tuple[float, bytes]:
    start = time.monotonic()
    received = b""
    try:
        while chunk := await asyncio.wait_for(reader.read(65536), SHORT * 2 + SLACK):
            received += chunk
    except ConnectionError:
        pass
    return time.monotonic() - start, received


async def test_a_silent_connection_is_closed_after_the_idle_deadline(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    held, received = await closed_after(reader)
    writer.close()
    assert received == b"" and SHORT * 0.8 <= held <= SHORT + SLACK
    assert Answering.seen == ["init", "lost"]


async def test_a_trickled_head_is_cut_at_the_header_deadline(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    writer.write(b"\r\n")  # blank lines before a request do not start its head
    await asyncio.sleep(SHORT * 0.6)
    writer.write(b"GET / HTTP/1.1\r\n")
    start = time.monotonic()

    async def trickle() -> None:
        for _ in range(100):
            await asyncio.sleep(SHORT / 4)
            writer.write(b"x: y\r\n")

    task = asyncio.create_task(trickle())
    _, received = await closed_after(reader)
    task.cancel()
    writer.close()
    assert received == b"" and time.monotonic() - start <= SHORT + SLACK


async def test_a_prompt_client_is_answered_and_kept_alive_until_idle(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    for _ in range(3):  # each request resets the clock
        writer.write(b"GET / HTTP/1.1\r\nhost: x")
        await asyncio.sleep(SHORT / 2)
        writer.write(b"\r\n\r\n")
        assert await reader.readuntil(b"\r\n\r\n") == b"".join(Answering.reply)
        await asyncio.sleep(SHORT / 2)
    held, received = await closed_after(reader)
    writer.close()
    assert received == b"" and held <= SHORT + SLACK


async def test_a_peer_that_does_not_read_its_reply_is_aborted(server: int) -> None:
    Answering.reply = [b"x" * 32_000_000]  # far more than the socket buffers hold
    loop = asyncio.get_running_loop()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, ("127.0.0.1", server))
            await loop.sock_sendall(sock, b"GET / HTTP/1.1\r\n\r\n")
            # Never read: a graceful close would wait for the reply to drain, forever.
            deadline = time.monotonic() + SHORT + SLACK
            while "lost" not in Answering.seen and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        finally:
            del Answering.reply
    assert "lost" in Answering.seen


async def test_a_head_over_the_size_limit_is_431_and_never_reaches_uvicorn(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    writer.write(b"GET / HTTP/1.1\r\n" + b"x: " + b"a" * 300 + b"\r\n")
    await asyncio.sleep(0.1)  # two reads: the limit holds across them
    writer.write(b"y: " + b"b" * 300 + b"\r\n\r\n")  # 626 bytes in all, over 600
    _, received = await closed_after(reader)
    writer.close()
    assert received.startswith(b"HTTP/1.1 431 ")
    assert Answering.seen == ["init", "lost"]  # the wrapped protocol answered nothing


async def test_a_complete_head_is_not_cut_while_the_app_works(server: int) -> None:
    Answering.reply = []  # the app takes its time: no deadline of ours applies then
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", server)
        writer.write(b"GET / HTTP/1.1\r\nhost: x\r\n\r")
        await asyncio.sleep(SHORT / 2)
        writer.write(b"\n")  # the blank line split across two reads
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(reader.read(1), SHORT * 3)
        writer.close()
    finally:
        del Answering.reply


async def test_eof_is_passed_on(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    writer.write_eof()
    await closed_after(reader)
    writer.close()
    assert "eof" in Answering.seen


def test_the_transport_seen_by_the_wrapped_protocol_forwards_everything() -> None:
    calls: list[str] = []

    class Transport(asyncio.Transport):
        def __getattribute__(self, name: str) -> Any:
            if name.startswith("_") or name in ("get_extra_info",):
                return object.__getattribute__(self, name)
            return lambda *args: calls.append(name)

        def get_extra_info(self, name: str, default: Any = None) -> Any:
            return {"peername": ("127.0.0.1", 1)}.get(name, default)

    class Inner(asyncio.Protocol):
        def __init__(self, **kwargs: Any) -> None:
            pass

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport

    async def main() -> None:
        protocol = deadline_protocol(inner_class=Inner)()
        protocol.connection_made(Transport())
        seen = protocol._inner.transport  # type: ignore[attr-defined]
        assert seen.get_extra_info("peername") == ("127.0.0.1", 1)
        for name in (
            "is_closing",
            "close",
            "abort",
            "is_reading",
            "pause_reading",
            "resume_reading",
            "get_write_buffer_size",
            "get_write_buffer_limits",
            "can_write_eof",
            "write_eof",
            "get_protocol",
        ):
            getattr(seen, name)()
        seen.set_write_buffer_limits(10, 1)
        seen.set_protocol(Inner())
        seen.write(b"x")
        protocol.pause_writing()
        protocol.resume_writing()
        protocol.connection_lost(None)

    asyncio.run(main())
    assert calls == [
        "is_closing",
        "close",
        "abort",
        "is_reading",
        "pause_reading",
        "resume_reading",
        "get_write_buffer_size",
        "get_write_buffer_limits",
        "can_write_eof",
        "write_eof",
        "get_protocol",
        "set_write_buffer_limits",
        "set_protocol",
        "write",
    ]


def test_deadlines_must_be_positive_numbers() -> None:
    for bad in (0, -1.0, True, "5"):
        with pytest.raises(ValueError, match="idle_timeout"):
            deadline_protocol(idle_timeout=bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="header_timeout"):
            deadline_protocol(header_timeout=bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="max_head_bytes"):
            deadline_protocol(max_head_bytes=bad)  # type: ignore[arg-type]
    assert DeadlineProtocol.idle_timeout == DeadlineProtocol.header_timeout == 5.0


def test_without_httptools_the_h11_protocol_is_wrapped_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    assert uvicorn_http_protocol().__name__ == "HttpToolsProtocol"
    monkeypatch.setitem(sys.modules, "httptools", None)
    assert uvicorn_http_protocol().__name__ == "H11Protocol"
    with caplog.at_level(logging.WARNING, "stripe_async.webhooks"):
        config = uvicorn_config(object(), host="127.0.0.1", port=0)
    assert config.http.inner_class.__name__ == "H11Protocol"
    assert "httptools is not installed" in caplog.text


@pytest.fixture
def uvicorn_with_short_deadlines() -> Iterator[int]:
    import uvicorn

    app = create_app(WebhookRouter(SECRET), body_timeout=SHORT * 2)
    port = free_port()
    http = deadline_protocol(idle_timeout=SHORT, header_timeout=SHORT)
    config = uvicorn_config(app, host="127.0.0.1", port=port, http=http, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.parametrize(
    ("sent", "reply"),
    [
        (b"", b""),
        (b"POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\n", b""),
        (b"POST /webhooks/stripe HTTP/1.1\r\ncontent-length: 50\r\n\r\n{", b"HTTP/1.1 408"),
        (b"GET /nowhere HTTP/1.1\r\n\r\n", b"HTTP/1.1 404"),
        (b"GET / HTTP/1.1\r\nx: " + b"a" * 20_000 + b"\r\n\r\n", b"HTTP/1.1 431"),
    ],
    ids=["silent", "trickled-head", "stalled-body", "idle-after-reply", "head-too-large"],
)
async def test_under_uvicorn_every_kind_of_held_socket_is_closed(
    uvicorn_with_short_deadlines: int, sent: bytes, reply: bytes
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", uvicorn_with_short_deadlines)
    writer.write(sent)
    held, received = await closed_after(reader)
    writer.close()
    assert received.startswith(reply) and held <= SHORT * 2 + SLACK
