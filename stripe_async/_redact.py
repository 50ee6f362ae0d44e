"""Redaction of secrets and card numbers from anything we print.

Pure string functions, stdlib only: used by logging, reprs and exception messages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
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
    # The object prefix (pi_, seti_, cs_...) goes with it.
    re.compile(r"(?:[A-Za-z]{1,8}_)?[A-Za-z0-9]{1,64}_secret_[A-Za-z0-9_]+"),
    re.compile(r"(?i)Bearer\s+[^\s,;\"']+"),
    re.compile(r"(?i)(\bbasic\s+)[A-Za-z0-9+/=]+"),
)

# 13-19 digits, optionally grouped by spaces or dashes (at most two between digits).
_CARD_CANDIDATE = re.compile(r"(?<![\d])\d(?:[ -]{0,2}\d){12,18}(?![\d])")

SECRET_FIELD_NAMES = frozenset(
    {
        "client_secret",
        "secret",
        "api_key",
        "authorization",
        "password",
        "cvc",
        "number",
        "access_token",
        "refresh_token",
    }
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


class Hidden(str):
    """A secret that works as its text wherever it is used, and shows redacted.

    httpx encodes it as it is, comparisons and `in` see the real text, but
    `repr()`, `str()` and formatting show it redacted: a traceback captured with
    its locals (as error reporters do) or a stray log line never holds it in clear.
    """

    __slots__ = ()

    def _shown(self) -> str:
        text = reveal(self)
        shown = redact(text)
        return shown if shown != text else REDACTED

    def __repr__(self) -> str:
        return repr(self._shown())

    def __str__(self) -> str:
        return self._shown()

    def __format__(self, format_spec: str) -> str:
        return format(self._shown(), format_spec)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Hidden, (reveal(self),))


def reveal(secret: str) -> str:
    """The plain text of a `Hidden` secret (any other str is returned as it is)."""
    return str.__str__(secret)


def redact_value(value: Any) -> Any:
    """Redact a params structure (dicts, lists, scalars) for logging; returns a copy."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED
            if item is not None and str(key).lower() in SECRET_FIELD_NAMES
            else redact_value(item)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact_value(item) for item in value]
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**12:
        return redact(str(value)) if looks_like_card_number(str(value)) else value
    return value


# Redacting only a prefix keeps a huge text cheap; the margin is longer than any card
# number (19 digits with separators) and than the part of a secret its pattern needs,
# so whatever starts before the cut is whole when it is redacted.
_CUT_MARGIN = 1024


def redact_and_cut(text: str, limit: int) -> str:
    """Redact, then shorten to `limit` characters (plus "..."): never the other way round.

    Cutting first could leave the first digits of a card number, too few to be
    recognised as one, in the result.
    """
    if len(text) <= limit:
        return redact(text)
    cleaned = redact(text[: limit + _CUT_MARGIN])
    return cleaned[:limit] + "..." if len(cleaned) > limit else cleaned


def excerpt(text: str, limit: int = 200) -> str:
    """A short, redacted, single-line excerpt of a response body for error messages."""
    return redact_and_cut(" ".join(text.split()), limit)


class RedactingFilter(logging.Filter):
    """Redacts every record a logger emits (httpx logs request URLs, query and all)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let logging report it as usual
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()


def redact_loggers(names: Iterable[str]) -> None:
    """Attach the redacting filter to these loggers (once each).

    A logger's filters see only what is logged on that logger, not its children's
    records, so every logger that emits must be named.
    """
    for name in names:
        target = logging.getLogger(name)
        if _FILTER not in target.filters:
            target.addFilter(_FILTER)
