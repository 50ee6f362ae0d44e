"""Usage-based billing: meters, meter events, event summaries and metered prices.

Amounts are hand-computed: a metered price of 5 cents a unit bills 5 * the period's
aggregated usage, in arrears, beside a licensed price of 1000 billed in advance.
"""

from __future__ import annotations

from typing import Any

from stripe_async.testing import StripeEmulator

DAY = 86400
START = 1_700_000_000  # 14 Nov 2023 22:13:20 UTC; the first period is 30 days


async def _meter(raw: Any, formula: str = "sum", event_name: str = "api_call") -> dict[str, Any]:
    return await raw.ok(  # type: ignore[no-any-return]
        "POST",
        "/v1/billing/meters",
        {
            "display_name": "API calls",
            "event_name": event_name,
            "default_aggregation[formula]": formula,
        },
    )


async def _event(raw: Any, customer: str, value: int, **extra: Any) -> Any:
    data = {
        "event_name": extra.pop("event_name", "api_call"),
        "payload[stripe_customer_id]": customer,
        "payload[value]": str(value),
        **extra,
    }
    return await raw.post("/v1/billing/meter_events", data)


async def _customer(raw: Any) -> dict[str, Any]:
    return await raw.ok(  # type: ignore[no-any-return]
        "POST",
        "/v1/customers",
        {
            "email": "u@example.com",
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
        },
    )


async def _metered_subscription(raw: Any, meter: str) -> dict[str, Any]:
    seats = await raw.ok(
        "POST",
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 1000,
            "recurring[interval]": "month",
            "product_data[name]": "Seats",
        },
    )
    calls = await raw.ok(
        "POST",
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 5,
            "recurring[interval]": "month",
            "recurring[usage_type]": "metered",
            "recurring[meter]": meter,
            "product_data[name]": "API calls",
        },
    )
    assert calls["recurring"]["usage_type"] == "metered" and calls["recurring"]["meter"] == meter
    customer = await _customer(raw)
    return await raw.ok(  # type: ignore[no-any-return]
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer["id"],
            "items[0][price]": seats["id"],
            "items[1][price]": calls["id"],
        },
    )


async def _latest(raw: Any, subscription: str) -> dict[str, Any]:
    page = await raw.ok("GET", "/v1/invoices", {"subscription": subscription, "limit": 1})
    return page["data"][0]  # type: ignore[no-any-return]


