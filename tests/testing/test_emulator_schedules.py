"""Subscription schedules: phases that change the price on a date, moved by the clock.

The seeded clock starts at 1700000000 (14 Nov 2023 22:13:20 UTC): monthly periods run
to 14 Dec (30 days), 14 Jan (31 days) and 14 Feb (31 days).
"""

from __future__ import annotations

from typing import Any

from stripe_async.testing import StripeEmulator

DAY = 86400
START = 1_700_000_000
DEC, JAN, FEB = START + 30 * DAY, START + 61 * DAY, START + 92 * DAY


async def _price(raw: Any, amount: int, name: str) -> str:
    price = await raw.ok(
        "POST",
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": amount,
            "recurring[interval]": "month",
            "product_data[name]": name,
        },
    )
    return str(price["id"])


async def _customer(raw: Any) -> str:
    customer = await raw.ok(
        "POST",
        "/v1/customers",
        {
            "email": "s@example.com",
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
        },
    )
    return str(customer["id"])


async def _latest(raw: Any, subscription: str) -> dict[str, Any]:
    page = await raw.ok("GET", "/v1/invoices", {"subscription": subscription, "limit": 1})
    return page["data"][0]  # type: ignore[no-any-return]


async def test_phases_change_the_price_when_the_clock_passes_their_start(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    basic, pro = await _price(raw, 1000, "Basic"), await _price(raw, 3000, "Pro")
    schedule = await raw.ok(
        "POST",
        "/v1/subscription_schedules",
        {
            "customer": await _customer(raw),
            "start_date": "now",
            "end_behavior": "release",
            "phases[0][items][0][price]": basic,
            "phases[0][duration][interval]": "month",
            "phases[1][items][0][price]": pro,
            "phases[1][duration][interval]": "month",
            "phases[1][duration][interval_count]": 2,
        },
    )
    assert schedule["id"].startswith("sub_sched_") and schedule["status"] == "active"
    assert schedule["current_phase"] == {"start_date": START, "end_date": DEC}
    assert [(p["start_date"], p["end_date"]) for p in schedule["phases"]] == [
        (START, DEC),
        (DEC, FEB),
    ]
    sub = await raw.ok("GET", f"/v1/subscriptions/{schedule['subscription']}")
    assert sub["schedule"] == schedule["id"]
    assert sub["items"]["data"][0]["price"]["id"] == basic
    assert (await _latest(raw, sub["id"]))["total"] == 1000

    await stripe_emulator.advance_clock(30 * DAY)  # 14 Dec: the Pro phase begins
    sub = await raw.ok("GET", f"/v1/subscriptions/{sub['id']}")
    assert [i["price"]["id"] for i in sub["items"]["data"]] == [pro]
    renewal = await _latest(raw, sub["id"])
    assert renewal["billing_reason"] == "subscription_cycle"
    assert renewal["total"] == 3000  # the new price, no prorations at the period's end
    schedule = await raw.ok("GET", f"/v1/subscription_schedules/{schedule['id']}")
    assert schedule["current_phase"] == {"start_date": DEC, "end_date": FEB}
    assert stripe_emulator.events("subscription_schedule.updated")

    await stripe_emulator.advance_clock(31 * DAY)
    assert (await _latest(raw, sub["id"]))["total"] == 3000
    await stripe_emulator.advance_clock(31 * DAY)  # 14 Feb: the last phase ends
    schedule = await raw.ok("GET", f"/v1/subscription_schedules/{schedule['id']}")
    assert schedule["status"] == "released"
    assert (schedule["released_subscription"], schedule["subscription"]) == (sub["id"], None)
    sub = await raw.ok("GET", f"/v1/subscriptions/{sub['id']}")
    assert sub["status"] == "active" and sub["schedule"] is None
    assert (await _latest(raw, sub["id"]))["total"] == 3000  # released, it keeps renewing


async def test_end_behavior_cancel(raw: Any, stripe_emulator: StripeEmulator) -> None:
    basic = await _price(raw, 1000, "Basic")
    schedule = await raw.ok(
        "POST",
        "/v1/subscription_schedules",
        {
            "customer": await _customer(raw),
            "end_behavior": "cancel",
            "phases[0][items][0][price]": basic,
            "phases[0][end_date]": DEC,
        },
    )
    await stripe_emulator.advance_clock(30 * DAY)
    schedule = await raw.ok("GET", f"/v1/subscription_schedules/{schedule['id']}")
    assert schedule["status"] == "completed" and schedule["completed_at"] == DEC
    sub = await raw.ok("GET", f"/v1/subscriptions/{schedule['subscription']}")
    assert sub["status"] == "canceled"


async def test_a_future_schedule_starts_its_subscription_on_its_date(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    basic = await _price(raw, 1000, "Basic")
    customer = await _customer(raw)
    schedule = await raw.ok(
        "POST",
        "/v1/subscription_schedules",
        {
            "customer": customer,
            "start_date": START + 5 * DAY,
            "phases[0][items][0][price]": basic,
            "phases[0][items][0][quantity]": 2,
        },
    )
    assert schedule["status"] == "not_started" and schedule["subscription"] is None
    listed = await raw.ok("GET", "/v1/subscription_schedules", {"scheduled": "true"})
    assert [s["id"] for s in listed["data"]] == [schedule["id"]]
    assert (await raw.ok("GET", "/v1/subscriptions", {"customer": customer}))["data"] == []
    await stripe_emulator.advance_clock(5 * DAY)
    schedule = await raw.ok("GET", f"/v1/subscription_schedules/{schedule['id']}")
    assert schedule["status"] == "active"
    sub = await raw.ok("GET", f"/v1/subscriptions/{schedule['subscription']}")
    assert sub["start_date"] == START + 5 * DAY
    assert (await _latest(raw, sub["id"]))["total"] == 2000
    backdated = await raw.post(
        "/v1/subscription_schedules",
        {"customer": customer, "start_date": START, "phases[0][items][0][price]": basic},
    )
    assert backdated.json()["error"]["code"] == "emulator_unsupported"


async def test_from_subscription_then_a_next_phase(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    basic, pro = await _price(raw, 1000, "Basic"), await _price(raw, 3000, "Pro")
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": await _customer(raw), "items[0][price]": basic}
    )
    schedule = await raw.ok("POST", "/v1/subscription_schedules", {"from_subscription": sub["id"]})
    assert schedule["status"] == "active" and schedule["subscription"] == sub["id"]
    assert [(p["start_date"], p["end_date"]) for p in schedule["phases"]] == [(START, DEC)]
    updated = await raw.ok(
        "POST",
        f"/v1/subscription_schedules/{schedule['id']}",
        {
            "phases[0][items][0][price]": basic,
            "phases[0][start_date]": START,
            "phases[0][end_date]": DEC,
            "phases[1][items][0][price]": pro,
            "phases[1][duration][interval]": "month",
        },
    )
    assert [p["end_date"] for p in updated["phases"]] == [DEC, JAN]
    assert await raw.ok("GET", "/v1/invoiceitems", {"pending": "true"}) == {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": "/v1/invoiceitems",
    }  # the current phase did not change: nothing prorated
    await stripe_emulator.advance_clock(30 * DAY)
    assert (await _latest(raw, sub["id"]))["total"] == 3000


async def test_release_and_cancel(raw: Any) -> None:
    basic = await _price(raw, 1000, "Basic")
    customer = await _customer(raw)
    params = {"customer": customer, "phases[0][items][0][price]": basic}
    first = await raw.ok("POST", "/v1/subscription_schedules", params)
    released = await raw.ok("POST", f"/v1/subscription_schedules/{first['id']}/release")
    assert released["status"] == "released" and released["released_at"] == START
    sub = await raw.ok("GET", f"/v1/subscriptions/{released['released_subscription']}")
    assert sub["status"] == "active" and sub["schedule"] is None
    again = await raw.post(f"/v1/subscription_schedules/{first['id']}/release")
    assert again.status_code == 400
    second = await raw.ok("POST", "/v1/subscription_schedules", params)
    canceled = await raw.ok("POST", f"/v1/subscription_schedules/{second['id']}/cancel")
    assert canceled["status"] == "canceled"
    sub = await raw.ok("GET", f"/v1/subscriptions/{second['subscription']}")
    assert sub["status"] == "canceled"
