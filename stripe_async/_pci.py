"""Refuse raw card data before it leaves the process (PCI DSS scope protection).

The check reads what a request will carry once encoded: every form key and value as
Stripe will decode it, the URL path and query, and the header values a caller can set.
Whatever type held a card number (str, int, Decimal, float, bytes, an Enum, an object
with `.id`), it is a digit string by then, so nothing the encoder accepts gets past.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any
from urllib.parse import unquote, unquote_plus

from ._encoding import encode_pairs
from ._redact import REDACTED, luhn_valid, redact
from .errors import PCIComplianceError

__all__ = ["check_request", "ensure_no_raw_card_data", "find_in_pairs", "find_raw_card_data"]

# Field names that carry raw card data when they sit in a card hash.
_CARD_FIELDS = frozenset({"number", "cvc", "cvv", "card_number"})
# Keys that mark a hash as a card even when its parent is not called "card"
# (e.g. `source={"object": "card", "number": ..., "exp_month": ...}`).
_CARD_MARKERS = ("exp_month", "exp_year")

# A card number standing on its own: 13-19 digits, spaces or dashes (at most two)
# between them, not glued to a letter, digit or underscore. Digits inside a hex or
# base62 token (a SHA-256 digest, an object id such as `cus_1700000000123456`) are not
# a card number, and without that rule about one hex digest in 250 would be refused.
# ASCII digits only, as the Luhn check and Stripe read them.
_CARD_NUMBER = re.compile(r"[0-9](?<!\w[0-9])(?:[ -]{0,2}[0-9]){12,18}(?!\w)")
# A UUID's hyphenated groups can line up as 16 digits standing on their own (one
# UUID in 440 has a Luhn-valid run): a UUID is never a card number.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# The pre-filter: digits become "1", all else "0", and separators (and "+", a space
# in a query) are dropped; only a text with 13 "1"s in a row can hold a card number.
_DIGIT_TABLE = bytes(49 if 48 <= byte <= 57 else 48 for byte in range(256))
_DIGIT_RUN = b"1" * 13
# Joins strings for one scan: not a digit, letter, space or dash, so no match spans two.
_SEP = "\x00"


def _may_hold_card_number(text: str) -> bool:
    """A cheap superset of `_CARD_NUMBER`: most requests stop here, in C, in well under 1 µs."""
    data = text.encode("utf-8", "surrogatepass").translate(_DIGIT_TABLE, b" -+")
    return _DIGIT_RUN in data


def _card_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` holds a card number (Luhn-valid, outside any UUID)."""
    spans = []
    for match in _CARD_NUMBER.finditer(text):
        digits = match.group().replace(" ", "").replace("-", "")
        if luhn_valid(digits):
            spans.append(match.span())
    if spans and "-" in text:
        uuids = [m.span() for m in _UUID.finditer(text)]
        spans = [s for s in spans if not any(u[0] <= s[0] and s[1] <= u[1] for u in uuids)]
    return spans


def _has_card_number(text: str) -> bool:
    return _may_hold_card_number(text) and bool(_card_spans(text))


def _without_card_numbers(text: str) -> str:
    """`text` with every card number we would refuse replaced, for an error message."""
    for start, end in reversed(_card_spans(text)):
        text = text[:start] + REDACTED + text[end:]
    return redact(text)


def _card_field(pairs: Sequence[tuple[str, str]]) -> str | None:
    """The key of a card number or CVC field in a card hash, or None."""
    keys: dict[str, str] | None = None
    for key, value in pairs:
        if value == "":
            continue
        parent, bracket, last = key.rpartition("[")
        name = (last[:-1] if bracket else key).lower()
        if name not in _CARD_FIELDS:
            continue
        if name in ("card_number", "cvv"):
            return key
        lowered = parent.lower()
        if "card" in lowered or "source" in lowered:
            return key
        if keys is None:
            keys = dict(pairs)
        siblings = (f"{parent}[{m}]" if bracket else m for m in _CARD_MARKERS)
        if keys.get(f"{parent}[object]" if bracket else "object") == "card" or any(
            sibling in keys for sibling in siblings
        ):
            return key
    return None


def _might_name_a_card_field(joined: str) -> bool:
    lowered = joined.lower()
    return "number" in lowered or "cvc" in lowered or "cvv" in lowered


def _find(pairs: Sequence[tuple[str, str]], joined: str, numbers: bool) -> str | None:
    if numbers:
        for key, value in pairs:
            if _has_card_number(key) or _has_card_number(value):
                return _without_card_numbers(key)
    if _might_name_a_card_field(joined):
        found = _card_field(pairs)
        if found is not None:
            return _without_card_numbers(found)
    return None


def find_in_pairs(pairs: Sequence[tuple[str, str]]) -> str | None:
    """The key (card numbers redacted) of the first pair holding raw card data, or None.

    `pairs` are the encoded (key, value) strings, as `encode_pairs` gives them.
    """
    joined = _SEP.join(chain.from_iterable(pairs))
    return _find(pairs, joined, _may_hold_card_number(joined))


def find_raw_card_data(params: Mapping[str, Any]) -> str | None:
    """The param (as its form key) holding raw card data, or None. Pure."""
    return find_in_pairs(list(encode_pairs(params)))


def _refuse(where: str, param: str | None = None) -> PCIComplianceError:
    return PCIComplianceError(
        f"Refusing to send raw card data (found in {where}). Collect cards with "
        "Stripe.js / Elements or use a PaymentMethod or token id; if Stripe has enabled "
        "raw card data APIs on your account, pass allow_raw_card_data=True.",
        param=param,
    )


def ensure_no_raw_card_data(params: Mapping[str, Any]) -> None:
    """Raise PCIComplianceError when params carry a card number or CVC."""
    where = find_raw_card_data(params)
    if where is not None:
        raise _refuse(repr(where), where)


def check_request(
    pairs: Sequence[tuple[str, str]], path: str, headers: Sequence[tuple[str, str]]
) -> None:
    """Raise PCIComplianceError when anything this request carries holds raw card data.

    `pairs` are the encoded body or query parameters, `path` the URL path as sent
    (percent-escaped, perhaps with a query), `headers` the header values the caller
    chose (not the API key, nor values we generate).
    """
    # An id is escaped in the path (a space is %20); a query in it may use "+".
    paths = (path, unquote(path), unquote_plus(path)) if "%" in path or "+" in path else (path,)
    joined = _SEP.join(chain(chain.from_iterable(pairs), paths, (v for _, v in headers)))
    numbers = _may_hold_card_number(joined)
    where = _find(pairs, joined, numbers)
    if where is not None:
        raise _refuse(repr(where), where)
    if not numbers:
        return
    if any(_has_card_number(text) for text in paths):
        raise _refuse("the URL path")
    for name, value in headers:
        if _has_card_number(value):
            raise _refuse(f"the {name} header")
