"""Stripe's signing scheme: unit cases and hypothesis properties of verify_signature."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import time
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stripe_async import StripeError
from stripe_async.webhooks import (
    SignatureVerificationError,
    compute_signature,
    generate_test_header,
    verify_signature,
)
from stripe_async.webhooks.signature import parse_header

NOW = 1_700_000_000
HEX = "0123456789abcdef"

payloads = st.binary(max_size=512)
secrets = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != "")
timestamps = st.integers(min_value=0, max_value=10**11)


def reference_signature(secret: str, timestamp: int, payload: bytes) -> str:
    """Stripe's documented scheme, spelled out independently of the code under test."""
    message = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


# ---- unit cases ----------------------------------------------------------------------------


def test_signature_matches_stripes_documented_scheme() -> None:
    sig = compute_signature("whsec_abc", NOW, b'{"id": "evt_1"}')
    assert sig == reference_signature("whsec_abc", NOW, b'{"id": "evt_1"}')
    assert len(sig) == 64 and sig == sig.lower()


def test_verify_returns_the_signed_timestamp() -> None:
    header = generate_test_header(b"{}", "whsec_abc", NOW)
    assert header == f"t={NOW},v1={reference_signature('whsec_abc', NOW, b'{}')}"
    assert verify_signature(b"{}", header, "whsec_abc", now=NOW) == NOW


def test_generate_test_header_defaults_to_now() -> None:
    before = int(time.time())
    header = generate_test_header('{"a": 1}', "whsec_abc")
    ts = verify_signature(b'{"a": 1}', header, "whsec_abc")
    assert before <= ts <= int(time.time())


def test_raw_str_and_bytes_like_bodies_verify_the_same() -> None:
    body = '{"name": "Zoë"}'
    header = generate_test_header(body.encode(), "whsec_abc", NOW)
    for payload in (body, body.encode(), bytearray(body.encode()), memoryview(body.encode())):
        assert verify_signature(payload, header, "whsec_abc", now=NOW) == NOW


@pytest.mark.parametrize("parsed", [{"id": "evt_1"}, ["evt_1"], 42, None])
def test_parsed_body_raises_type_error_saying_pass_the_raw_body(parsed: Any) -> None:
    header = generate_test_header(b"{}", "whsec_abc", NOW)
    with pytest.raises(TypeError, match="raw request body"):
        verify_signature(parsed, header, "whsec_abc", now=NOW)


def test_a_re_serialized_body_does_not_verify() -> None:
    raw = b'{\n  "id": "evt_1",\n  "object": "event"\n}'
    header = generate_test_header(raw, "whsec_abc", NOW)
    with pytest.raises(SignatureVerificationError, match="raw request body"):
        verify_signature(b'{"id": "evt_1", "object": "event"}', header, "whsec_abc", now=NOW)


def test_tolerance_zero_is_refused_with_a_clear_error() -> None:
    header = generate_test_header(b"{}", "whsec_abc", NOW)
    with pytest.raises(ValueError, match="tolerance=None"):
        verify_signature(b"{}", header, "whsec_abc", tolerance=0, now=NOW)
    with pytest.raises(ValueError, match="positive"):
        verify_signature(b"{}", header, "whsec_abc", tolerance=-5, now=NOW)
    with pytest.raises(TypeError, match="tolerance"):
        verify_signature(b"{}", header, "whsec_abc", tolerance=True, now=NOW)


def test_tolerance_none_disables_the_timestamp_check_explicitly() -> None:
    header = generate_test_header(b"{}", "whsec_abc", 1)
    assert verify_signature(b"{}", header, "whsec_abc", tolerance=None) == 1
    with pytest.raises(SignatureVerificationError, match="old"):
        verify_signature(b"{}", header, "whsec_abc")


def test_future_timestamps_beyond_tolerance_are_rejected() -> None:
    # The official SDK accepts any future timestamp; a captured future-dated request
    # could then be replayed until that date.
    header = generate_test_header(b"{}", "whsec_abc", NOW + 3600)
    with pytest.raises(SignatureVerificationError, match="future"):
        verify_signature(b"{}", header, "whsec_abc", now=NOW)


def test_secret_list_accepts_any_matching_secret() -> None:
    header = generate_test_header(b"{}", "whsec_new", NOW)
    assert verify_signature(b"{}", header, ["whsec_old", "whsec_new"], now=NOW) == NOW
    assert verify_signature(b"{}", header, ("whsec_new",), now=NOW) == NOW
    with pytest.raises(SignatureVerificationError):
        verify_signature(b"{}", header, ["whsec_old", "whsec_other"], now=NOW)