async def test_metered_price_with_no_usage_bills_nothing(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    meter = await _meter(raw)
    sub = await _metered_subscription(raw, meter["id"])
    first = await raw.ok("GET", f"/v1/invoices/{sub['latest_invoice']}")
    assert first["total"] == 1000  # the seats in advance; no usage yet
    await stripe_emulator.advance_clock(30 * DAY)
    renewal = await _latest(raw, sub["id"])
    assert renewal["billing_reason"] == "subscription_cycle"
    assert renewal["total"] == 1000  # not 1005: no usage was recorded
    metered = [line for line in renewal["lines"]["data"] if line["amount"] == 0]
    assert metered and metered[0]["quantity"] == 0


async def test_invoice_bills_the_periods_aggregated_usage(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    meter = await _meter(raw)
    sub = await _metered_subscription(raw, meter["id"])
    customer = sub["customer"]
    for value in (10, 15, 25):
        response = await _event(raw, customer, value)
        assert response.status_code == 200, response.text
    await stripe_emulator.advance_clock(30 * DAY)  # 14 Dec: the first period ends
    renewal = await _latest(raw, sub["id"])
    # 1000 for the new month of seats + 5 * (10 + 15 + 25) = 250 for November's calls.
    assert renewal["total"] == 1250
    [line] = [line for line in renewal["lines"]["data"] if line["description"].startswith("50")]
    assert (line["amount"], line["quantity"]) == (250, 50)
    assert line["period"] == {"start": START, "end": START + 30 * DAY}
    # December's usage goes to January's invoice; November's is not billed again.
    await _event(raw, customer, 7)
    await stripe_emulator.advance_clock(31 * DAY)
    assert (await _latest(raw, sub["id"]))["total"] == 1000 + 35


async def test_identifier_dedupes_and_adjustment_cancels(raw: Any) -> None:
    meter = await _meter(raw)
    customer = await _customer(raw)
    first = await _event(raw, customer["id"], 4, identifier="req-1")
    assert first.status_code == 200
    assert first.json()["object"] == "billing.meter_event"
    assert first.json()["payload"] == {"stripe_customer_id": customer["id"], "value": "4"}
    again = await _event(raw, customer["id"], 4, identifier="req-1")
    assert again.status_code == 400 and again.json()["error"]["param"] == "identifier"
    await _event(raw, customer["id"], 6, identifier="req-2")
    window = {"customer": customer["id"], "start_time": START - 60, "end_time": START + 60}
    summaries = await raw.ok("GET", f"/v1/billing/meters/{meter['id']}/event_summaries", window)
    [summary] = summaries["data"]
    assert summary["object"] == "billing.meter_event_summary"
    assert summary["aggregated_value"] == 10 and summary["meter"] == meter["id"]
    await raw.ok(
        "POST",
        "/v1/billing/meter_event_adjustments",
        {"event_name": "api_call", "type": "cancel", "cancel[identifier]": "req-2"},
    )
    summaries = await raw.ok("GET", f"/v1/billing/meters/{meter['id']}/event_summaries", window)
    assert summaries["data"][0]["aggregated_value"] == 4


async def test_summaries_by_formula_and_window(raw: Any, stripe_emulator: StripeEmulator) -> None:
    customer = (await _customer(raw))["id"]
    sums = await _meter(raw, "sum", "tokens")
    counts = await _meter(raw, "count", "requests")
    lasts = await _meter(raw, "last", "storage")
    await stripe_emulator.advance_clock(2 * DAY)  # the events below are then in the past
    for hour, value in ((0, 3), (1, 5), (25, 2)):
        moment = START + hour * 3600
        for name in ("tokens", "requests", "storage"):
            reply = await _event(raw, customer, value, event_name=name, timestamp=moment)
            assert reply.status_code == 200, reply.text
    window = {"customer": customer, "start_time": START, "end_time": START + 2 * DAY}
    expected = {sums["id"]: 10, counts["id"]: 3, lasts["id"]: 2}
    for meter_id, value in expected.items():
        page = await raw.ok("GET", f"/v1/billing/meters/{meter_id}/event_summaries", window)
        assert [s["aggregated_value"] for s in page["data"]] == [value]
    daily = await raw.ok(
        "GET",
        f"/v1/billing/meters/{sums['id']}/event_summaries",
        {**window, "value_grouping_window": "day"},
    )
    # Newest first: the second day has 2, the first 3 + 5.
    assert [(s["start_time"], s["aggregated_value"]) for s in daily["data"]] == [
        (START + DAY, 2),
        (START, 8),
    ]


async def test_meter_lifecycle_and_validation(raw: Any) -> None:
    meter = await _meter(raw)
    assert meter["id"].startswith("mtr_") and meter["status"] == "active"
    assert meter["customer_mapping"] == {"event_payload_key": "stripe_customer_id", "type": "by_id"}
    assert meter["value_settings"] == {"event_payload_key": "value"}
    customer = await _customer(raw)
    inactive = await raw.ok("POST", f"/v1/billing/meters/{meter['id']}/deactivate")
    assert inactive["status"] == "inactive" and inactive["status_transitions"]["deactivated_at"]
    assert (await raw.post(f"/v1/billing/meters/{meter['id']}/deactivate")).status_code == 400
    listed = await raw.ok("GET", "/v1/billing/meters", {"status": "inactive"})
    assert [m["id"] for m in listed["data"]] == [meter["id"]]
    refused = await _event(raw, customer["id"], 1)
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "event_name"
    active = await raw.ok("POST", f"/v1/billing/meters/{meter['id']}/reactivate")
    assert active["status"] == "active" and active["status_transitions"]["deactivated_at"] is None
    assert (await raw.ok("GET", f"/v1/billing/meters/{meter['id']}"))["status"] == "active"
    late = await _event(raw, customer["id"], 1, timestamp=START - 36 * DAY)
    assert late.status_code == 400 and late.json()["error"]["param"] == "timestamp"
    unknown = await _event(raw, "cus_missing", 1)
    assert unknown.status_code == 404
    no_meter = await raw.post(
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 5,
            "recurring[interval]": "month",
            "recurring[usage_type]": "metered",
            "product_data[name]": "x",
        },
    )
    assert no_meter.status_code == 400
    assert no_meter.json()["error"]["param"] == "recurring[meter]"
    # A meter on a licensed price would bill its unit amount whatever the usage: refused.
    licensed = await raw.post(
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 5,
            "recurring[interval]": "month",
            "recurring[meter]": meter["id"],
            "product_data[name]": "x",
        },
    )
    assert licensed.status_code == 400
