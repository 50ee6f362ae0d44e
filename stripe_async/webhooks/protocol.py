"""Connection deadlines for the receiver under uvicorn: no silent socket holds it.

uvicorn arms its keep-alive timeout only after a response, so a connection that
never sends anything, or trickles header lines, is held forever; enough of them
lock every delivery out. `DeadlineProtocol` wraps uvicorn's own HTTP protocol
(httptools when installed, else h11) through uvicorn's public `http=` setting and
closes the socket when

- nothing arrives for `idle_timeout` seconds after it opens or after the last
  byte of a response (idle keep-alive), or
- a request head is not complete `header_timeout` seconds after its first byte.

A head larger than `max_head_bytes` is answered 431 and the socket closed:
httptools, unlike h11, sets no limit of its own.

The body deadline belongs to the app (`create_app(body_timeout=...)`: 408 and
close), which knows when the body is complete. Use it with uvicorn directly:
``uvicorn app:app --http stripe_async.webhooks.protocol:DeadlineProtocol``.
"""

from __future__ import annotations

import asyncio
import enum
from typing import Any, ClassVar

__all__ = [
    "DEFAULT_HEADER_TIMEOUT",
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAX_HEAD_BYTES",
    "DeadlineProtocol",
    "deadline_protocol",
    "uvicorn_http_protocol",
]

DEFAULT_IDLE_TIMEOUT = 5.0
DEFAULT_HEADER_TIMEOUT = 5.0
# h11's own limit; a Stripe delivery's head is well under 2 KiB.
DEFAULT_MAX_HEAD_BYTES = 16_384
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-length: 0\r\nconnection: close\r\n\r\n"
)


def _head_end(data: bytes) -> int:
    """The index just past the blank line ending a request head in `data`, or -1."""
    ends = [i + 3 for i in (data.find(b"\n\r\n"),) if i >= 0]
    ends += [i + 2 for i in (data.find(b"\n\n"),) if i >= 0]
    return min(ends, default=-1)


def uvicorn_http_protocol() -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol when httptools is installed, else its h11 one.

    h11 parses a body of many tiny chunks in pure Python, holding the event loop for
    seconds; the `server` extra installs httptools so that `serve` never uses h11.
    """
    try:
        import httptools  # noqa: F401
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol

        return H11Protocol
    return HttpToolsProtocol


class _Phase(enum.Enum):
    IDLE = "idle"  # open or answered, waiting for a request's first byte
    HEAD = "head"  # a request head is arriving
    REQUEST = "request"  # the head is complete: the app reads the body and answers
    RESPONSE = "response"  # the app has started answering


class _WatchedTransport(asyncio.Transport):
    """The socket as the wrapped protocol sees it: every write is reported first."""

    def __init__(self, transport: asyncio.Transport, guard: DeadlineProtocol) -> None:
        super().__init__()
        self._transport = transport
        self._guard = guard

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._guard._wrote()
        self._transport.write(data)

    def writelines(self, list_of_data: Any) -> None:
        self._guard._wrote()
        self._transport.writelines(list_of_data)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def close(self) -> None:
        self._transport.close()

    def abort(self) -> None:
        self._transport.abort()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size()

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def write_eof(self) -> None:
        self._transport.write_eof()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        # A protocol switch (an upgrade) leaves the deadlines behind; `serve` runs
        # with websockets off, so this only forwards.
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()


class DeadlineProtocol(asyncio.Protocol):
    """uvicorn's HTTP protocol with an idle deadline, a request-head deadline and a
    request-head size limit.

    uvicorn builds one per connection with its own keyword arguments, which are
    passed on unchanged to the wrapped protocol.
    """

    idle_timeout: ClassVar[float] = DEFAULT_IDLE_TIMEOUT
    header_timeout: ClassVar[float] = DEFAULT_HEADER_TIMEOUT
    max_head_bytes: ClassVar[int] = DEFAULT_MAX_HEAD_BYTES
    inner_class: ClassVar[type[asyncio.Protocol] | None] = None

    def __init__(self, **kwargs: Any) -> None:
        inner_class = self.inner_class or uvicorn_http_protocol()
        self._inner = inner_class(**kwargs)
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._phase = _Phase.IDLE
        self._tail = b""
        self._head_bytes = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._arm(self.idle_timeout)
        self._inner.connection_made(_WatchedTransport(transport, self))

    def data_received(self, data: bytes) -> None:
        # Looked at before the wrapped protocol runs: it may answer at once.
        if self._phase in (_Phase.IDLE, _Phase.RESPONSE):
            data_left = data.lstrip(b"\r\n")  # blank lines before a request line are allowed
            if data_left:
                self._phase = _Phase.HEAD
                self._tail = b""
                self._head_bytes = 0
                self._arm(self.header_timeout)
                if not self._scan_head(data_left):
                    return
        elif self._phase is _Phase.HEAD and not self._scan_head(data):
            return
        self._inner.data_received(data)

    def _scan_head(self, data: bytes) -> bool:
        """Follow the head through `data`; False when it is too large (then refused)."""
        seen = self._tail + data
        end = _head_end(seen)
        size = self._head_bytes + (len(data) if end < 0 else end - len(self._tail))
        if size > self.max_head_bytes:
            self._refuse_head()
            return False
        if end < 0:
            self._head_bytes = size
            self._tail = seen[-2:]
        else:
            self._phase = _Phase.REQUEST
            self._disarm()
        return True

    def _refuse_head(self) -> None:
        self._disarm()
        transport = self._transport
        assert transport is not None
        self._phase = _Phase.RESPONSE
        if not transport.is_closing():
            transport.write(_TOO_LARGE)
            transport.close()

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def _wrote(self) -> None:
        # Counted from the last byte out, so a reader that stops reading is also cut off.
        self._phase = _Phase.RESPONSE
        self._arm(self.idle_timeout)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expired(self) -> None:
        self._timer = None
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if transport.get_write_buffer_size():
            transport.abort()  # a peer that does not read would keep a graceful close waiting
        else:
            transport.close()


def deadline_protocol(
    *,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    max_head_bytes: int = DEFAULT_MAX_HEAD_BYTES,
    inner_class: type[asyncio.Protocol] | None = None,
) -> type[DeadlineProtocol]:
    """A `DeadlineProtocol` class with these limits, for `uvicorn.Config(http=...)`.

    `inner_class` is the uvicorn protocol to wrap (default: `uvicorn_http_protocol()`).
    """
    for name, value in (("idle_timeout", idle_timeout), ("header_timeout", header_timeout)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ValueError(f"{name} must be a positive number of seconds")
    if (
        isinstance(max_head_bytes, bool)
        or not isinstance(max_head_bytes, int)
        or max_head_bytes < 1
    ):
        raise ValueError("max_head_bytes must be a positive int")

    class ConfiguredDeadlineProtocol(DeadlineProtocol):
        pass

    ConfiguredDeadlineProtocol.idle_timeout = float(idle_timeout)
    ConfiguredDeadlineProtocol.header_timeout = float(header_timeout)
    ConfiguredDeadlineProtocol.max_head_bytes = max_head_bytes
    ConfiguredDeadlineProtocol.inner_class = inner_class
    return ConfiguredDeadlineProtocol