@pytest.mark.parametrize("secret", ["", "   ", [], [""], None, 123, ["whsec_a", None], {"a": 1}])
def test_unusable_secrets_raise_signature_verification_error(secret: Any) -> None:
    header = generate_test_header(b"{}", "whsec_abc", NOW)
    with pytest.raises(SignatureVerificationError, match="secret"):
        verify_signature(b"{}", header, secret, now=NOW)


@pytest.mark.parametrize(
    "header",
    [
        "",
        None,
        "v1=abc",
        "t=,v1=abc",
        "t=+1700000000,v1=abc",
        "t= 1700000000,v1=abc",
        "t=1_700_000_000,v1=abc",
        "t=-1,v1=abc",
        "t=1700000000",
        "t=1700000000,v0=abc",
        "t=1700000000,v1",
        "t,v1=abc",
        "t=" + "9" * 5000 + ",v1=abc",
        "t=1700000000," + "v1=ab," * 2000,
        12345,
    ],
)
def test_malformed_headers_raise_signature_verification_error(header: Any) -> None:
    with pytest.raises(SignatureVerificationError):
        verify_signature(b"{}", header, "whsec_abc", now=NOW)


def test_header_as_raw_asgi_bytes_is_accepted() -> None:
    header = generate_test_header(b"{}", "whsec_abc", NOW).encode("latin-1")
    assert verify_signature(b"{}", header, "whsec_abc", now=NOW) == NOW


def test_first_timestamp_wins_and_values_end_at_the_next_equals_sign() -> None:
    sig = compute_signature("whsec_abc", NOW, b"{}")
    assert parse_header(f"t={NOW},t=5,v1={sig}=trailing,v0=x,foo,bar=1") == (NOW, [sig])
    assert verify_signature(b"{}", f"t=000{NOW},v1={sig}", "whsec_abc", now=NOW) == NOW


def test_signature_error_is_a_stripe_error_without_the_secret() -> None:
    header = generate_test_header(b"{}", "whsec_right", NOW)
    with pytest.raises(StripeError) as info:
        verify_signature(b"{}", header, "whsec_wrong_secret_value", now=NOW)
    assert isinstance(info.value, SignatureVerificationError)
    assert "whsec_wrong" not in str(info.value) and "whsec_wrong" not in repr(info.value)


def test_non_ascii_and_surrogate_inputs_only_raise_signature_errors() -> None:
    header = f"t={NOW},v1=\udcff\u00e9,v1=ü"
    with pytest.raises(SignatureVerificationError):
        verify_signature(b"{}", header, "whsec_abc", now=NOW)
    with pytest.raises(SignatureVerificationError):
        verify_signature(b"{}", generate_test_header(b"{}", "x", NOW), "\udc80", now=NOW)
    with pytest.raises(SignatureVerificationError, match="UTF-8"):
        verify_signature("\udc80", generate_test_header(b"{}", "x", NOW), "x", now=NOW)


# ---- properties ----------------------------------------------------------------------------


@given(payload=payloads, secret=secrets, timestamp=timestamps)
def test_sign_then_verify_round_trips(payload: bytes, secret: str, timestamp: int) -> None:
    header = generate_test_header(payload, secret, timestamp)
    assert header.split(",v1=")[1] == reference_signature(secret, timestamp, payload)
    assert verify_signature(payload, header, secret, now=timestamp) == timestamp


@given(payload=payloads.filter(bool), secret=secrets, data=st.data())
def test_any_changed_payload_byte_is_rejected(payload: bytes, secret: str, data: Any) -> None:
    header = generate_test_header(payload, secret, NOW)
    index = data.draw(st.integers(0, len(payload) - 1))
    new = data.draw(st.integers(0, 255).filter(lambda b: b != payload[index]))
    tampered = payload[:index] + bytes([new]) + payload[index + 1 :]
    with pytest.raises(SignatureVerificationError):
        verify_signature(tampered, header, secret, now=NOW)


@given(payload=payloads, secret=secrets, timestamp=timestamps, data=st.data())
def test_any_changed_timestamp_digit_is_rejected(
    payload: bytes, secret: str, timestamp: int, data: Any
) -> None:
    digits = str(timestamp)
    sig = compute_signature(secret, timestamp, payload)
    index = data.draw(st.integers(0, len(digits) - 1))
    new = data.draw(st.sampled_from("0123456789").filter(lambda d: d != digits[index]))
    changed = digits[:index] + new + digits[index + 1 :]
    with pytest.raises(SignatureVerificationError):
        verify_signature(payload, f"t={changed},v1={sig}", secret, tolerance=None)


