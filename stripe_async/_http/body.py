"""Replies read whole, decoded here so that their decoded size is capped while streaming."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any, NamedTuple, Union

import httpx

__all__ = [
    "ACCEPT_ENCODING",
    "Outgoing",
    "Proxy",
    "Reply",
    "ReplyTooLarge",
    "read_body",
    "send_via_client",
]

#: What `proxy=` takes: a URL such as "http://proxy.internal:3128", or an httpx.Proxy.
Proxy = Union[str, httpx.URL, httpx.Proxy]


class Outgoing(NamedTuple):
    """One request as the pool sends it: what to send, its deadline and the reply cap."""

    method: str
    url: str
    content: bytes | None
    headers: Mapping[str, str]
    timeout: float
    max_bytes: int  # the most a reply's decoded body may hold


class Reply(NamedTuple):
    """What the request loop needs of an HTTP reply, its body read in full."""

    status_code: int
    headers: httpx.Headers
    content: bytes


class ReplyTooLarge(Exception):
    """A reply's decoded body grew past the configured limit (raised while reading)."""

    def __init__(self, limit: int, status_code: int, headers: httpx.Headers) -> None:
        super().__init__(f"the reply is larger than {limit} bytes")
        self.limit = limit
        self.status_code = status_code
        self.headers = headers


#: The content codings `read_body` decodes itself, and so the only ones we ask for.
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024


def _decompressor(coding: str, first: bytes) -> Any:
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    # "deflate" is meant to be zlib-wrapped, but some servers send it raw.
    wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """Read and decode a streamed reply, failing once it passes `limit` decoded bytes.

    gzip and deflate are inflated here 64 KiB at a time, so a compression bomb costs
    no more memory than the limit allows.
    """
    status, headers = response.status_code, response.headers
    if response.is_stream_consumed:  # a reply built in memory (a mock transport, respx)
        if len(response.content) > limit:
            raise ReplyTooLarge(limit, status, headers)
        return response.content
    declared = headers.get("content-length", "")
    codings = [c.strip().lower() for c in headers.get("content-encoding", "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings and declared.isdigit() and int(declared) > limit:
        raise ReplyTooLarge(limit, status, headers)
    if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
        # A coding we did not ask for: httpx decodes it, counted chunk by chunk.
        return await _read_counted(response.aiter_bytes(), limit, status, headers)
    if not codings:
        return await _read_counted(response.aiter_raw(), limit, status, headers)
    # A list of pieces, joined once: growing one buffer would briefly hold it twice.
    pieces: list[bytes] = []
    size = 0
    decoder: Any = None
    async for chunk in response.aiter_raw():
        if decoder is None:
            decoder = _decompressor(codings[0], chunk)
        data = chunk
        while data:
            try:
                piece = decoder.decompress(data, min(_CHUNK, limit + 1 - size))
            except zlib.error as exc:
                raise httpx.DecodingError(f"could not decode the reply: {exc}") from None
            pieces.append(piece)
            size += len(piece)
            if size > limit:
                raise ReplyTooLarge(limit, status, headers)
            data = decoder.unconsumed_tail
    if decoder is not None:
        pieces.append(decoder.flush())
        if size + len(pieces[-1]) > limit:
            raise ReplyTooLarge(limit, status, headers)
    return b"".join(pieces)


async def _read_counted(chunks: Any, limit: int, status: int, headers: httpx.Headers) -> bytes:
    pieces: list[bytes] = []
    size = 0
    async for chunk in chunks:
        pieces.append(chunk)
        size += len(chunk)
        if size > limit:
            raise ReplyTooLarge(limit, status, headers)
    return b"".join(pieces)


async def send_via_client(client: httpx.AsyncClient, out: Outgoing) -> Reply:
    """Send through any AsyncClient (its hooks, auth and proxies apply); read a capped reply."""
    request = client.build_request(
        out.method, out.url, content=out.content, headers=out.headers, timeout=out.timeout
    )
    response = await client.send(request, stream=True)
    try:
        body = await read_body(response, out.max_bytes)
    finally:
        await response.aclose()
    return Reply(response.status_code, response.headers, body)
