"""Stripe's webhook signing scheme, stdlib only.

Header: `t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=...]`. The signed string is
`"<t>." + raw body`; the signature is HMAC-SHA256 keyed with the endpoint secret,
in lowercase hex. Any one matching `v1` passes; other schemes are ignored.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import time
from collections.abc import Sequence
from typing import Union

from ..errors import InvalidArgumentError, SignatureVerificationError

__all__ = [
    "DEFAULT_TOLERANCE",
    "EXPECTED_SCHEME",
    "Payload",
    "compute_signature",
    "generate_test_header",
    "parse_header",
    "verify_signature",
]

DEFAULT_TOLERANCE = 300
# The raw request body; str only when a framework already decoded it (UTF-8).
Payload = Union[bytes, bytearray, memoryview, str]
EXPECTED_SCHEME = "v1"
# Real headers are well under 1 KiB even mid-rotation; the cap bounds the work an
# attacker can make us do per request.
_MAX_HEADER_LENGTH = 8192
# Unix seconds fit in 11 digits until the year 5138; more is never a real timestamp.
# The shape of nearly every real header; anything else takes the general parser,
# which gives the same answer for this shape.
_COMMON_HEADER = re.compile(r"t=([1-9][0-9]{0,11}),v1=([0-9a-f]{64})")

_RAW_BODY_HINT = (
    "Pass the raw request body exactly as received (bytes, e.g. `await request.body()`), "
    "not a parsed or re-serialized object: any change to the bytes breaks the signature."
)


@functools.lru_cache(maxsize=32)
def _keyed_hmac(key: bytes) -> hmac.HMAC:
    # Keying HMAC costs about as much as hashing a small event; copying a keyed
    # object does not, and a receiver verifies with the same few secrets forever.
    return hmac.new(key, digestmod=hashlib.sha256)


def _hex_hmac(key: bytes, message: bytes) -> str:
    mac = _keyed_hmac(key).copy()
    mac.update(message)
    return mac.hexdigest()


def compute_signature(secret: str | bytes, timestamp: int, payload: bytes) -> str:
    """Lowercase hex HMAC-SHA256 of `"<timestamp>." + payload` keyed with `secret`."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return _hex_hmac(key, b"%d.%b" % (timestamp, payload))


def generate_test_header(
    payload: Payload, secret: str, timestamp: int | None = None, *, scheme: str = "v1"
) -> str:
    """A valid `Stripe-Signature` header for `payload`, for your own tests."""
    body = _payload_bytes(payload)
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={ts},{scheme}={compute_signature(secret, ts, body)}"


def _payload_bytes(payload: object) -> bytes:
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, (bytearray, memoryview)):
        return bytes(payload)
    if isinstance(payload, str):
        # A str is accepted only because some frameworks hand out the decoded body;
        # it must still be the body exactly as received.
        try:
            return payload.encode("utf-8")
        except UnicodeEncodeError:
            raise SignatureVerificationError(
                "The payload is not valid UTF-8 text. " + _RAW_BODY_HINT
            ) from None
    raise TypeError(
        f"payload must be the raw request body as bytes, not {type(payload).__name__}. "
        + _RAW_BODY_HINT
    )


@functools.lru_cache(maxsize=32)
def _keyed_hmac_for_text(secret: str) -> hmac.HMAC:
    return _keyed_hmac(_secret_keys(secret)[0])


def _keyed_hmacs(secret: object) -> list[hmac.HMAC]:
    if type(secret) is str:
        return [_keyed_hmac_for_text(secret)]
    return [_keyed_hmac(key) for key in _secret_keys(secret)]


def _secret_keys(secret: object) -> list[bytes]:
    items: Sequence[object]
    if isinstance(secret, (str, bytes)):
        items = [secret]
    elif isinstance(secret, (list, tuple, set, frozenset)):
        items = list(secret)
    else:
        raise SignatureVerificationError(
            "The webhook secret must be a str (whsec_...) or a list of them"
        )
    keys = []
    for item in items:
        if isinstance(item, str) and item.strip():
            try:
                keys.append(item.encode("utf-8"))
            except UnicodeEncodeError:
                raise SignatureVerificationError("A webhook secret is not valid text") from None
        elif isinstance(item, bytes) and item.strip():
            keys.append(item)
        else:
            raise SignatureVerificationError(
                "Webhook secrets must be non-empty strings; find yours in the Dashboard "
                "(it starts with whsec_)"
            )
    if not keys:
        raise SignatureVerificationError("No webhook secret given")
    return keys