@given(payload=payloads, secret=secrets, data=st.data())
def test_any_changed_signature_character_is_rejected(
    payload: bytes, secret: str, data: Any
) -> None:
    sig = compute_signature(secret, NOW, payload)
    index = data.draw(st.integers(0, len(sig) - 1))
    new = data.draw(st.characters(exclude_characters=",").filter(lambda c: c != sig[index]))
    tampered = sig[:index] + new + sig[index + 1 :]
    with pytest.raises(SignatureVerificationError):
        verify_signature(payload, f"t={NOW},v1={tampered}", secret, now=NOW)


@given(
    payload=payloads,
    secret=secrets,
    others=st.lists(st.text(alphabet=HEX, min_size=64, max_size=64), max_size=4),
    v0=st.lists(st.text(alphabet=HEX, min_size=64, max_size=64), max_size=2),
    position=st.integers(0, 6),
)
def test_rotation_headers_pass_when_any_v1_matches(
    payload: bytes, secret: str, others: list[str], v0: list[str], position: int
) -> None:
    good = compute_signature(secret, NOW, payload)
    sigs = [f"v1={s}" for s in others if s != good]
    sigs.insert(min(position, len(sigs)), f"v1={good}")
    header = ",".join([f"t={NOW}", *sigs, *(f"v0={s}" for s in v0)])
    assert verify_signature(payload, header, secret, now=NOW) == NOW
    without_good = ",".join([f"t={NOW}", *(s for s in sigs if s != f"v1={good}")])
    with pytest.raises(SignatureVerificationError):
        verify_signature(payload, without_good, secret, now=NOW)


@given(payload=payloads, old=secrets, new=secrets)
def test_rotation_secret_lists_accept_either_secret(payload: bytes, old: str, new: str) -> None:
    for signer in (old, new):
        header = generate_test_header(payload, signer, NOW)
        assert verify_signature(payload, header, [old, new], now=NOW) == NOW


@given(
    timestamp=st.integers(10**6, 10**11),
    tolerance=st.integers(1, 10**6),
    payload=payloads,
)
@example(timestamp=NOW, tolerance=300, payload=b"{}")
def test_tolerance_edges_in_both_directions(timestamp: int, tolerance: int, payload: bytes) -> None:
    header = generate_test_header(payload, "whsec_edge", timestamp)

    def verify(now: float) -> int:
        return verify_signature(payload, header, "whsec_edge", tolerance=tolerance, now=now)

    assert verify(timestamp + tolerance) == timestamp  # exactly `tolerance` old
    assert verify(timestamp - tolerance) == timestamp  # exactly `tolerance` ahead
    with pytest.raises(SignatureVerificationError, match="old"):
        verify(timestamp + tolerance + 1)
    with pytest.raises(SignatureVerificationError, match="future"):
        verify(timestamp - tolerance - 1)


header_parts = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda k, v: f"{k}={v}", st.sampled_from(["t", "v1", "v0", "x"]), st.text(max_size=70)
    ),
    st.builds(lambda v: f"t={v}", st.integers(-(10**20), 10**20)),
)


@given(
    header=st.one_of(
        st.text(max_size=300),
        st.lists(header_parts, max_size=8).map(",".join),
        st.binary(max_size=100),
    ),
    secret=st.one_of(
        secrets,
        st.text(max_size=5),
        st.binary(max_size=5),
        st.lists(st.one_of(st.text(max_size=5), st.none()), max_size=3),
        st.none(),
        st.integers(),
    ),
    payload=payloads,
)
def test_fuzzed_headers_and_secrets_only_raise_signature_errors(
    header: Any, secret: Any, payload: bytes
) -> None:
    with contextlib.suppress(SignatureVerificationError):
        verify_signature(payload, header, secret, now=NOW)


def test_bytes_secrets_work_like_text_secrets() -> None:
    header = generate_test_header(b"{}", "whsec_abc", NOW)
    assert verify_signature(b"{}", header, [b"whsec_abc"], now=NOW) == NOW  # type: ignore[list-item]


def test_package_exports_load_lazily_and_unknown_names_fail() -> None:
    import stripe_async.webhooks as webhooks

    assert {"WebhookRouter", "create_app", "construct_event", "EventStore"} <= set(dir(webhooks))
    with pytest.raises(AttributeError, match="no_such_thing"):
        webhooks.no_such_thing  # noqa: B018
