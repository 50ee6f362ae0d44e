"""Stripe's webhook signing scheme, stdlib only.

Header: `t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=...]`. The signed string is
`"<t>." + raw body`; the signature is HMAC-SHA256 keyed with the endpoint secret,
in lowercase hex. Any one matching `v1` passes; other schemes are ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence

from ..errors import SignatureVerificationError

__all__ = [
    "DEFAULT_TOLERANCE",
    "EXPECTED_SCHEME",
    "compute_signature",
    "generate_test_header",
    "verify_signature",
]

DEFAULT_TOLERANCE = 300
EXPECTED_SCHEME = "v1"
_MAX_HEADER_LENGTH = 8192

_RAW_BODY_HINT = (
    "Pass the raw request body exactly as received (bytes, e.g. `await request.body()`), "
    "not a parsed or re-serialized object: any change to the bytes breaks the signature."
)


def compute_signature(secret: str | bytes, timestamp: int, payload: bytes) -> str:
    """Lowercase hex HMAC-SHA256 of `"<timestamp>." + payload` keyed with `secret`."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    signed = str(timestamp).encode("ascii") + b"." + payload
    return hmac.new(key, signed, hashlib.sha256).hexdigest()


def generate_test_header(
    payload: bytes | str, secret: str, timestamp: int | None = None, *, scheme: str = "v1"
) -> str:
    """A valid `Stripe-Signature` header for `payload`, for your own tests."""
    body = payload.encode("utf-8") if isinstance(payload, str) else payload
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
        return payload.encode("utf-8")
    raise TypeError(
        f"payload must be the raw request body as bytes, not {type(payload).__name__}. "
        + _RAW_BODY_HINT
    )


def _secrets(secret: object) -> list[bytes]:
    items: Sequence[object]
    if isinstance(secret, (str, bytes)):
        items = [secret]
    elif isinstance(secret, (list, tuple, set, frozenset)):
        items = list(secret)
    else:
        raise SignatureVerificationError("The webhook secret must be a str or a list of str")
    keys = []
    for item in items:
        if isinstance(item, str) and item:
            keys.append(item.encode("utf-8"))
        elif isinstance(item, bytes) and item:
            keys.append(item)
        else:
            raise SignatureVerificationError("Webhook secrets must be non-empty strings")
    if not keys:
        raise SignatureVerificationError("No webhook secret given")
    return keys


def parse_header(header: object) -> tuple[int, list[str]]:
    """Return (timestamp, v1 signatures) from a Stripe-Signature header, or raise."""
    if not isinstance(header, str) or not header:
        raise SignatureVerificationError("Missing Stripe-Signature header", sig_header=None)
    if len(header) > _MAX_HEADER_LENGTH:
        raise SignatureVerificationError("Stripe-Signature header is too long")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            value = value.strip()
            if value.isascii() and value.isdigit() and len(value) <= 12:
                timestamp = int(value)
            else:
                raise SignatureVerificationError(
                    "Unable to extract timestamp from the Stripe-Signature header"
                )
        elif key == EXPECTED_SCHEME:
            signatures.append(value.strip())
    if timestamp is None:
        raise SignatureVerificationError(
            "Unable to extract timestamp and signatures from the Stripe-Signature header"
        )
    if not signatures:
        raise SignatureVerificationError(
            f"No signatures found with expected scheme {EXPECTED_SCHEME!r}"
        )
    return timestamp, signatures


def verify_signature(
    payload: bytes,
    header: str,
    secret: str | Sequence[str],
    *,
    tolerance: int | None = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> int:
    """Verify a `Stripe-Signature` header against the raw body; return its timestamp.

    `secret` may be a list (secret rotation, several endpoints): any one that
    matches passes. Timestamps more than `tolerance` seconds old or in the future
    are rejected; `tolerance=None` disables that check explicitly. Everything that
    can go wrong with the header raises SignatureVerificationError.
    """
    body = _payload_bytes(payload)
    if tolerance is not None:
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
            raise TypeError("tolerance must be a number of seconds, or None to disable it")
        if tolerance <= 0:
            raise ValueError(
                "tolerance must be positive; pass tolerance=None to disable the timestamp "
                "check explicitly (not recommended: it allows replaying old events)"
            )
    timestamp, signatures = parse_header(header)
    keys = _secrets(secret)
    signed = str(timestamp).encode("ascii") + b"." + body
    matched = False
    for key in keys:
        expected = hmac.new(key, signed, hashlib.sha256).hexdigest().encode("ascii")
        for candidate in signatures:
            # compare_digest on bytes: a non-ASCII str would raise TypeError.
            if hmac.compare_digest(expected, candidate.encode("utf-8", "replace")):
                matched = True
    if not matched:
        raise SignatureVerificationError(
            "No signatures found matching the expected signature for payload. "
            "Check the endpoint secret, and that the body is the raw request body.",
            sig_header=header,
        )
    if tolerance is not None:
        current = time.time() if now is None else now
        if timestamp < current - tolerance:
            raise SignatureVerificationError(
                f"Timestamp outside the tolerance zone ({timestamp}): older than {tolerance}s",
                sig_header=header,
            )
        if timestamp > current + tolerance:
            raise SignatureVerificationError(
                f"Timestamp outside the tolerance zone ({timestamp}): more than {tolerance}s "
                "in the future",
                sig_header=header,
            )
    return timestamp
