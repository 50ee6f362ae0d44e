"""A module-level router across tests that use the emulator fixtures.

Applications define their router once, at import; tests then share it. The
fixtures seed each test's emulator differently, so one test's events are never
taken for another's duplicates and skipped.
"""

from __future__ import annotations

import json
import zlib

import pytest

from stripe_async import StripeClient
from stripe_async.models import Event
from stripe_async.testing import StripeEmulator
from stripe_async.testing.fixtures import stripe_client, stripe_emulator  # noqa: F401
from stripe_async.webhooks import InMemoryEventStore, WebhookRouter
from stripe_async.webhooks.events import parse_event

router = WebhookRouter("whsec_module_level")
handled: list[str] = []


@router.on("payment_intent.succeeded")
async def fulfil(event: Event) -> None:
    handled.append(event.id)


@pytest.mark.parametrize("run", ["first test", "second test"])
async def test_seeded_events_are_handled_in_every_test(
    run: str,
    stripe_client: StripeClient,  # noqa: F811
    stripe_emulator: StripeEmulator,  # noqa: F811
) -> None:
    await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        payment_method="pm_card_visa",
        confirm=True,
        payment_method_types=["card"],
    )
    [succeeded] = stripe_emulator.events("payment_intent.succeeded")
    result = await router.handle(parse_event(json.dumps(succeeded)))
    assert not result.duplicate and handled[-1] == succeeded["id"]


def test_ids_are_reproducible_per_test_and_differ_between_tests(
    stripe_emulator: StripeEmulator,  # noqa: F811
    request: pytest.FixtureRequest,
) -> None:
    assert stripe_emulator.seed == zlib.crc32(request.node.nodeid.encode())


async def test_a_fresh_store_can_be_swapped_into_a_shared_router() -> None:
    shared = WebhookRouter("whsec_module_level")
    ran: list[str] = []
    shared.add_handler("*", lambda event: ran.append(event.id))
    event = parse_event(
        json.dumps(
            {"id": "evt_same", "object": "event", "type": "test.x", "created": 1,
             "livemode": False, "pending_webhooks": 0, "data": {"object": {}}}
        )
    )  # fmt: skip
    await shared.handle(event)
    assert (await shared.handle(event)).duplicate
    shared.store = InMemoryEventStore()
    assert not (await shared.handle(event)).duplicate and ran == ["evt_same", "evt_same"]
