"""construct_event: verify, parse into a typed Event, police the API version."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from webhook_helpers import SECRET, event_body, fixture, signed

from stripe_async import API_VERSION, StripeError
from stripe_async.models import Event
from stripe_async.webhooks import (
    APIVersionMismatchError,
    APIVersionMismatchWarning,
    InvalidPayloadError,
    SignatureVerificationError,
    StripeAsyncWarning,
    construct_event,
    generate_test_header,
)


def test_construct_event_returns_a_typed_event() -> None:
    body = event_body(
        "customer.updated",
        event_id="evt_42",
        obj=fixture("customer"),
        previous_attributes={"email": "old@example.com"},
    )
    event = construct_event(body, signed(body), SECRET)
    assert isinstance(event, Event)
    assert (event.id, event.type, event.api_version) == ("evt_42", "customer.updated", API_VERSION)
    obj = event.data.object
    assert (obj["id"] if isinstance(obj, dict) else obj.id) == fixture("customer")["id"]
    prev = event.data.previous_attributes
    assert prev is not None
    assert (prev["email"] if isinstance(prev, dict) else prev.email) == "old@example.com"


def test_bad_signature_raises_before_parsing() -> None:
    body = event_body()
    with pytest.raises(SignatureVerificationError):
        construct_event(body, signed(body, secret="whsec_other"), SECRET)
    with pytest.raises(TypeError, match="raw request body"):
        construct_event(json.loads(body), signed(body), SECRET)


def test_invalid_json_with_a_valid_signature_is_a_clear_stripe_error() -> None:
    body = b'{"id": "evt_1", "object": '
    with pytest.raises(InvalidPayloadError, match="not valid JSON") as info:
        construct_event(body, signed(body), SECRET)
    assert isinstance(info.value, StripeError)


def test_json_that_is_not_an_event_is_rejected_clearly() -> None:
    body = b'{"hello": "world"}'
    with pytest.raises(InvalidPayloadError, match="not a Stripe event"):
        construct_event(body, signed(body), SECRET)


def test_old_event_is_rejected_with_the_default_tolerance() -> None:
    body = event_body()
    old = generate_test_header(body, SECRET, int(time.time()) - 301)
    with pytest.raises(SignatureVerificationError, match="tolerance"):
        construct_event(body, old, SECRET)
    assert construct_event(body, old, SECRET, tolerance=600).id


def test_version_mismatch_warns_by_default() -> None:
    body = event_body(api_version="2020-08-27")
    with pytest.warns(APIVersionMismatchWarning, match="2020-08-27") as record:
        event = construct_event(body, signed(body), SECRET)
    assert event.api_version == "2020-08-27"
    assert issubclass(record[0].category, StripeAsyncWarning)
    assert record[0].filename == __file__  # points at the caller, not at the SDK


def test_version_mismatch_can_raise_or_be_ignored() -> None:
    body = event_body(api_version="2020-08-27")
    with pytest.raises(APIVersionMismatchError) as info:
        construct_event(body, signed(body), SECRET, on_version_mismatch="error")
    assert isinstance(info.value, StripeError)
    assert (info.value.event_version, info.value.expected_version) == ("2020-08-27", API_VERSION)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        construct_event(body, signed(body), SECRET, on_version_mismatch="ignore")


def test_matching_or_absent_version_is_silent() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for version in (API_VERSION, None):
            body = event_body(api_version=version)
            construct_event(body, signed(body), SECRET, on_version_mismatch="error")


def test_unknown_policy_is_refused() -> None:
    body = event_body()
    with pytest.raises(ValueError, match="on_version_mismatch"):
        construct_event(body, signed(body), SECRET, on_version_mismatch="loud")  # type: ignore[arg-type]


MANY_MISMATCHED_EVENTS = """
import sys, warnings
sys.path.insert(0, sys.argv[1])
from webhook_helpers import SECRET, event_body, signed
from stripe_async.webhooks import construct_event

for n in range(2000):
    body = event_body(event_id=f"evt_{n}", api_version=("2020-08-27", "2019-02-19")[n % 2])
    construct_event(body, signed(body), SECRET)
registry = globals().get("__warningregistry__", {})
print(len([key for key in registry if key != "version"]))
"""


def test_version_mismatch_warns_once_per_version_pair_with_bounded_memory() -> None:
    # A fresh interpreter with Python's default filters, as a production receiver has.
    here = str(Path(__file__).parent)
    done = subprocess.run(
        [sys.executable, "-c", MANY_MISMATCHED_EVENTS, here],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    warned = [line for line in done.stderr.splitlines() if "APIVersionMismatchWarning" in line]
    assert len(warned) == 2
    assert "'2020-08-27'" in warned[0] and "evt_" not in done.stderr
    assert done.stdout.strip() == "2"  # registry entries: one per version pair
