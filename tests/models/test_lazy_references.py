"""A reply's ids never import or build the models they refer to; only expanded objects do."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# Stripe's published example objects (see tests/data/README.md).
FIXTURES = Path(__file__).parent.parent / "data" / "fixtures3.json"


def fixture(kind: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(FIXTURES.read_text())["resources"][kind]
    return body


SCRIPT = """
import json, sys
from stripe_async.models import model_for
kind, body = sys.argv[1], sys.argv[2]
model_for(kind).model_validate_json(body)  # as the request loop parses a reply
print(json.dumps(sorted(m for m in sys.modules if m.startswith("stripe_async.models."))))
"""


def loaded_after_parsing(kind: str, body: dict[str, Any]) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, kind, json.dumps(body)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(out.stdout))


@pytest.mark.parametrize(
    ("kind", "field", "module"),
    [
        ("checkout.session", "payment_intent", "payment_intent"),
        ("invoice", "customer", "customer"),
        ("charge", "balance_transaction", "balance_transaction"),
    ],
)
def test_an_id_in_a_json_reply_leaves_its_model_unbuilt(kind: str, field: str, module: str) -> None:
    body = fixture(kind)
    assert isinstance(body[field], str)  # the fixture holds an id there
    assert f"stripe_async.models.{module}" not in loaded_after_parsing(kind, body)


def test_an_expanded_object_still_parses_as_its_model() -> None:
    body = {**fixture("checkout.session"), "payment_intent": fixture("payment_intent")}
    assert "stripe_async.models.payment_intent" in loaded_after_parsing("checkout.session", body)


def test_an_object_in_a_union_imports_only_its_own_model() -> None:
    # A charge's `source` is an Account, a BankAccount, a Card or a Source: the stand-ins
    # of the others know their kind and refuse it before importing anything.
    body = fixture("charge")
    assert body["source"]["object"] == "source"
    loaded = loaded_after_parsing("charge", body)
    assert "stripe_async.models.source" in loaded
    assert not loaded & {"stripe_async.models.card", "stripe_async.models.bank_account"}


def test_an_expanded_account_builds_only_the_parts_its_reply_holds() -> None:
    from stripe_async.models import Account, StripeModel, account

    # Charges, subscriptions and payment links expand an Account (often just its id and
    # kind): its module defines only Account, every nested model is in a part.
    defined = [
        value
        for value in vars(account).values()
        if isinstance(value, type) and issubclass(value, StripeModel)
        if value.__module__ == account.__name__
    ]
    assert defined == [Account]
    body = fixture("charge")
    assert body["transfer_data"]["destination"] == {"id": "obj_123", "object": "account"}
    loaded = loaded_after_parsing("charge", body)
    assert "stripe_async.models.account" in loaded
    assert not any(m.startswith("stripe_async.models._parts.account") for m in loaded)
    full = {**body, "transfer_data": {**body["transfer_data"], "destination": fixture("account")}}
    loaded = loaded_after_parsing("charge", full)
    assert "stripe_async.models._parts.account.settings" in loaded
