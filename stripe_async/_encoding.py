"""Form encoding exactly as Stripe expects it (pure functions, stdlib only).

Nested dicts become `address[city]=SF`, lists `items[0][price]=p`, booleans
`true`/`false`; `None` is dropped and `""` is sent (it unsets a field on Stripe).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

__all__ = [
    "encode_form",
    "encode_multipart",
    "encode_pairs",
    "encode_scalar",
    "form_from_pairs",
    "multipart_parts",
    "render_multipart",
]

#: One multipart part: its name, then a field's text or a file's name, then for a
#: file its (content, content type), for a field None.
Part = tuple[str, str, tuple[bytes, str] | None]


def encode_scalar(value: Any) -> str:
    """Encode one leaf value the way Stripe parses it."""
    if isinstance(value, enum.Enum):
        # Before int and str: an IntEnum's str() is "Kind.A" before Python 3.11.
        return encode_scalar(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr() would give 1e-07; Stripe wants plain decimal notation.
        return _plain_decimal(decimal.Decimal(repr(value)))
    if isinstance(value, decimal.Decimal):
        return _plain_decimal(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return str(int(value.timestamp()))
    if isinstance(value, _dt.date):
        midnight = _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc)
        return str(int(midnight.timestamp()))
    object_id = getattr(value, "id", None)
    if isinstance(object_id, str):
        return object_id
    return str(value)


def _plain_decimal(value: decimal.Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cannot send a non-finite number to Stripe: {value}")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _is_object_with_id(value: Any) -> bool:
    return not isinstance(value, (str, bytes, Mapping, list, tuple)) and isinstance(
        getattr(value, "id", None), str
    )


def encode_pairs(params: Mapping[str, Any], prefix: str | None = None) -> Iterator[tuple[str, str]]:
    """Flatten params into (key, value) pairs with Stripe's bracket notation."""
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix is not None else str(key)
        yield from _encode_value(name, value)


def _encode_value(name: str, value: Any) -> Iterator[tuple[str, str]]:
    if value is None:
        return
    if isinstance(value, Mapping):
        yield from encode_pairs(value, name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _encode_value(f"{name}[{index}]", item)
    elif _is_object_with_id(value):
        yield name, value.id
    else:
        yield name, encode_scalar(value)


def encode_form(params: Mapping[str, Any] | None) -> str:
    """Encode params as an application/x-www-form-urlencoded string (also the query string)."""
    if not params:
        return ""
    return form_from_pairs(encode_pairs(params))


def form_from_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """Join pairs from `encode_pairs` into a form string (checked pairs are sent as they are)."""
    return "&".join(f"{quote(key, safe='[]')}={quote(value, safe='')}" for key, value in pairs)


def _file_part(value: Any) -> tuple[str, bytes, str] | None:
    """(filename, content, content type) when `value` is a file to upload, else None."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "upload", bytes(value), "application/octet-stream"
    if isinstance(value, tuple) and len(value) in (2, 3) and isinstance(value[1], (bytes, str)):
        content = value[1].encode() if isinstance(value[1], str) else value[1]
        kind = value[2] if len(value) == 3 else "application/octet-stream"
        return str(value[0]), content, str(kind)
    read = getattr(value, "read", None)
    if callable(read):
        data = read()
        content = data.encode() if isinstance(data, str) else bytes(data)
        name = str(getattr(value, "name", "upload")).replace("\\", "/").rsplit("/", 1)[-1]
        return name, content, "application/octet-stream"
    return None


def encode_multipart(params: Mapping[str, Any], boundary: str) -> bytes:
    """Encode params as multipart/form-data (file uploads): files as parts, the rest as fields.

    A file is `bytes`, an open binary file, or `(filename, content[, content_type])`.
    """
    return render_multipart(multipart_parts(params), boundary)


def multipart_parts(params: Mapping[str, Any]) -> list[Part]:
    """The parts `encode_multipart` sends, once: an open file is read here, and only here."""
    parts: list[Part] = []
    for key, value in params.items():
        file = _file_part(value)
        if file is None:
            parts.extend((name, text, None) for name, text in _encode_value(str(key), value))
        else:
            filename, content, kind = file
            parts.append((str(key), filename, (content, kind)))
    return parts


def render_multipart(parts: Iterable[Part], boundary: str) -> bytes:
    """The multipart/form-data body of `parts` (from `multipart_parts`)."""
    chunks: list[bytes] = []
    for name, text, file in parts:
        disposition = f'--{boundary}\r\nContent-Disposition: form-data; name="{_header_safe(name)}"'
        if file is None:
            chunks.append(f"{disposition}\r\n\r\n{text}\r\n".encode())
        else:
            content, kind = file
            chunks.append(
                f'{disposition}; filename="{_header_safe(text)}"\r\n'
                f"Content-Type: {kind}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks)


def _header_safe(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")
