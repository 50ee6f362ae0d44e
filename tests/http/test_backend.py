"""The asyncio network backend sends a request's pieces together."""

from __future__ import annotations

import socket
import threading

from stripe_async._http.backend import AsyncioBackend


async def test_small_writes_leave_in_one_send_when_the_reply_is_read() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            received.append(conn.recv(65536))
            conn.sendall(b"ok")

    thread = threading.Thread(target=serve)
    thread.start()
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", listener.getsockname()[1], 5)
    sent: list[bytes] = []
    transport = stream._transport  # type: ignore[attr-defined]
    write = transport.write
    transport.write = lambda data: (sent.append(bytes(data)), write(data))[1]
    await stream.write(b"POST / HTTP/1.1\r\ncontent-length: 4\r\n\r\n", 5)
    await stream.write(b"body", 5)
    assert sent == []  # held until the reply is read
    assert await stream.read(100, 5) == b"ok"
    assert sent == [b"POST / HTTP/1.1\r\ncontent-length: 4\r\n\r\nbody"]
    await stream.aclose()
    thread.join(5)
    listener.close()
    assert received == sent


async def test_a_large_body_is_sent_without_waiting_for_the_read() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def hold() -> None:
        conn, _ = listener.accept()
        with conn:
            done.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", listener.getsockname()[1], 5)
    sent: list[int] = []
    transport = stream._transport  # type: ignore[attr-defined]
    write = transport.write
    transport.write = lambda data: (sent.append(len(data)), write(data))[1]
    await stream.write(b"x" * 100_000, 5)
    assert sent == [100_000]
    done.set()
    await stream.aclose()
    thread.join(5)
    listener.close()
