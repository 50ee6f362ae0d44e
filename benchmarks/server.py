"""A small, fast keep-alive HTTP/1.1 server answering canned Stripe objects.

Run as its own process so that its CPU time never counts against a client:

    python benchmarks/server.py            # prints the port it listens on

Routes: `POST /v1/payment_intents` returns a PaymentIntent at once;
`GET /v1/customers` returns 100-customer pages (20 of them, following
`starting_after`) after `--latency` seconds (default 0.05); `GET /v1/balance`
answers at once and notes when each request arrived (`time.monotonic()`, the
same clock in every process), which `GET /bench/arrivals` returns and forgets;
`GET /v1/checkout/sessions/<id>` returns a Checkout Session at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from payloads import checkout_session, customer_page, dumps, payment_intent

PAGES = 20
PER_PAGE = 100


def _response(body: bytes, status: str = "200 OK") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Request-Id: req_bench\r\n"
        "Stripe-Version: 2026-10-28.endive\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


CREATED = _response(dumps(payment_intent()))
SESSION = _response(dumps(checkout_session()))
BALANCE = _response(b'{"object":"balance","livemode":false,"available":[],"pending":[]}')
ARRIVALS: list[float] = []
NOT_FOUND = _response(b'{"error":{"type":"invalid_request_error"}}', "404 Not Found")
# The cursor of page n is the last customer id of page n - 1.
PAGE_BY_CURSOR: dict[str | None, bytes] = {}
for _page in range(PAGES):
    _body = customer_page(_page, per_page=PER_PAGE, pages=PAGES)
    _cursor = None if _page == 0 else customer_page(_page - 1, per_page=PER_PAGE)["data"][-1]["id"]
    PAGE_BY_CURSOR[_cursor] = _response(dumps(_body))


class StripeDouble(asyncio.Protocol):
    """Parses pipelined HTTP/1.1 requests out of a buffer and answers each."""

    latency = 0.05

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            total = end + 4 + length
            if len(self.buffer) < total:
                return
            self.buffer = self.buffer[total:]
            self.handle(head.split(b" ", 2))

    def handle(self, request_line: list[bytes]) -> None:
        assert self.transport is not None
        method, target = request_line[0], request_line[1].decode("ascii")
        if method == b"POST" and target == "/v1/payment_intents":
            self.transport.write(CREATED)
            return
        url = urlsplit(target)
        if method == b"GET" and url.path == "/v1/balance":
            ARRIVALS.append(time.monotonic())
            self.transport.write(BALANCE)
            return
        if method == b"GET" and url.path.startswith("/v1/checkout/sessions/"):
            self.transport.write(SESSION)
            return
        if method == b"GET" and url.path == "/bench/arrivals":
            self.transport.write(_response(json.dumps(ARRIVALS).encode()))
            ARRIVALS.clear()
            return
        if method == b"GET" and url.path == "/v1/customers":
            cursor = parse_qs(url.query).get("starting_after", [None])[0]
            reply = PAGE_BY_CURSOR.get(cursor, NOT_FOUND)
            loop = asyncio.get_running_loop()
            loop.call_later(self.latency, self._write, reply)
            return
        self.transport.write(NOT_FOUND)

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)


async def serve(port: int, latency: float) -> None:
    StripeDouble.latency = latency
    loop = asyncio.get_running_loop()
    server = await loop.create_server(StripeDouble, "127.0.0.1", port, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.latency))


if __name__ == "__main__":
    main()