def _header_text(header: object) -> str:
    if isinstance(header, (bytes, bytearray)):
        # Raw ASGI/WSGI headers are bytes; latin-1 maps every byte, so this never fails.
        return bytes(header).decode("latin-1")
    if isinstance(header, str):
        return header
    raise SignatureVerificationError(
        "Missing Stripe-Signature header: pass the request's `Stripe-Signature` header value"
    )


def parse_header(header: object) -> tuple[int, list[str]]:
    """Return (timestamp, v1 signatures) from a Stripe-Signature header, or raise.

    Parsed as Stripe's own libraries do: comma-separated `key=value` items, the
    first `t` wins, and a value ends at the next `=`.
    """
    text = _header_text(header)
    if not text:
        raise SignatureVerificationError("Missing Stripe-Signature header (it is empty)")
    if len(text) > _MAX_HEADER_LENGTH:
        raise SignatureVerificationError("Stripe-Signature header is too long")
    raw_timestamp: str | None = None
    signatures: list[str] = []
    for item in text.split(","):
        key, sep, value = item.partition("=")
        if key != "t" and key != EXPECTED_SCHEME:
            continue
        if not sep:
            raise SignatureVerificationError(
                f"Malformed Stripe-Signature header: {key!r} has no value"
            )
        if "=" in value:
            value = value.partition("=")[0]
        if key == EXPECTED_SCHEME:
            signatures.append(value)
        elif raw_timestamp is None:
            raw_timestamp = value
    if raw_timestamp is None:
        raise SignatureVerificationError(
            "Unable to extract the timestamp from the Stripe-Signature header"
        )
    # Read the way Stripe's Python library reads it (int(), so " 17", "+17" and
    # "1_7" parse): a header one verifier accepts, the other must too. The signed
    # string is then built from the number, never from the raw text.
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        raise SignatureVerificationError(
            "Unable to extract the timestamp from the Stripe-Signature header"
        ) from None
    if not signatures:
        raise SignatureVerificationError(
            f"No signatures found with expected scheme {EXPECTED_SCHEME!r}"
        )
    return timestamp, signatures


def _check_tolerance(tolerance: object) -> None:
    if tolerance is None:
        return
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
        raise TypeError("tolerance must be a number of seconds, or None to disable the check")
    if not tolerance > 0:
        raise InvalidArgumentError(
            f"tolerance must be a positive number of seconds (got {tolerance!r}). To disable "
            "the timestamp check pass tolerance=None explicitly (not recommended: it lets "
            "a captured request be replayed forever)."
        )


def verify_signature(
    payload: Payload,
    header: str | bytes,
    secret: str | Sequence[str],
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> int:
    """Verify a `Stripe-Signature` header against the raw body; return its timestamp.

    `secret` may be a list (secret rotation, several endpoints): any one that
    matches passes. Timestamps more than `tolerance` seconds old or in the future
    are rejected; `tolerance=None` disables that check explicitly. Whatever the
    header and secret, the only error raised is SignatureVerificationError.
    """
    body = payload if type(payload) is bytes else _payload_bytes(payload)
    if type(tolerance) is not int or tolerance <= 0:
        _check_tolerance(tolerance)
    text = header if type(header) is str else _header_text(header)
    common = _COMMON_HEADER.fullmatch(text)
    if common is not None:
        timestamp, candidates = int(common[1]), [common[2]]
    else:
        timestamp, signatures = parse_header(text)
        # compare_digest refuses non-ASCII str; such a candidate cannot match hex anyway.
        candidates = [s for s in signatures if s.isascii()]
    macs = _keyed_hmacs(secret)
    signed = b"%d.%b" % (timestamp, body)
    matched = False
    for keyed in macs:
        mac = keyed.copy()
        mac.update(signed)
        expected = mac.hexdigest()
        for candidate in candidates:
            # No early exit: the time taken does not depend on which candidate matched.
            matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise SignatureVerificationError(
            "No signatures found matching the expected signature for the payload. Check the "
            "endpoint secret, and that you pass the raw request body.",
            sig_header=text,
        )
    if tolerance is not None:
        current = time.time() if now is None else now
        if timestamp < current - tolerance:
            raise SignatureVerificationError(
                f"Timestamp outside the tolerance zone ({timestamp}): more than {tolerance}s "
                "old (a replayed request, or a clock that is off)",
                sig_header=text,
            )
        if timestamp > current + tolerance:
            raise SignatureVerificationError(
                f"Timestamp outside the tolerance zone ({timestamp}): more than {tolerance}s "
                "in the future (check this server's clock)",
                sig_header=text,
            )
    return timestamp
