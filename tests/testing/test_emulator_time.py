"""Billing over time: test clocks, the subscription lifecycle, dunning, webhook retries.

Every date and amount here is worked out by hand from the calendar (2024 is a leap
year: February has 29 days), never read back from the emulator.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from stripe_async.testing import StripeEmulator

HOUR = 3600
DAY = 86400
JAN_1 = 1_704_067_200  # 2024-01-01T00:00:00Z
FEB_1 = JAN_1 + 31 * DAY  # 2024-02-01
MAR_1 = FEB_1 + 29 * DAY  # 2024-03-01
JAN_15 = JAN_1 + 14 * DAY  # a 14-day trial ends here
FEB_15 = JAN_15 + 31 * DAY
MAR_15 = FEB_15 + 29 * DAY
BASE = 1_700_000_000  # the seeded emulator's own frozen time


class _Raw:
    """The `raw` fixture's `ok`, for an emulator built with other settings."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def ok(self, method: str, path: str, data: Any = None) -> dict[str, Any]:
        if method == "GET":
            response = await self.http.get(path, params=data)
        else:
            response = await self.http.request(method, path, data=data or {})
        assert response.is_success, response.text
        return response.json()  # type: ignore[no-any-return]


class Receiver:
    """An ASGI webhook receiver answering the statuses it is given, then 200."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.types: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.types.append(json.loads(body)["type"])
        status = self.statuses.pop(0) if self.statuses else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def _clock(raw: Any, frozen_time: int = JAN_1) -> dict[str, Any]:
    return await raw.ok(  # type: ignore[no-any-return]
        "POST", "/v1/test_helpers/test_clocks", {"frozen_time": frozen_time, "name": "t"}
    )


async def _advance(raw: Any, clock: dict[str, Any], to: int) -> dict[str, Any]:
    reply = await raw.ok(
        "POST", f"/v1/test_helpers/test_clocks/{clock['id']}/advance", {"frozen_time": to}
    )
    assert reply["status"] == "advancing"
    after = await raw.ok("GET", f"/v1/test_helpers/test_clocks/{clock['id']}")
    assert after["status"] == "ready" and after["frozen_time"] == to
    return after  # type: ignore[no-any-return]


async def _customer_on(raw: Any, clock: dict[str, Any], card: str = "pm_card_visa") -> str:
    customer = await raw.ok(
        "POST", "/v1/customers", {"test_clock": clock["id"], "email": "c@example.com"}
    )
    pm = await raw.ok("POST", f"/v1/payment_methods/{card}/attach", {"customer": customer["id"]})
    await raw.ok(
        "POST",
        f"/v1/customers/{customer['id']}",
        {"invoice_settings[default_payment_method]": pm["id"]},
    )
    return str(customer["id"])


async def _set_card(raw: Any, customer: str, card: str) -> None:
    pm = await raw.ok("POST", f"/v1/payment_methods/{card}/attach", {"customer": customer})
    await raw.ok(
        "POST", f"/v1/customers/{customer}", {"invoice_settings[default_payment_method]": pm["id"]}
    )


async def _monthly(raw: Any, amount: int = 2000) -> str:
    price = await raw.ok(
        "POST",
        "/v1/prices",
        {
            "unit_amount": amount,
            "currency": "usd",
            "recurring[interval]": "month",
            "product_data[name]": "Pro",
        },
    )
    return str(price["id"])


async def _invoices(raw: Any, sub: str) -> list[dict[str, Any]]:
    listed = await raw.ok("GET", "/v1/invoices", {"subscription": sub})
    return list(reversed(listed["data"]))  # oldest first


def _types(emulator: StripeEmulator, since: int = 0) -> list[str]:
    return [e["type"] for e in emulator.events()[since:]]


# --- test clocks --------------------------------------------------------------------


async def test_test_clock_create_retrieve_list_advance_delete(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    clock = await _clock(raw)
    assert clock["object"] == "test_helpers.test_clock"
    assert clock["id"].startswith("clock_")
    assert (clock["frozen_time"], clock["status"], clock["created"]) == (JAN_1, "ready", BASE)
    assert clock["deletes_after"] == BASE + 30 * DAY
    listed = await raw.ok("GET", "/v1/test_helpers/test_clocks")
    assert [c["id"] for c in listed["data"]] == [clock["id"]]
    await _advance(raw, clock, JAN_1 + DAY)
    assert _types(stripe_emulator) == [
        "test_helpers.test_clock.created",
        "test_helpers.test_clock.advancing",
        "test_helpers.test_clock.ready",
    ]
    advancing = stripe_emulator.events("test_helpers.test_clock.advancing")[0]
    assert advancing["data"]["object"]["status_details"] == {
        "advancing": {"target_frozen_time": JAN_1 + DAY}
    }
    backwards = await raw.post(
        f"/v1/test_helpers/test_clocks/{clock['id']}/advance", {"frozen_time": JAN_1}
    )
    assert backwards.status_code == 400 and backwards.json()["error"]["param"] == "frozen_time"
    customer = await raw.ok("POST", "/v1/customers", {"test_clock": clock["id"]})
    deleted = await raw.ok("DELETE", f"/v1/test_helpers/test_clocks/{clock['id']}")
    assert deleted == {"id": clock["id"], "object": "test_helpers.test_clock", "deleted": True}
    # Deleting a clock deletes its customers, as on Stripe.
    gone = await raw.get(f"/v1/customers/{customer['id']}")
    assert gone.status_code == 404 or gone.json().get("deleted") is True
    missing = await raw.post("/v1/customers", {"test_clock": "clock_nope"})
    assert missing.status_code == 404 and missing.json()["error"]["param"] == "test_clock"


async def test_objects_on_a_clock_show_its_frozen_time(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    clock = await _clock(raw)
    customer = await _customer_on(raw, clock)
    other = await raw.ok("POST", "/v1/customers", {"email": "off@example.com"})
    price = await _monthly(raw)
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": customer, "items[0][price]": price}
    )
    assert (await raw.ok("GET", f"/v1/customers/{customer}"))["created"] == JAN_1
    assert other["created"] == BASE
    assert (sub["created"], sub["start_date"], sub["test_clock"]) == (JAN_1, JAN_1, clock["id"])
    item = sub["items"]["data"][0]
    assert (item["current_period_start"], item["current_period_end"]) == (JAN_1, FEB_1)
    invoice = await raw.ok("GET", f"/v1/invoices/{sub['latest_invoice']}")
    assert (invoice["created"], invoice["test_clock"]) == (JAN_1, clock["id"])
    # An idempotency key is kept by the emulator's time, whatever the clock shows.
    early = await _clock(raw, BASE - 400 * DAY)
    twice = [
        await raw.post(
            "/v1/customers", {"test_clock": early["id"]}, headers={"Idempotency-Key": "k1"}
        )
        for _ in range(2)
    ]
    assert twice[0].json()["id"] == twice[1].json()["id"]
    assert twice[1].headers["idempotent-replayed"] == "true"
    # The emulator's own clock does not move the clock's subscription...
    await stripe_emulator.advance_clock(400 * DAY)
    assert len(await _invoices(raw, sub["id"])) == 1
    # ...its test clock does.
    await _advance(raw, clock, FEB_1 + HOUR)
    assert len(await _invoices(raw, sub["id"])) == 2


# --- the subscription lifecycle -----------------------------------------------------


@pytest.mark.parametrize(
    ("behavior", "status"), [("void", "void"), ("mark_uncollectible", "uncollectible")]
)
async def test_pause_collection_voids_or_writes_off_renewals(
    raw: Any, behavior: str, status: str
) -> None:
    clock = await _clock(raw)
    customer = await _customer_on(raw, clock)
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": customer, "items[0][price]": await _monthly(raw)}
    )
    await raw.ok("POST", f"/v1/subscriptions/{sub['id']}", {"pause_collection[behavior]": behavior})
    await _advance(raw, clock, FEB_1 + 2 * HOUR)
    renewal = (await _invoices(raw, sub["id"]))[1]
    assert (renewal["status"], renewal["amount_paid"]) == (status, 0)
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "active"


async def test_trial_then_renewal_on_a_test_clock(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    clock = await _clock(raw)
    customer = await _customer_on(raw, clock)
    price = await _monthly(raw)
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {"customer": customer, "items[0][price]": price, "trial_period_days": 14},
    )
    assert (sub["status"], sub["trial_end"]) == ("trialing", JAN_15)
    start = len(stripe_emulator.events())

    await _advance(raw, clock, JAN_15 - 3 * DAY - 1)
    assert "customer.subscription.trial_will_end" not in _types(stripe_emulator, start)
    await _advance(raw, clock, JAN_15 - 3 * DAY)  # three days before the trial ends
    trial_will_end = stripe_emulator.events("customer.subscription.trial_will_end")
    assert [e["created"] for e in trial_will_end] == [JAN_15 - 3 * DAY]
    upcoming = stripe_emulator.events("invoice.upcoming")
    assert len(upcoming) == 1 and "id" not in upcoming[0]["data"]["object"]
    assert upcoming[0]["data"]["object"]["amount_due"] == 2000

    # The trial ends: a new period and a draft invoice, finalized and paid an hour later.
    await _advance(raw, clock, JAN_15)
    sub = await raw.ok("GET", f"/v1/subscriptions/{sub['id']}")
    assert sub["status"] == "active"
    first_paid = (await _invoices(raw, sub["id"]))[1]
    assert first_paid["status"] == "draft" and first_paid["billing_reason"] == "subscription_cycle"
    assert first_paid["automatically_finalizes_at"] == JAN_15 + HOUR
    assert (first_paid["period_start"], first_paid["period_end"]) == (JAN_1, JAN_15)
    line = first_paid["lines"]["data"][0]
    assert line["period"] == {"start": JAN_15, "end": FEB_15}
    await _advance(raw, clock, JAN_15 + HOUR)
    first_paid = await raw.ok("GET", f"/v1/invoices/{first_paid['id']}")
    assert (first_paid["status"], first_paid["amount_paid"]) == ("paid", 2000)
    assert first_paid["status_transitions"]["finalized_at"] == JAN_15 + HOUR
    assert first_paid["status_transitions"]["paid_at"] == JAN_15 + HOUR

    # The renewal a month later, with invoice.upcoming three days before it.
    mark = len(stripe_emulator.events())
    await _advance(raw, clock, FEB_15 + HOUR)
    types = _types(stripe_emulator, mark)
    assert types.index("invoice.upcoming") < types.index("invoice.created")
    assert types.index("invoice.created") < types.index("invoice.finalized")
    assert types.index("invoice.finalized") < types.index("invoice.paid")
    created = next(e for e in stripe_emulator.events("invoice.created")[::-1])
    assert created["created"] == FEB_15
    paid = stripe_emulator.events("invoice.paid")[-1]
    assert paid["created"] == FEB_15 + HOUR
    renewal = (await _invoices(raw, sub["id"]))[2]
    assert (renewal["period_start"], renewal["period_end"]) == (JAN_15, FEB_15)
    assert renewal["lines"]["data"][0]["period"] == {"start": FEB_15, "end": MAR_15}
    assert (renewal["amount_paid"], renewal["status"]) == (2000, "paid")
    item = (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["items"]["data"][0]
    assert (item["current_period_start"], item["current_period_end"]) == (FEB_15, MAR_15)


async def test_cancel_at_period_end_and_cancel_at_on_a_clock(raw: Any) -> None:
    clock = await _clock(raw)
    customer = await _customer_on(raw, clock)
    price = await _monthly(raw)
    at_end = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {"customer": customer, "items[0][price]": price, "cancel_at_period_end": "true"},
    )
    at_date = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {"customer": customer, "items[0][price]": price, "cancel_at": JAN_1 + 10 * DAY},
    )
    await _advance(raw, clock, JAN_1 + 10 * DAY)
    at_date = await raw.ok("GET", f"/v1/subscriptions/{at_date['id']}")
    assert (at_date["status"], at_date["canceled_at"]) == ("canceled", JAN_1 + 10 * DAY)
    assert (await raw.ok("GET", f"/v1/subscriptions/{at_end['id']}"))["status"] == "active"
    await _advance(raw, clock, FEB_1)
    at_end = await raw.ok("GET", f"/v1/subscriptions/{at_end['id']}")
    assert (at_end["status"], at_end["ended_at"]) == ("canceled", FEB_1)
    assert len(await _invoices(raw, at_end["id"])) == 1  # it never renewed


async def test_pause_collection_keeps_renewals_as_drafts_until_resumes_at(raw: Any) -> None:
    clock = await _clock(raw)
    customer = await _customer_on(raw, clock)
    price = await _monthly(raw)
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": customer, "items[0][price]": price}
    )
    await raw.ok(
        "POST",
        f"/v1/subscriptions/{sub['id']}",
        {
            "pause_collection[behavior]": "keep_as_draft",
            "pause_collection[resumes_at]": FEB_1 + 10 * DAY,
        },
    )
    await _advance(raw, clock, FEB_1 + 2 * HOUR)
    paused = (await _invoices(raw, sub["id"]))[1]
    assert (paused["status"], paused["auto_advance"]) == ("draft", False)
    await _advance(raw, clock, MAR_1 + 2 * HOUR)
    sub = await raw.ok("GET", f"/v1/subscriptions/{sub['id']}")
    assert sub["pause_collection"] is None and sub["status"] == "active"
    resumed = (await _invoices(raw, sub["id"]))[2]
    assert (resumed["status"], resumed["amount_paid"]) == ("paid", 2000)


async def test_an_unpaid_incomplete_subscription_expires_after_23_hours(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    customer = await raw.ok("POST", "/v1/customers")
    await _set_card(raw, customer["id"], "pm_card_chargeCustomerFail")
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {"customer": customer["id"], "items[0][price]": await _monthly(raw)},
    )
    assert sub["status"] == "incomplete"
    await stripe_emulator.advance_clock(23 * HOUR - 1)
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "incomplete"
    await stripe_emulator.advance_clock(1)
    sub = await raw.ok("GET", f"/v1/subscriptions/{sub['id']}")
    assert (sub["status"], sub["ended_at"]) == ("incomplete_expired", BASE + 23 * HOUR)
    invoice = await raw.ok("GET", f"/v1/invoices/{sub['latest_invoice']}")
    assert invoice["status"] == "void"


# --- dunning ------------------------------------------------------------------------


async def _failing_renewal(raw: Any) -> tuple[dict[str, Any], str, str]:
    clock = await _clock(raw)
    customer = await _customer_on(raw, clock)
    price = await _monthly(raw)
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": customer, "items[0][price]": price}
    )
    # Attaches, then declines every later charge.
    await _set_card(raw, customer, "pm_card_chargeCustomerFail")
    await _advance(raw, clock, FEB_1 + HOUR)
    return clock, customer, str(sub["id"])


async def test_failed_renewal_is_retried_then_the_subscription_canceled(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    clock, _, sub_id = await _failing_renewal(raw)
    first_try = FEB_1 + HOUR
    # Default schedule: 3, 5 then 7 days after the previous attempt.
    tries = [first_try, first_try + 3 * DAY, first_try + 8 * DAY, first_try + 15 * DAY]
    invoice = (await _invoices(raw, sub_id))[1]
    assert (invoice["attempt_count"], invoice["next_payment_attempt"]) == (1, tries[1])
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub_id}"))["status"] == "past_due"
    for attempt, (now, following) in enumerate(
        zip(tries[1:], [*tries[2:], None], strict=True), start=2
    ):
        await _advance(raw, clock, now - 1)
        assert (await raw.ok("GET", f"/v1/invoices/{invoice['id']}"))["attempt_count"] == (
            attempt - 1
        )
        await _advance(raw, clock, now)
        invoice = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
        assert (invoice["attempt_count"], invoice["next_payment_attempt"]) == (attempt, following)
    failed = stripe_emulator.events("invoice.payment_failed")
    assert [e["created"] for e in failed] == tries
    assert [e["data"]["object"]["attempt_count"] for e in failed] == [1, 2, 3, 4]
    sub = await raw.ok("GET", f"/v1/subscriptions/{sub_id}")
    assert (sub["status"], sub["canceled_at"]) == ("canceled", tries[3])
    assert sub["cancellation_details"]["reason"] == "payment_failed"
    assert stripe_emulator.events("customer.subscription.deleted")[-1]["created"] == tries[3]


async def test_a_new_card_before_a_retry_recovers_the_subscription(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    clock, customer, sub_id = await _failing_renewal(raw)
    await _set_card(raw, customer, "pm_card_visa")
    await _advance(raw, clock, FEB_1 + HOUR + 3 * DAY)
    invoice = (await _invoices(raw, sub_id))[1]
    assert (invoice["status"], invoice["attempt_count"], invoice["amount_paid"]) == (
        "paid",
        2,
        2000,
    )
    assert invoice["next_payment_attempt"] is None
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub_id}"))["status"] == "active"


@pytest.mark.parametrize("final", ["unpaid", "past_due"])
async def test_after_the_last_failure_as_configured(final: Any) -> None:
    emulator = StripeEmulator(seed=7, payment_retry_days=(1,), after_final_failure=final)
    async with httpx.AsyncClient(
        transport=emulator.transport(),
        base_url=emulator.base_url,
        headers={"Authorization": "Bearer sk_test_x"},
    ) as http:
        raw = _Raw(http)
        clock, _, sub_id = await _failing_renewal(raw)
        await _advance(raw, clock, FEB_1 + HOUR + DAY)  # the one retry, a day later
        invoice = (await _invoices(raw, sub_id))[1]
        assert (invoice["attempt_count"], invoice["next_payment_attempt"]) == (2, None)
        assert (await raw.ok("GET", f"/v1/subscriptions/{sub_id}"))["status"] == final


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="after_final_failure"):
        StripeEmulator(after_final_failure="gone")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="payment_retry_days"):
        StripeEmulator(payment_retry_days=(0,))


async def test_renewal_needing_authentication_asks_for_it(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    clock = await _clock(raw)
    customer = await _customer_on(raw, clock)
    price = await _monthly(raw)
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": customer, "items[0][price]": price}
    )
    await _set_card(raw, customer, "pm_card_authenticationRequired")
    await _advance(raw, clock, FEB_1 + HOUR)
    needed = stripe_emulator.events("invoice.payment_action_required")
    assert [e["created"] for e in needed] == [FEB_1 + HOUR]
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "past_due"
    invoice = await raw.ok(
        "GET",
        f"/v1/invoices/{needed[0]['data']['object']['id']}",
        {"expand[]": "payments.data.payment.payment_intent"},
    )
    assert invoice["next_payment_attempt"] is None
    intent = invoice["payments"]["data"][0]["payment"]["payment_intent"]
    assert intent["status"] == "requires_action"
    await stripe_emulator.complete_3ds(intent["id"])
    assert (await raw.ok("GET", f"/v1/invoices/{invoice['id']}"))["status"] == "paid"
    # The customer authenticated on their clock's time.
    assert stripe_emulator.events("invoice.paid")[-1]["created"] == FEB_1 + HOUR
    assert (await raw.ok("GET", f"/v1/subscriptions/{sub['id']}"))["status"] == "active"


# --- webhook retries ----------------------------------------------------------------


async def _listen(raw: Any, emulator: StripeEmulator, receiver: Receiver) -> dict[str, Any]:
    url = "https://app.test/webhooks"
    emulator.register_asgi_endpoint(url, receiver)
    return await raw.ok(  # type: ignore[no-any-return]
        "POST", "/v1/webhook_endpoints", {"url": url, "enabled_events[]": "customer.created"}
    )


async def test_a_failed_delivery_is_retried_on_the_emulator_clock(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    receiver = Receiver(500, 503)
    await _listen(raw, stripe_emulator, receiver)
    customer = await raw.ok("POST", "/v1/customers", {"email": "r@example.com"})
    event = stripe_emulator.events("customer.created")[-1]
    assert event["pending_webhooks"] == 1
    await stripe_emulator.advance_clock(HOUR - 1)
    assert len(receiver.types) == 1  # the first retry is an hour after the first attempt
    await stripe_emulator.advance_clock(1)
    assert len(receiver.types) == 2
    await stripe_emulator.advance_clock(2 * HOUR)  # then two hours after that
    tried = [d for d in stripe_emulator.deliveries if d.event_id == event["id"]]
    assert [(d.attempt, d.at, d.status_code) for d in tried] == [
        (1, BASE, 500),
        (2, BASE + HOUR, 503),
        (3, BASE + 3 * HOUR, 200),
    ]
    after = await raw.ok("GET", f"/v1/events/{event['id']}")
    assert after["pending_webhooks"] == 0 and after["data"]["object"]["id"] == customer["id"]
    await stripe_emulator.advance_clock(4 * DAY)
    assert len(receiver.types) == 3  # acknowledged: no more attempts


async def test_retries_stop_after_the_schedule(raw: Any, stripe_emulator: StripeEmulator) -> None:
    receiver = Receiver(*([500] * 20))
    await _listen(raw, stripe_emulator, receiver)
    await raw.ok("POST", "/v1/customers")
    await stripe_emulator.advance_clock(3 * DAY)
    # 1 + 6 retries, 1, 2, 4, 8, 16 and 32 hours apart: the last 63 hours in.
    assert [d.at for d in stripe_emulator.deliveries] == [
        BASE + h * HOUR for h in (0, 1, 3, 7, 15, 31, 63)
    ]
    assert stripe_emulator.events("customer.created")[-1]["pending_webhooks"] == 1


async def test_a_test_clock_moves_the_retries_of_its_objects_events(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    receiver = Receiver(500)
    await _listen(raw, stripe_emulator, receiver)
    clock = await _clock(raw)
    await raw.ok("POST", "/v1/customers", {"test_clock": clock["id"]})
    await stripe_emulator.advance_clock(DAY)
    assert len(receiver.types) == 1
    await _advance(raw, clock, JAN_1 + HOUR)
    assert [(d.attempt, d.at, d.status_code) for d in stripe_emulator.deliveries] == [
        (1, JAN_1, 500),
        (2, JAN_1 + HOUR, 200),
    ]


async def test_resend_and_disabled_endpoints(raw: Any, stripe_emulator: StripeEmulator) -> None:
    receiver = Receiver(500)
    endpoint = await _listen(raw, stripe_emulator, receiver)
    await raw.ok("POST", "/v1/customers")
    event = stripe_emulator.events("customer.created")[-1]
    # Resent through the API, as the Dashboard's "Resend" (and `stripe events resend`).
    await raw.ok("POST", f"/v1/events/{event['id']}/retry", {"webhook_endpoint": endpoint["id"]})
    assert [(d.attempt, d.status_code) for d in stripe_emulator.deliveries] == [(1, 500), (0, 200)]
    assert (await raw.ok("GET", f"/v1/events/{event['id']}"))["pending_webhooks"] == 0
    await stripe_emulator.advance_clock(DAY)
    assert len(stripe_emulator.deliveries) == 2  # the resend acknowledged it: no retry

    # A disabled endpoint receives nothing more, retries included.
    receiver.statuses = [500]
    await raw.ok("POST", "/v1/customers")
    await raw.ok("POST", f"/v1/webhook_endpoints/{endpoint['id']}", {"disabled": "true"})
    await raw.ok("POST", "/v1/customers")
    await stripe_emulator.advance_clock(DAY)
    assert len(stripe_emulator.deliveries) == 3
    resend = await raw.post(
        f"/_emulator/events/{event['id']}/resend", {"webhook_endpoint": endpoint["id"]}
    )
    assert resend.status_code == 400


async def test_emulator_clock_over_http(raw: Any, stripe_emulator: StripeEmulator) -> None:
    moved = await raw.ok("POST", "/_emulator/clock/advance", {"seconds": DAY})
    assert moved == {"object": "emulator.clock", "frozen_time": BASE + DAY}
    moved = await raw.ok("POST", "/_emulator/clock/advance", {"frozen_time": BASE + 2 * DAY})
    assert moved["frozen_time"] == BASE + 2 * DAY == stripe_emulator._state.now()
    back = await raw.post("/_emulator/clock/advance", {"frozen_time": BASE})
    assert back.status_code == 400


def test_billing_settings_from_the_command_line() -> None:
    from stripe_async.__main__ import build_parser
    from stripe_async.testing.cli import emulator_from_args

    args = build_parser().parse_args(
        [
            "emulator",
            "--payment-retry-days",
            "1,2",
            "--after-final-failure",
            "unpaid",
            "--upcoming-renewal-days",
            "7",
            "--webhook-retry-delays",
            "60,120",
        ]
    )
    settings = emulator_from_args(args, [])._state.settings
    assert tuple(settings.payment_retry_days) == (1, 2)
    assert settings.after_final_failure == "unpaid"
    assert settings.upcoming_renewal_days == 7
    assert tuple(settings.webhook_retry_delays) == (60, 120)
    bad = build_parser().parse_args(["emulator", "--payment-retry-days", "x"])
    with pytest.raises(ValueError, match="--payment-retry-days"):
        emulator_from_args(bad, [])


async def test_the_documented_example(stripe_client: Any, stripe_emulator: StripeEmulator) -> None:
    """docs/testing.md's test clock example, through the typed client."""

    async def advance(stripe: Any, clock_id: str, to: int) -> None:
        clock = await stripe.test_helpers.test_clocks.advance(clock_id, frozen_time=to)
        while clock.status != "ready":
            clock = await stripe.test_helpers.test_clocks.retrieve(clock_id)

    clock = await stripe_client.test_helpers.test_clocks.create(frozen_time=JAN_1)
    customer = await stripe_client.customers.create(test_clock=clock.id)
    pm = await stripe_client.payment_methods.attach("pm_card_visa", customer=customer.id)
    await stripe_client.customers.update(
        customer.id, invoice_settings={"default_payment_method": pm.id}
    )
    price = await stripe_client.prices.create(
        unit_amount=2000,
        currency="usd",
        recurring={"interval": "month"},
        product_data={"name": "Pro"},
    )
    sub = await stripe_client.subscriptions.create(
        customer=customer.id, items=[{"price": price.id}], trial_period_days=14
    )
    await advance(stripe_client, clock.id, JAN_1 + 11 * DAY)
    assert stripe_emulator.events("customer.subscription.trial_will_end")
    await advance(stripe_client, clock.id, JAN_1 + 14 * DAY + 3600)
    invoices = await stripe_client.invoices.list(subscription=sub.id)
    assert invoices.data[0].amount_paid == 2000
