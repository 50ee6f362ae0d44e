"""Prorations on subscription changes, with amounts computed by hand from Stripe's rule.

The seeded emulator's clock starts at 1700000000 (2023-11-14 22:13:20 UTC), so a monthly
subscription's first period is 30 days (2,592,000 s). A change after `t` seconds credits
`round(old * (P - t) / P)` and charges `round(new * (P - t) / P)`, P = 2,592,000.
"""

from __future__ import annotations

from typing import Any

from stripe_async.testing import StripeEmulator

DAY = 86400
START = 1_700_000_000
PERIOD = 30 * DAY  # 14 Nov to 14 Dec 2023


async def _price(raw: Any, amount: int, interval: str = "month", name: str = "Pro") -> str:
    price = await raw.ok(
        "POST",
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": amount,
            "recurring[interval]": interval,
            "product_data[name]": name,
        },
    )
    return str(price["id"])


async def _subscribed(raw: Any, price: str, quantity: int = 1) -> dict[str, Any]:
    customer = await raw.ok(
        "POST",
        "/v1/customers",
        {
            "email": "p@example.com",
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
        },
    )
    sub: dict[str, Any] = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {"customer": customer["id"], "items[0][price]": price, "items[0][quantity]": quantity},
    )
    assert sub["status"] == "active"
    return sub


async def _pending(raw: Any, customer: str) -> list[dict[str, Any]]:
    items = await raw.ok("GET", "/v1/invoiceitems", {"customer": customer, "pending": "true"})
    return sorted(items["data"], key=lambda i: i["amount"])  # type: ignore[no-any-return]


