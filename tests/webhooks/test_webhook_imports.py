"""A webhook receiver pays only for what it uses: no client, and only the models it parses."""

from __future__ import annotations

import json
import subprocess
import sys

from webhook_helpers import SECRET, event_body, fixture, signed

PROBE = """
import json, sys
from stripe_async.webhooks import WebhookRouter, construct_event
after_import = sorted(m for m in sys.modules if m.startswith(("stripe_async.models", "httpx")))
body, header, secret = sys.argv[1].encode(), sys.argv[2], sys.argv[3]
event = construct_event(body, header, secret)
after_parse = sorted(m for m in sys.modules if m.startswith("stripe_async.models."))
print(json.dumps([after_import, after_parse, type(event.data.object).__name__]))
"""


def _probe(body: bytes) -> tuple[list[str], list[str], str]:
    header = signed(body)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, body.decode(), header, SECRET],
        capture_output=True,
        text=True,
        check=True,
    )
    after_import, after_parse, kind = json.loads(out.stdout)
    return after_import, after_parse, kind


def test_importing_the_receiver_builds_no_model_and_no_client() -> None:
    after_import, _, _ = _probe(event_body())
    assert after_import == []


def test_an_event_imports_only_its_own_object_model() -> None:
    body = event_body("checkout.session.completed", obj=fixture("checkout.session"))
    _, after_parse, kind = _probe(body)
    assert kind == "Session"
    # The session's own nested models come from its parts, imported for what the reply holds.
    parts = {m for m in after_parse if m.startswith("stripe_async.models._parts")}
    assert all(
        m.startswith("stripe_async.models._parts.checkout")
        for m in parts - {"stripe_async.models._parts"}
    )
    models = {m for m in after_parse if not m.rsplit(".", 1)[-1].startswith("_")} - parts
    assert models == {
        "stripe_async.models.checkout",
        "stripe_async.models.checkout.session",
        "stripe_async.models.event",
    }
