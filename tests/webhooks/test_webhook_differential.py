"""Differential test: our verifier against stripe-python 16.1.0's, on generated headers.

Wherever the signed timestamp is within tolerance the two must reach the same
verdict. Outside it they differ on purpose (we also reject timestamps too far in
the future; stripe-python accepts any future timestamp).
"""

from __future__ import annotations

import string
import time
from typing import Any

import pytest
import stripe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stripe_async.webhooks import SignatureVerificationError, compute_signature, verify_signature

TOLERANCE = 300
# ASCII without the comma that separates items (stripe-python crashes with a
# TypeError on non-ASCII signature candidates; ours rejects them cleanly).
VALUE_CHARS = "".join(c for c in string.printable if c not in ",\r\n\x0b\x0c")


def stripe_python_accepts(payload: bytes, header: str, secret: str) -> bool:
    try:
        return bool(stripe.WebhookSignature.verify_header(payload, header, secret, TOLERANCE))
    except stripe.SignatureVerificationError:
        return False


def ours_accepts(payload: bytes, header: str, secret: str) -> bool:
    try:
        verify_signature(payload, header, secret, tolerance=TOLERANCE)
    except SignatureVerificationError:
        return False
    return True


@st.composite
def deliveries(draw: Any) -> tuple[bytes, str, str]:
    """A payload, a secret, and a header assembled from well-formed and broken items."""
    payload = draw(st.text(max_size=200)).encode("utf-8")
    secret = draw(st.text(alphabet=VALUE_CHARS, min_size=1, max_size=30).filter(str.strip))
    # Signed within tolerance of now (allowing for the test's own run time).
    ts = int(time.time()) + draw(st.integers(-TOLERANCE + 10, TOLERANCE - 10))
    signer = draw(st.sampled_from([secret, secret + "x", "whsec_other"]))
    good = compute_signature(signer, ts, payload)
    junk = st.text(alphabet=VALUE_CHARS, max_size=70)
    timestamp_text = st.one_of(
        st.just(str(ts)),
        st.integers(0, 5).map(lambda n: "0" * n + str(ts)),
        st.just(str(ts + 1)),
        st.text(alphabet=string.ascii_letters, max_size=5),
        st.just(""),
    )
    item = st.one_of(
        timestamp_text.map(lambda t: f"t={t}"),
        st.just(f"v1={good}"),
        junk.map(lambda j: f"v1={good}={j}"),
        st.text(alphabet="0123456789abcdef", min_size=64, max_size=64).map(lambda s: f"v1={s}"),
        junk.map(lambda j: f"v1={j}"),
        st.just(f"v0={good}"),
        st.tuples(st.sampled_from(["x", "T", "V1", " v1", "t ", ""]), junk).map("=".join),
        st.sampled_from(["t", "v1", "v0", "", "garbage"]),
    )
    items = draw(st.lists(item, max_size=6))
    if draw(st.booleans()):  # most real headers start with a valid timestamp
        items.insert(0, f"t={ts}")
    return payload, ",".join(items), secret


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(delivery=deliveries())
def test_same_verdict_as_stripe_python_within_tolerance(delivery: tuple[bytes, str, str]) -> None:
    payload, header, secret = delivery
    assert ours_accepts(payload, header, secret) == stripe_python_accepts(payload, header, secret)


@pytest.mark.parametrize("offset", [-TOLERANCE + 5, 0, TOLERANCE - 5])
def test_both_accept_a_genuine_header(offset: int) -> None:
    ts = int(time.time()) + offset
    payload = b'{"id": "evt_1", "object": "event"}'
    header = f"t={ts},v1={compute_signature('whsec_x', ts, payload)},v0=deadbeef"
    assert ours_accepts(payload, header, "whsec_x")
    assert stripe_python_accepts(payload, header, "whsec_x")


def test_only_we_reject_a_far_future_timestamp() -> None:
    ts = int(time.time()) + 10 * TOLERANCE
    payload = b"{}"
    header = f"t={ts},v1={compute_signature('whsec_x', ts, payload)}"
    assert stripe_python_accepts(payload, header, "whsec_x")
    assert not ours_accepts(payload, header, "whsec_x")


@pytest.mark.parametrize("spelling", ["{t}", "+{t}", " {t}", "{t} ", "0{t}"])
def test_timestamp_spellings_get_the_same_verdict(spelling: str) -> None:
    payload = b'{"id": "evt_1"}'
    secret = "whsec_spelling"
    now = int(time.time())
    signature = compute_signature(secret, now, payload)
    header = f"t={spelling.format(t=now)},v1={signature}"
    assert ours_accepts(payload, header, secret) == stripe_python_accepts(payload, header, secret)
    assert ours_accepts(payload, header, secret)