async def test_create_prorations_leaves_credit_and_debit_for_the_next_renewal(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    basic, pro = await _price(raw, 1000, name="Basic"), await _price(raw, 3000)
    sub = await _subscribed(raw, basic)
    await stripe_emulator.advance_clock(10 * DAY)
    item = sub["items"]["data"][0]
    updated = await raw.ok(
        "POST",
        f"/v1/subscriptions/{sub['id']}",
        {"items[0][id]": item["id"], "items[0][price]": pro},  # create_prorations by default
    )
    assert updated["latest_invoice"] == sub["latest_invoice"]  # nothing invoiced now
    # 20 of 30 days left: 1000 * 2/3 = 666.67 -> 667 credited, 3000 * 2/3 = 2000 charged.
    credit, debit = await _pending(raw, sub["customer"])
    assert (credit["amount"], debit["amount"]) == (-667, 2000)
    for line in (credit, debit):
        assert line["proration"] is True
        assert line["period"] == {"start": START + 10 * DAY, "end": START + PERIOD}
    assert credit["description"] == "Unused time on Basic after 24 Nov 2023"
    assert debit["description"] == "Remaining time on Pro after 24 Nov 2023"

    # The renewal draft is finalized (and the balance applied) an hour later.
    await stripe_emulator.advance_clock(20 * DAY + 3600)
    renewal = await raw.ok("GET", "/v1/invoices", {"subscription": sub["id"], "limit": 1})
    [invoice] = renewal["data"]
    assert invoice["billing_reason"] == "subscription_cycle"
    assert invoice["total"] == 3000 - 667 + 2000 == 4333
    assert invoice["status"] == "paid" and invoice["amount_paid"] == 4333
    prorated = [
        line
        for line in invoice["lines"]["data"]
        if (line["parent"]["invoice_item_details"] or {}).get("proration")
    ]
    assert sorted(line["amount"] for line in prorated) == [-667, 2000]
    assert await _pending(raw, sub["customer"]) == []


async def test_always_invoice_charges_the_difference_now_to_the_second(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    price = await _price(raw, 1000)
    sub = await _subscribed(raw, price)
    elapsed = 7 * DAY + 1
    await stripe_emulator.advance_clock(elapsed)
    item = sub["items"]["data"][0]
    updated = await raw.ok(
        "POST",
        f"/v1/subscriptions/{sub['id']}",
        {
            "items[0][id]": item["id"],
            "items[0][quantity]": 3,
            "proration_behavior": "always_invoice",
        },
    )
    # 1,987,199 s of 2,592,000 left: 1000 * that = 766.666 -> 767 credited for the one
    # seat; 3000 * that = 2299.9988 -> 2300 charged for three (a day-based split would
    # give 767 and 2300 only by luck at 23 days: 2300.00 vs 2299.9988 shows the seconds).
    invoice = await raw.ok("GET", f"/v1/invoices/{updated['latest_invoice']}")
    assert invoice["id"] != sub["latest_invoice"]
    assert invoice["billing_reason"] == "subscription_update"
    assert sorted(line["amount"] for line in invoice["lines"]["data"]) == [-767, 2300]
    assert invoice["total"] == 1533 and invoice["status"] == "paid"
    assert updated["status"] == "active"
    assert await _pending(raw, sub["customer"]) == []
    assert "Remaining time on 3 \u00d7 Pro after" in str(invoice["lines"]["data"])


async def test_none_prorates_nothing(raw: Any, stripe_emulator: StripeEmulator) -> None:
    basic, pro = await _price(raw, 1000), await _price(raw, 3000)
    sub = await _subscribed(raw, basic)
    await stripe_emulator.advance_clock(10 * DAY)
    await raw.ok(
        "POST",
        f"/v1/subscriptions/{sub['id']}",
        {
            "items[0][id]": sub["items"]["data"][0]["id"],
            "items[0][price]": pro,
            "proration_behavior": "none",
        },
    )
    assert await _pending(raw, sub["customer"]) == []
    await stripe_emulator.advance_clock(20 * DAY)
    [invoice] = (await raw.ok("GET", "/v1/invoices", {"subscription": sub["id"], "limit": 1}))[
        "data"
    ]
    assert invoice["total"] == 3000


async def test_proration_date_sets_the_split(raw: Any, stripe_emulator: StripeEmulator) -> None:
    basic, pro = await _price(raw, 1000), await _price(raw, 3000)
    sub = await _subscribed(raw, basic)
    await stripe_emulator.advance_clock(10 * DAY)
    params = {
        "items[0][id]": sub["items"]["data"][0]["id"],
        "items[0][price]": pro,
        "proration_date": START + 5 * DAY,
    }
    await raw.ok("POST", f"/v1/subscriptions/{sub['id']}", params)
    # 25 of 30 days: 1000 * 5/6 = 833.33 -> 833; 3000 * 5/6 = 2500.
    credit, debit = await _pending(raw, sub["customer"])
    assert (credit["amount"], debit["amount"]) == (-833, 2500)
    assert credit["period"]["start"] == START + 5 * DAY
    response = await raw.post(
        f"/v1/subscriptions/{sub['id']}", {**params, "proration_date": START + PERIOD + 1}
    )
    assert response.status_code == 400 and response.json()["error"]["param"] == "proration_date"


async def test_subscription_item_calls_prorate(raw: Any, stripe_emulator: StripeEmulator) -> None:
    price, addon = await _price(raw, 1000), await _price(raw, 600, name="Seats")
    sub = await _subscribed(raw, price)
    await stripe_emulator.advance_clock(15 * DAY)
    item = await raw.ok(
        "POST", "/v1/subscription_items", {"subscription": sub["id"], "price": addon}
    )
    # Half the period is left: 600 / 2 = 300 charged for the new item.
    [added] = await _pending(raw, sub["customer"])
    assert added["amount"] == 300 and added["proration"] is True
    await raw.ok("DELETE", f"/v1/subscription_items/{item['id']}")
    amounts = [i["amount"] for i in await _pending(raw, sub["customer"])]
    assert amounts == [-300, 300]


async def test_interval_change_resets_the_cycle_with_an_invoice_now(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    monthly, yearly = await _price(raw, 1000), await _price(raw, 12000, "year")
    sub = await _subscribed(raw, monthly)
    await stripe_emulator.advance_clock(10 * DAY)
    now = START + 10 * DAY
    updated = await raw.ok(
        "POST",
        f"/v1/subscriptions/{sub['id']}",
        {"items[0][id]": sub["items"]["data"][0]["id"], "items[0][price]": yearly},
    )
    assert updated["billing_cycle_anchor"] == now
    item = updated["items"]["data"][0]
    # 24 Nov 2023 to 24 Nov 2024: 366 days (2024 is a leap year).
    assert (item["current_period_start"], item["current_period_end"]) == (now, now + 366 * DAY)
    invoice = await raw.ok("GET", f"/v1/invoices/{updated['latest_invoice']}")
    assert invoice["billing_reason"] == "subscription_update"
    # The unused 20 days of the month are credited: -667; the year is billed in full.
    assert sorted(line["amount"] for line in invoice["lines"]["data"]) == [-667, 12000]
    assert invoice["total"] == 11333 and invoice["status"] == "paid"


async def test_billing_cycle_anchor_now(raw: Any, stripe_emulator: StripeEmulator) -> None:
    price = await _price(raw, 1000)
    prorated, plain = await _subscribed(raw, price), await _subscribed(raw, price)
    await stripe_emulator.advance_clock(10 * DAY)
    first = await raw.ok(
        "POST", f"/v1/subscriptions/{prorated['id']}", {"billing_cycle_anchor": "now"}
    )
    invoice = await raw.ok("GET", f"/v1/invoices/{first['latest_invoice']}")
    assert invoice["total"] == 1000 - 667 == 333
    second = await raw.ok(
        "POST",
        f"/v1/subscriptions/{plain['id']}",
        {"billing_cycle_anchor": "now", "proration_behavior": "none"},
    )
    invoice = await raw.ok("GET", f"/v1/invoices/{second['latest_invoice']}")
    assert invoice["total"] == 1000
    assert second["items"]["data"][0]["current_period_start"] == START + 10 * DAY


async def test_preview_shows_the_lines_the_change_will_make(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    basic, pro = await _price(raw, 1000), await _price(raw, 3000)
    sub = await _subscribed(raw, basic)
    await stripe_emulator.advance_clock(10 * DAY)
    item = sub["items"]["data"][0]["id"]
    change = {
        "subscription": sub["id"],
        "subscription_details[items][0][id]": item,
        "subscription_details[items][0][price]": pro,
    }
    preview = await raw.ok("POST", "/v1/invoices/create_preview", change)
    # The next renewal at the new price, plus the prorations the change leaves pending.
    assert sorted(line["amount"] for line in preview["lines"]["data"]) == [-667, 2000, 3000]
    assert preview["total"] == 4333
    now = await raw.ok(
        "POST",
        "/v1/invoices/create_preview",
        {**change, "subscription_details[proration_behavior]": "always_invoice"},
    )
    assert now["total"] == 1333
    # Nothing was stored: the real change then bills what the preview showed.
    assert await _pending(raw, sub["customer"]) == []
    await raw.ok(
        "POST", f"/v1/subscriptions/{sub['id']}", {"items[0][id]": item, "items[0][price]": pro}
    )
    await stripe_emulator.advance_clock(20 * DAY)
    [invoice] = (await raw.ok("GET", "/v1/invoices", {"subscription": sub["id"], "limit": 1}))[
        "data"
    ]
    assert invoice["total"] == preview["total"]


async def test_trials_are_not_prorated(raw: Any, stripe_emulator: StripeEmulator) -> None:
    basic, pro = await _price(raw, 1000), await _price(raw, 3000)
    customer = await raw.ok("POST", "/v1/customers", {"email": "t@example.com"})
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {"customer": customer["id"], "items[0][price]": basic, "trial_period_days": 14},
    )
    await raw.ok(
        "POST",
        f"/v1/subscriptions/{sub['id']}",
        {"items[0][id]": sub["items"]["data"][0]["id"], "items[0][price]": pro},
    )
    assert await _pending(raw, customer["id"]) == []


async def test_portal_plan_switch_prorates_as_configured(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    basic, pro = await _price(raw, 1000, name="Basic"), await _price(raw, 3000)
    sub = await _subscribed(raw, basic)
    product = (await raw.ok("GET", f"/v1/prices/{pro}"))["product"]
    configuration = await raw.ok(
        "POST",
        "/v1/billing_portal/configurations",
        {
            "features[subscription_update][enabled]": "true",
            "features[subscription_update][default_allowed_updates][]": "price",
            "features[subscription_update][products][0][product]": product,
            "features[subscription_update][products][0][prices][]": pro,
            "features[subscription_update][proration_behavior]": "always_invoice",
        },
    )
    session = await raw.ok(
        "POST",
        "/v1/billing_portal/sessions",
        {"customer": sub["customer"], "configuration": configuration["id"]},
    )
    await stripe_emulator.advance_clock(10 * DAY)
    switched = await stripe_emulator.portal_switch_price(session["id"], sub["id"], pro)
    invoice = await raw.ok("GET", f"/v1/invoices/{switched['latest_invoice']}")
    # As a direct update: -667 for the unused 20 days of Basic, +2000 for Pro's.
    assert (invoice["total"], invoice["status"]) == (1333, "paid")


async def test_pending_updates_are_refused_not_applied(raw: Any) -> None:
    basic, pro = await _price(raw, 1000), await _price(raw, 3000)
    sub = await _subscribed(raw, basic)
    reply = await raw.post(
        f"/v1/subscriptions/{sub['id']}",
        {
            "items[0][id]": sub["items"]["data"][0]["id"],
            "items[0][price]": pro,
            "proration_behavior": "always_invoice",
            "payment_behavior": "pending_if_incomplete",
        },
    )
    assert reply.json()["error"]["code"] == "emulator_unsupported"
    again = await raw.ok("GET", f"/v1/subscriptions/{sub['id']}")
    assert again["items"]["data"][0]["price"]["id"] == basic
