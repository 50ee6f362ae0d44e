from __future__ import annotations

import datetime as dt
import decimal
import enum
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stripe_async._encoding import encode_form, encode_multipart, encode_pairs, encode_scalar


def pairs(params: dict[str, Any]) -> list[tuple[str, str]]:
    return parse_qsl(encode_form(params), keep_blank_values=True)


def test_nested_dicts_lists_and_scalars_use_bracket_notation() -> None:
    params = {
        "address": {"city": "SF", "line1": "1 Main St"},
        "items": [{"price": "price_1", "quantity": 2}, {"price": "price_2"}],
        "expand": ["customer", "latest_charge"],
        "confirm": True,
        "off_session": False,
    }
    assert pairs(params) == [
        ("address[city]", "SF"),
        ("address[line1]", "1 Main St"),
        ("items[0][price]", "price_1"),
        ("items[0][quantity]", "2"),
        ("items[1][price]", "price_2"),
        ("expand[0]", "customer"),
        ("expand[1]", "latest_charge"),
        ("confirm", "true"),
        ("off_session", "false"),
    ]


def test_none_dropped_and_empty_string_sent_to_unset() -> None:
    assert pairs({"description": None, "metadata": "", "name": "x"}) == [
        ("metadata", ""),
        ("name", "x"),
    ]
    assert pairs({"metadata": {"order": ""}}) == [("metadata[order]", "")]


def test_numbers_never_use_exponent_notation() -> None:
    assert encode_scalar(0.0000001) == "0.0000001"
    assert encode_scalar(1e21) == "1000000000000000000000"
    assert encode_scalar(decimal.Decimal("1E+3")) == "1000"
    assert encode_scalar(decimal.Decimal("12.50")) == "12.5"
    assert encode_scalar(2.5) == "2.5"


def test_datetimes_are_unix_seconds_and_objects_their_id() -> None:
    aware = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    assert encode_scalar(aware) == "1704067200"
    assert encode_scalar(dt.datetime(2024, 1, 1)) == "1704067200"  # naive means UTC
    assert encode_scalar(dt.date(2024, 1, 1)) == "1704067200"
    customer = SimpleNamespace(id="cus_123", object="customer")
    assert pairs({"customer": customer}) == [("customer", "cus_123")]


def test_reserved_characters_are_escaped() -> None:
    encoded = encode_form({"metadata": {"a&b": "c=d e"}})
    assert encoded == "metadata[a%26b]=c%3Dd%20e"
    assert encode_form({}) == "" and encode_form(None) == ""


# Decoding what we encode gives back the input (as strings, which is what Stripe sees).
keys = st.text(min_size=1, max_size=8).filter(lambda k: "[" not in k and "]" not in k)
leaves = st.one_of(st.text(max_size=10), st.integers(), st.booleans())


def _expected(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {k: _expected(v) for k, v in value.items()}
    if isinstance(value, list):
        return {str(i): _expected(v) for i, v in enumerate(value)}
    return str(value)


def _decode(encoded: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        head, _, rest = key.partition("[")
        parts = [head] + ([p for p in rest[:-1].split("][")] if rest else [])
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return result


def _non_empty(value: Any) -> bool:
    if isinstance(value, dict):
        return bool(value) and all(_non_empty(v) for v in value.values())
    if isinstance(value, list):
        return bool(value) and all(_non_empty(v) for v in value)
    return True


structures = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3),
        st.dictionaries(keys, children, min_size=1, max_size=3),
    ),
    max_leaves=12,
)


# Nested structures are slow to draw when the whole suite runs on a busy machine;
# the property is what matters here, not how fast hypothesis makes its inputs.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, structures, max_size=5).filter(_non_empty))
def test_decoding_what_we_encode_gives_back_the_input(params: dict[str, Any]) -> None:
    assert _decode(encode_form(params)) == _expected(params)


def test_encode_pairs_with_prefix() -> None:
    assert list(encode_pairs({"a": 1}, "outer")) == [("outer[a]", "1")]


def test_multipart_puts_files_in_parts_and_the_rest_in_fields() -> None:
    body = encode_multipart(
        {"file": ("a.txt", "hi", "text/plain"), "purpose": "x", "meta": {"k": True}, "none": None},
        "BOUNDARY",
    )
    assert body == (
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nhi\r\n"
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nx\r\n'
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="meta[k]"\r\n\r\ntrue\r\n'
        b"--BOUNDARY--\r\n"
    )
    quoted = encode_multipart({"file": ('we"ird\r\n.png', b"\x00")}, "B")
    assert b'filename="we\\"ird  .png"' in quoted


def test_enums_encode_as_their_value_on_every_python() -> None:
    class Count(enum.IntEnum):
        THREE = 3

    class Mode(str, enum.Enum):
        LIVE = "live"

    class Plain(enum.Enum):
        RATE = 1.5

    # str(Count.THREE) is "Count.THREE" before Python 3.11, "3" after.
    assert encode_form({"a": Count.THREE, "b": Mode.LIVE, "c": Plain.RATE}) == "a=3&b=live&c=1.5"
