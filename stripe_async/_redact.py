"""Redaction of secrets and card numbers from anything we print.

Pure string functions, stdlib only: used by logging, reprs and exception messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[REDACTED]"

# API keys (secret, restricted, publishable are harmless but share the shape), webhook
# secrets, and the client secrets of PaymentIntents/SetupIntents/sessions.
# No word boundaries: a secret glued to other text ("xsk_live_...", "id=pi_1_secret_x")
# must go too, and over-redacting a log line is cheap.
_SECRET_PATTERNS = (
    re.compile(r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9_]+"),
    re.compile(r"(?<![A-Za-z])(?:sk|rk)_[A-Za-z0-9]{8,}"),
    re.compile(r"whsec_[A-Za-z0-9_+/=]+"),
    # Bounded prefix: without a word boundary an unbounded one rescans to the end of
    # the text from every position, which is quadratic on a long run of letters.
    re.compile(r"[A-Za-z0-9]{1,64}_secret_[A-Za-z0-9_]+"),
    re.compile(r"(?i)Bearer\s+[^\s,;\"']+"),
    re.compile(r"(?i)(\bbasic\s+)[A-Za-z0-9+/=]+"),
)

# 13-19 digits, optionally grouped by spaces or dashes (at most two between digits).
_CARD_CANDIDATE = re.compile(r"(?<![\d])\d(?:[ -]{0,2}\d){12,18}(?![\d])")

SECRET_FIELD_NAMES = frozenset(
    {"client_secret", "secret", "api_key", "authorization", "password", "cvc", "number"}
)


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn checksum (card numbers do)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _digits_of(candidate: str) -> str:
    return candidate.replace(" ", "").replace("-", "")


def looks_like_card_number(value: str) -> bool:
    """True when value contains a Luhn-valid 13-19 digit run (spaces or dashes allowed)."""
    return any(luhn_valid(_digits_of(m.group(0))) for m in _CARD_CANDIDATE.finditer(value))


def _redact_card(match: re.Match[str]) -> str:
    candidate = match.group(0)
    return REDACTED if luhn_valid(_digits_of(candidate)) else candidate


def redact(text: str) -> str:
    """Replace API keys, webhook secrets, client secrets and card numbers with [REDACTED]."""
    for pattern in _SECRET_PATTERNS:
        if pattern.groups:
            text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
        else:
            text = pattern.sub(REDACTED, text)
    return _CARD_CANDIDATE.sub(_redact_card, text)


def redact_value(value: Any) -> Any:
    """Redact a params structure (dicts, lists, scalars) for logging; returns a copy."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED if str(key).lower() in SECRET_FIELD_NAMES else redact_value(item)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact_value(item) for item in value]
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**12:
        return redact(str(value)) if looks_like_card_number(str(value)) else value
    return value


def excerpt(text: str, limit: int = 200) -> str:
    """A short, redacted, single-line excerpt of a response body for error messages."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[:limit] + "..."
    return redact(flat)
