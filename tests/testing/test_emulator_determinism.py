"""Seeded emulators give identical objects, ids and events run after run."""

from __future__ import annotations

import json
from typing import Any

import httpx

from stripe_async import CardError, StripeClient
from stripe_async.testing import FrozenClock, StripeEmulator


async def _scenario(emulator: StripeEmulator) -> list[Any]:
    """A fixed sequence of calls; returns every reply body (and the events)."""
    out: list[Any] = []
    async with StripeClient.for_emulator(emulator, max_retries=0) as stripe:
        # Events record the Idempotency-Key sent; StripeClient makes random ones by default.
        customer = await stripe.customers.create(
            email="snap@example.com", metadata={"a": "1"}, idempotency_key="snap-1"
        )
        out.append(customer.to_dict())
        pi = await stripe.payment_intents.create(
            amount=4200,
            currency="usd",
            customer=customer.id,
            payment_method="pm_card_visa",
            confirm=True,
            idempotency_key="snap-2",
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )
        out.append(pi.to_dict())
        try:
            await stripe.payment_intents.create(
                amount=100,
                currency="usd",
                payment_method="pm_card_chargeDeclined",
                confirm=True,
                idempotency_key="snap-3",
                automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
            )
        except CardError as error:
            out.append(error.json_body)
    async with httpx.AsyncClient(
        transport=emulator.transport(),
        base_url="https://api.stripe.com",
        headers={"Authorization": "Bearer sk_test_snap"},
    ) as http:
        sub = await http.post(
            "/v1/subscriptions",
            data={
                "customer": customer.id,
                "items[0][price_data][currency]": "usd",
                "items[0][price_data][unit_amount]": "900",
                "items[0][price_data][recurring][interval]": "month",
                "items[0][price_data][product]": (
                    await http.post("/v1/products", data={"name": "Snap"})
                ).json()["id"],
                "default_payment_method": pi.to_dict()["payment_method"],
            },
        )
        out.append(sub.json())
    out.append(emulator.events())
    return out


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


async def test_same_seed_same_everything() -> None:
    first = await _scenario(StripeEmulator(seed=1234))
    second = await _scenario(StripeEmulator(seed=1234))
    assert _dump(first) == _dump(second)
    assert first[0]["created"] == 1_700_000_000  # the frozen clock


async def test_other_seed_other_ids() -> None:
    first = await _scenario(StripeEmulator(seed=1))
    second = await _scenario(StripeEmulator(seed=2))
    assert first[0]["id"] != second[0]["id"]
    assert first[0]["email"] == second[0]["email"]


async def test_unseeded_emulators_differ_and_use_the_wall_clock() -> None:
    import time

    a = await _scenario(StripeEmulator())
    b = await _scenario(StripeEmulator())
    assert a[0]["id"] != b[0]["id"]
    assert abs(a[0]["created"] - time.time()) < 60


async def test_injected_clock(stripe_emulator: StripeEmulator) -> None:
    clock = FrozenClock(1_800_000_000)
    emulator = StripeEmulator(seed=5, clock=clock)
    async with StripeClient.for_emulator(emulator) as stripe:
        first = await stripe.customers.create()
        clock.advance(3600)
        second = await stripe.customers.create()
    assert (first.created, second.created) == (1_800_000_000, 1_800_003_600)


async def test_clock_only_moves_forward() -> None:
    import pytest

    with pytest.raises(ValueError):
        FrozenClock().advance(-1)
    with pytest.raises(TypeError, match="FrozenClock"):
        await StripeEmulator(clock=lambda: 1).advance_clock(10)
