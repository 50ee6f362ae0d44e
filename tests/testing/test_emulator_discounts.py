"""Coupons and promotion codes applied to subscriptions and invoices, amounts by hand."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async import InvalidRequestError, StripeClient
from stripe_async.testing import StripeEmulator

DAY = 86400


async def _paying_customer(stripe: StripeClient) -> str:
    customer = await stripe.customers.create(
        email="pat@example.com",
        payment_method="pm_card_visa",
        invoice_settings={"default_payment_method": "pm_card_visa"},
    )
    return customer.id


async def _monthly(stripe: StripeClient, amount: int) -> str:
    price = await stripe.prices.create(
        unit_amount=amount,
        currency="usd",
        recurring={"interval": "month"},
        product_data={"name": "Pro"},
    )
    return price.id


async def _invoice(raw: Any, invoice_id: str) -> dict[str, Any]:
    invoice: dict[str, Any] = await raw.ok("GET", f"/v1/invoices/{invoice_id}")
    return invoice


async def test_coupon_crud_and_validation(raw: Any, stripe_emulator: StripeEmulator) -> None:
    coupon = await raw.ok(
        "POST",
        "/v1/coupons",
        {"id": "SPRING", "percent_off": "25.5", "duration": "forever", "name": "Spring"},
    )
    assert coupon["object"] == "coupon" and coupon["percent_off"] == 25.5
    assert coupon["valid"] is True and coupon["times_redeemed"] == 0
    renamed = await raw.ok("POST", "/v1/coupons/SPRING", {"name": "Spring sale"})
    assert renamed["name"] == "Spring sale"
    assert [c["id"] for c in (await raw.ok("GET", "/v1/coupons"))["data"]] == ["SPRING"]
    both = await raw.post("/v1/coupons", {"percent_off": 10, "amount_off": 100, "currency": "usd"})
    assert both.status_code == 400
    months = await raw.post("/v1/coupons", {"percent_off": 10, "duration": "repeating"})
    assert months.json()["error"]["param"] == "duration_in_months"
    deleted = await raw.ok("DELETE", "/v1/coupons/SPRING")
    assert deleted == {"id": "SPRING", "object": "coupon", "deleted": True}
    types = [e["type"] for e in stripe_emulator.events()]
    assert types == ["coupon.created", "coupon.updated", "coupon.deleted"]


async def test_forever_percent_off_on_every_renewal(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator, raw: Any
) -> None:
    await raw.ok("POST", "/v1/coupons", {"id": "QUARTER", "percent_off": 25, "duration": "forever"})
    customer = await _paying_customer(stripe_client)
    sub = await stripe_client.subscriptions.create(
        customer=customer,
        items=[{"price": await _monthly(stripe_client, 2000)}],
        discounts=[{"coupon": "QUARTER"}],
    )
    assert sub.status == "active"
    first = await _invoice(raw, str(sub.latest_invoice))
    discount_id = sub.to_dict()["discounts"][0]
    assert first["subtotal"] == 2000 and first["total"] == 1500
    assert first["total_discount_amounts"] == [{"amount": 500, "discount": discount_id}]
    assert first["lines"]["data"][0]["discount_amounts"] == [
        {"amount": 500, "discount": discount_id}
    ]
    assert first["amount_paid"] == 1500
    await stripe_emulator.advance_clock(31 * DAY)
    sub = await stripe_client.subscriptions.retrieve(sub.id)
    second = await _invoice(raw, str(sub.latest_invoice))
    assert second["id"] != first["id"] and second["total"] == 1500
    coupon = await raw.ok("GET", "/v1/coupons/QUARTER")
    assert coupon["times_redeemed"] == 1
    expanded = await raw.ok("GET", f"/v1/invoices/{second['id']}", {"expand[]": "discounts"})
    assert expanded["discounts"][0]["source"] == {"coupon": "QUARTER", "type": "coupon"}
    assert "customer.discount.created" in [e["type"] for e in stripe_emulator.events()]


async def test_repeating_discount_ends_after_its_months(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator, raw: Any
) -> None:
    await raw.ok(
        "POST",
        "/v1/coupons",
        {"id": "HALF2", "percent_off": 50, "duration": "repeating", "duration_in_months": 2},
    )
    customer = await _paying_customer(stripe_client)
    sub = await stripe_client.subscriptions.create(
        customer=customer,
        items=[{"price": await _monthly(stripe_client, 1000)}],
        discounts=[{"coupon": "HALF2"}],
    )
    discount = sub.to_dict()["discounts"][0]
    totals = [(await _invoice(raw, str(sub.latest_invoice)))["total"]]
    for _ in range(2):
        await stripe_emulator.advance_clock(31 * DAY)
        sub = await stripe_client.subscriptions.retrieve(sub.id)
        totals.append((await _invoice(raw, str(sub.latest_invoice)))["total"])
    # Nov 14 (created), Dec 15 (before the Jan 14 end), Jan 15 (after it).
    assert totals == [500, 500, 1000]
    assert sub.to_dict()["discounts"] == []
    deleted = stripe_emulator.events("customer.discount.deleted")
    assert [e["data"]["object"]["id"] for e in deleted] == [discount]


async def test_once_amount_off_skips_the_trial_invoice(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator, raw: Any
) -> None:
    await raw.ok("POST", "/v1/coupons", {"id": "FIVE", "amount_off": 500, "currency": "usd"})
    customer = await _paying_customer(stripe_client)
    sub = await stripe_client.subscriptions.create(
        customer=customer,
        items=[{"price": await _monthly(stripe_client, 2000)}],
        discounts=[{"coupon": "FIVE"}],
        trial_period_days=14,
    )
    totals = [(await _invoice(raw, str(sub.latest_invoice)))["total"]]
    for days in (15, 31):
        await stripe_emulator.advance_clock(days * DAY)
        sub = await stripe_client.subscriptions.retrieve(sub.id)
        totals.append((await _invoice(raw, str(sub.latest_invoice)))["total"])
    assert totals == [0, 1500, 2000]


async def test_invoice_discounts_split_across_lines_and_round_half_up(
    stripe_client: StripeClient, raw: Any
) -> None:
    await raw.ok("POST", "/v1/coupons", {"id": "TEN", "amount_off": 1000, "currency": "usd"})
    await raw.ok("POST", "/v1/coupons", {"id": "EIGHTH", "percent_off": "12.5"})
    customer = await stripe_client.customers.create(email="inv@example.com")
    invoice = await stripe_client.invoices.create(customer=customer.id)
    for amount in (3000, 999):
        await stripe_client.invoice_items.create(
            customer=customer.id, invoice=invoice.id, amount=amount, currency="usd"
        )
    updated = await raw.ok(
        "POST",
        f"/v1/invoices/{invoice.id}",
        {"discounts[0][coupon]": "TEN", "discounts[1][coupon]": "EIGHTH"},
    )
    ten, eighth = updated["discounts"]
    # 1000 off split 3000:999 -> 750 and 250 (the last line takes the remainder);
    # then 12.5% of what is left: 2250 -> 281.25 -> 281, 749 -> 93.625 -> 94.
    assert [line["discount_amounts"] for line in updated["lines"]["data"]] == [
        [{"amount": 750, "discount": ten}, {"amount": 281, "discount": eighth}],
        [{"amount": 250, "discount": ten}, {"amount": 94, "discount": eighth}],
    ]
    assert updated["total_discount_amounts"] == [
        {"amount": 1000, "discount": ten},
        {"amount": 375, "discount": eighth},
    ]
    assert updated["subtotal"] == 3999 and updated["total"] == 2624
    assert updated["amount_due"] == 2624
    cleared = await raw.ok("POST", f"/v1/invoices/{invoice.id}", {"discounts": ""})
    assert cleared["total"] == 3999 and cleared["total_discount_amounts"] == []


async def test_promotion_codes_and_their_restrictions(
    stripe_client: StripeClient, raw: Any
) -> None:
    await raw.ok("POST", "/v1/coupons", {"id": "WELCOME", "percent_off": 20})
    promo = await raw.ok(
        "POST",
        "/v1/promotion_codes",
        {
            "promotion[type]": "coupon",
            "promotion[coupon]": "WELCOME",
            "code": "HELLO20",
            "max_redemptions": 1,
        },
    )
    assert promo["object"] == "promotion_code" and promo["active"] is True
    assert promo["promotion"] == {"coupon": "WELCOME", "type": "coupon"}
    listed = await raw.ok("GET", "/v1/promotion_codes", {"code": "HELLO20"})
    assert [p["id"] for p in listed["data"]] == [promo["id"]]
    price = await _monthly(stripe_client, 1000)
    first = await stripe_client.subscriptions.create(
        customer=await _paying_customer(stripe_client),
        items=[{"price": price}],
        discounts=[{"promotion_code": promo["id"]}],
    )
    assert (await _invoice(raw, str(first.latest_invoice)))["total"] == 800
    assert (await raw.ok("GET", f"/v1/promotion_codes/{promo['id']}"))["times_redeemed"] == 1
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.subscriptions.create(
            customer=await _paying_customer(stripe_client),
            items=[{"price": price}],
            discounts=[{"promotion_code": promo["id"]}],
        )
    assert info.value.param == "discounts[0][promotion_code]"
    someone = await stripe_client.customers.create(email="only@example.com")
    mine = await raw.ok(
        "POST",
        "/v1/promotion_codes",
        {
            "coupon": "WELCOME",
            "customer": someone.id,
            "restrictions[first_time_transaction]": "true",
        },
    )
    with pytest.raises(InvalidRequestError, match="customer does not match"):
        await stripe_client.subscriptions.create(
            customer=await _paying_customer(stripe_client),
            items=[{"price": price}],
            discounts=[{"promotion_code": mine["id"]}],
        )
    off = await raw.ok("POST", f"/v1/promotion_codes/{mine['id']}", {"active": "false"})
    assert off["active"] is False


async def test_expired_coupon_is_invalid(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator, raw: Any
) -> None:
    now = stripe_emulator.clock()
    await raw.ok("POST", "/v1/coupons", {"id": "SOON", "percent_off": 5, "redeem_by": now + DAY})
    await stripe_emulator.advance_clock(2 * DAY)
    assert (await raw.ok("GET", "/v1/coupons/SOON"))["valid"] is False
    with pytest.raises(InvalidRequestError):
        await stripe_client.subscriptions.create(
            customer=await _paying_customer(stripe_client),
            items=[{"price": await _monthly(stripe_client, 1000)}],
            discounts=[{"coupon": "SOON"}],
        )


async def test_preview_shows_the_discount_the_next_invoice_gets(
    stripe_client: StripeClient, raw: Any
) -> None:
    await raw.ok("POST", "/v1/coupons", {"id": "ONCE10", "amount_off": 1000, "currency": "usd"})
    await raw.ok("POST", "/v1/coupons", {"id": "ALWAYS", "percent_off": 10, "duration": "forever"})
    price = await _monthly(stripe_client, 5000)
    once = await stripe_client.subscriptions.create(
        customer=await _paying_customer(stripe_client),
        items=[{"price": price}],
        discounts=[{"coupon": "ONCE10"}],
    )
    always = await stripe_client.subscriptions.create(
        customer=await _paying_customer(stripe_client),
        items=[{"price": price}],
        discounts=[{"coupon": "ALWAYS"}],
    )
    assert (await _invoice(raw, str(once.latest_invoice)))["total"] == 4000
    next_once = await raw.ok("POST", "/v1/invoices/create_preview", {"subscription": once.id})
    next_always = await raw.ok("POST", "/v1/invoices/create_preview", {"subscription": always.id})
    assert next_once["total"] == 5000  # the once coupon was spent on the first invoice
    assert next_always["total"] == 4500


async def test_updating_a_subscriptions_discounts(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator, raw: Any
) -> None:
    await raw.ok("POST", "/v1/coupons", {"id": "A10", "percent_off": 10, "duration": "forever"})
    await raw.ok("POST", "/v1/coupons", {"id": "B20", "percent_off": 20, "duration": "forever"})
    sub = await stripe_client.subscriptions.create(
        customer=await _paying_customer(stripe_client),
        items=[{"price": await _monthly(stripe_client, 1000)}],
        discounts=[{"coupon": "A10"}],
    )
    first = sub.to_dict()["discounts"]
    kept = await raw.ok(
        "POST",
        f"/v1/subscriptions/{sub.id}",
        {"discounts[0][discount]": first[0], "discounts[1][coupon]": "B20"},
    )
    assert kept["discounts"][0] == first[0] and len(kept["discounts"]) == 2
    cleared = await raw.ok("POST", f"/v1/subscriptions/{sub.id}", {"discounts": ""})
    assert cleared["discounts"] == []
    assert len(stripe_emulator.events("customer.discount.deleted")) == 2
    await stripe_emulator.advance_clock(31 * DAY)
    renewed = await stripe_client.subscriptions.retrieve(sub.id)
    assert (await _invoice(raw, str(renewed.latest_invoice)))["total"] == 1000
