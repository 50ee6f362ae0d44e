"""A reply's decoded size is capped while it streams: plain, gzip and deflate bombs."""

from __future__ import annotations

import gzip
import socket
import tracemalloc
import zlib
from typing import Any

import anyio
import httpx
import pytest
from loopback import BACKENDS, read_head, serving

from stripe_async import APIConnectionError, APIError, InvalidArgumentError, StripeClient

KEY = "sk_test_reply_size"
MiB = 1024 * 1024
BALANCE = b'{"object": "balance", "livemode": false, "available": [], "pending": [], "pad": "'


def serve_body(body: bytes, encoding: str | None = None, chunked: bool = False) -> Any:
    def handle(conn: socket.socket) -> None:
        while read_head(conn):
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            if encoding:
                head += b"Content-Encoding: %s\r\n" % encoding.encode()
            if chunked:
                conn.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n")
                for start in range(0, len(body), 65536):
                    piece = body[start : start + 65536]
                    conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                conn.sendall(b"0\r\n\r\n")
            else:
                conn.sendall(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)

    return handle


def bomb(size: int) -> bytes:
    """A gzip stream of `size` spaces: a JSON-valid prefix, then whitespace."""
    return gzip.compress(b"{}" + b" " * (size - 2), compresslevel=9)


async def retrieve(url: str, **kwargs: Any) -> Any:
    kwargs.setdefault("max_retries", 2)
    async with StripeClient(KEY, base_url=url, rate_limit=None, **kwargs) as client:
        with anyio.fail_after(20):
            return await client.balance.retrieve()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_gzip_bomb_fails_with_api_error_and_bounded_memory(backend: str) -> None:
    body = bomb(200 * MiB)  # ~200 KB on the wire
    with serving(serve_body(body, "gzip")) as server:
        tracemalloc.start()
        try:
            with pytest.raises(APIError, match="max_response_bytes") as caught:
                anyio.run(retrieve, server.url, backend=backend)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert server.connections == 1  # a size failure is not retried
    assert caught.value.http_status == 200
    assert peak < 48 * MiB  # the 32 MiB default cap plus change, not 200 MiB


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        (None, lambda b: b),
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
    ],
)
@pytest.mark.parametrize("chunked", [False, True])
def test_the_cap_is_configurable_and_applies_to_every_coding(
    encoding: str | None, compress: Any, chunked: bool
) -> None:
    small = BALANCE + b"x" * 900 + b'"}'
    large = BALANCE + b"x" * 5000 + b'"}'
    with serving(serve_body(compress(small), encoding, chunked)) as server:
        result = anyio.run(lambda: retrieve(server.url, max_response_bytes=4096))
        assert result.object == "balance"
    with (
        serving(serve_body(compress(large), encoding, chunked)) as server,
        pytest.raises(APIError, match="4096 bytes"),
    ):
        anyio.run(lambda: retrieve(server.url, max_response_bytes=4096))


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    def liar(conn: socket.socket) -> None:
        read_head(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n{")

    with serving(liar) as server, pytest.raises(APIError, match="larger than 1024"):
        anyio.run(lambda: retrieve(server.url, max_response_bytes=1024))


def test_a_corrupt_gzip_body_is_a_connection_error_not_a_crash() -> None:
    with (
        serving(serve_body(b"not gzip at all", "gzip")) as server,
        pytest.raises(APIConnectionError),
    ):
        anyio.run(lambda: retrieve(server.url, max_retries=0))


async def test_the_cap_applies_to_a_user_supplied_http_client() -> None:
    with serving(serve_body(bomb(8 * MiB), "gzip")) as server:
        async with httpx.AsyncClient() as http:
            client = StripeClient(
                KEY, base_url=server.url, http_client=http, rate_limit=None, max_response_bytes=MiB
            )
            with pytest.raises(APIError, match="max_response_bytes"):
                await client.balance.retrieve()


async def test_the_cap_applies_to_in_memory_replies() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"{}" + b" " * 2000)

    client = StripeClient(
        KEY, transport=httpx.MockTransport(handler), rate_limit=None, max_response_bytes=1000
    )
    with pytest.raises(APIError, match="1000 bytes"):
        await client.balance.retrieve()


def test_max_response_bytes_is_validated() -> None:
    with pytest.raises(InvalidArgumentError):
        StripeClient(KEY, max_response_bytes=0)
    with pytest.raises(TypeError):
        StripeClient(KEY, max_response_bytes=1.5)  # type: ignore[arg-type]
