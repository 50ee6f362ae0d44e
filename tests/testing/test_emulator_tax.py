"""Tax rates on invoices, invoice items and subscriptions, with hand-computed amounts.

Exclusive: tax = round(amount * pct / 100), added to the total. Inclusive: the amount
already holds it, tax = amount - round(amount / (1 + pct / 100)). Halves round up.
"""

from __future__ import annotations

from typing import Any


async def _rate(raw: Any, pct: str, inclusive: bool, name: str = "VAT") -> dict[str, Any]:
    return await raw.ok(  # type: ignore[no-any-return]
        "POST",
        "/v1/tax_rates",
        {"display_name": name, "percentage": pct, "inclusive": str(inclusive).lower()},
    )


async def _customer(raw: Any) -> str:
    customer = await raw.ok(
        "POST",
        "/v1/customers",
        {
            "email": "tax@example.com",
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
        },
    )
    return str(customer["id"])


async def _item(raw: Any, customer: str, invoice: str, amount: int, **extra: Any) -> None:
    await raw.ok(
        "POST",
        "/v1/invoiceitems",
        {"customer": customer, "invoice": invoice, "amount": amount, "currency": "usd", **extra},
    )


async def test_tax_rates_are_stored_as_stripe_shows_them(raw: Any) -> None:
    rate = await _rate(raw, "8.25", False, "Sales tax")
    assert rate["id"].startswith("txr_") and rate["object"] == "tax_rate"
    assert (rate["percentage"], rate["effective_percentage"], rate["inclusive"]) == (
        8.25,
        8.25,
        False,
    )
    assert rate["active"] is True
    updated = await raw.ok("POST", f"/v1/tax_rates/{rate['id']}", {"active": "false"})
    assert updated["active"] is False
    listed = await raw.ok("GET", "/v1/tax_rates", {"active": "false"})
    assert [r["id"] for r in listed["data"]] == [rate["id"]]
    customer = await _customer(raw)
    refused = await raw.post(
        "/v1/invoices", {"customer": customer, "default_tax_rates[0]": rate["id"]}
    )
    assert refused.status_code == 400  # an inactive rate cannot be applied


async def test_exclusive_rate_on_the_invoice(raw: Any) -> None:
    vat = await _rate(raw, "20", False)
    customer = await _customer(raw)
    invoice = await raw.ok(
        "POST", "/v1/invoices", {"customer": customer, "default_tax_rates[0]": vat["id"]}
    )
    await _item(raw, customer, invoice["id"], 1999)
    invoice = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    # 1999 * 20% = 399.8 -> 400.
    assert (invoice["subtotal"], invoice["total"]) == (1999, 2399)
    assert (invoice["subtotal_excluding_tax"], invoice["total_excluding_tax"]) == (1999, 1999)
    assert invoice["amount_due"] == 2399
    assert invoice["total_taxes"] == [
        {
            "amount": 400,
            "tax_behavior": "exclusive",
            "tax_rate_details": {"tax_rate": vat["id"]},
            "taxability_reason": "standard_rated",
            "taxable_amount": 1999,
            "type": "tax_rate_details",
        }
    ]
    [line] = invoice["lines"]["data"]
    assert [t["amount"] for t in line["taxes"]] == [400]
    paid = await raw.ok("POST", f"/v1/invoices/{invoice['id']}/pay")
    assert paid["status"] == "paid" and paid["amount_paid"] == 2399


async def test_item_rates_override_the_invoice_default(raw: Any) -> None:
    vat = await _rate(raw, "20", False)
    included = await _rate(raw, "19", True, "MwSt")
    customer = await _customer(raw)
    invoice = await raw.ok(
        "POST", "/v1/invoices", {"customer": customer, "default_tax_rates[0]": vat["id"]}
    )
    await _item(raw, customer, invoice["id"], 1190, **{"tax_rates[0]": included["id"]})
    await _item(raw, customer, invoice["id"], 500)
    invoice = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    # Inclusive 19% of 1190: 1190 - round(1190 / 1.19) = 1190 - 1000 = 190, inside the 1190.
    # Exclusive 20% of 500 = 100, added.
    assert invoice["subtotal"] == 1690
    assert invoice["total"] == 1690 + 100 == 1790
    assert invoice["subtotal_excluding_tax"] == 1690 - 190 == 1500
    assert invoice["total_excluding_tax"] == 1500
    by_rate = {t["tax_rate_details"]["tax_rate"]: t for t in invoice["total_taxes"]}
    assert (by_rate[included["id"]]["amount"], by_rate[included["id"]]["taxable_amount"]) == (
        190,
        1000,
    )
    assert by_rate[included["id"]]["tax_behavior"] == "inclusive"
    assert by_rate[vat["id"]]["amount"] == 100


async def test_halves_round_up_and_discounts_come_first(raw: Any) -> None:
    sales = await _rate(raw, "8.25", False, "Sales tax")
    customer = await _customer(raw)
    coupon = await raw.ok("POST", "/v1/coupons", {"percent_off": 25, "duration": "once"})
    invoice = await raw.ok(
        "POST",
        "/v1/invoices",
        {
            "customer": customer,
            "default_tax_rates[0]": sales["id"],
            "discounts[0][coupon]": coupon["id"],
        },
    )
    await _item(raw, customer, invoice["id"], 1000)
    await _item(raw, customer, invoice["id"], 2000)
    invoice = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    # After 25% off: 750 and 1500. 750 * 8.25% = 61.875 -> 62; 1500 * 8.25% = 123.75 -> 124.
    assert invoice["total_taxes"][0]["amount"] == 62 + 124
    assert invoice["total_taxes"][0]["taxable_amount"] == 2250
    assert invoice["total"] == 2250 + 186 == 2436


async def test_subscription_default_and_item_rates(raw: Any) -> None:
    sales = await _rate(raw, "8.25", False, "Sales tax")
    gst = await _rate(raw, "10", True, "GST")
    customer = await _customer(raw)
    price = await raw.ok(
        "POST",
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 1000,
            "recurring[interval]": "month",
            "product_data[name]": "Pro",
        },
    )
    sub = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer,
            "items[0][price]": price["id"],
            "default_tax_rates[0]": sales["id"],
            "expand[]": "latest_invoice",
        },
    )
    assert [r["id"] for r in sub["default_tax_rates"]] == [sales["id"]]
    # 1000 * 8.25% = 82.5 -> 83.
    assert sub["latest_invoice"]["total"] == 1083
    assert [r["id"] for r in sub["latest_invoice"]["default_tax_rates"]] == [sales["id"]]
    assert sub["latest_invoice"]["status"] == "paid"
    addon = await raw.ok(
        "POST",
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 1100,
            "recurring[interval]": "month",
            "product_data[name]": "Support",
        },
    )
    other = await raw.ok(
        "POST",
        "/v1/subscriptions",
        {
            "customer": customer,
            "items[0][price]": addon["id"],
            "items[0][tax_rates][0]": gst["id"],
            "default_tax_rates[0]": sales["id"],
            "expand[]": "latest_invoice",
        },
    )
    assert [r["id"] for r in other["items"]["data"][0]["tax_rates"]] == [gst["id"]]
    # The item's inclusive GST wins over the default: 1100 - round(1100 / 1.1) = 100, inside.
    invoice = other["latest_invoice"]
    assert (invoice["total"], invoice["total_excluding_tax"]) == (1100, 1000)
    assert [(t["amount"], t["tax_behavior"]) for t in invoice["total_taxes"]] == [
        (100, "inclusive")
    ]


async def test_a_credit_note_gives_back_its_share_of_the_tax(raw: Any) -> None:
    vat = await _rate(raw, "20", False)
    customer = await _customer(raw)
    invoice = await raw.ok(
        "POST", "/v1/invoices", {"customer": customer, "default_tax_rates[0]": vat["id"]}
    )
    await raw.ok(
        "POST",
        "/v1/invoiceitems",
        {
            "customer": customer,
            "invoice": invoice["id"],
            "unit_amount": 1000,
            "quantity": 2,
            "currency": "usd",
        },
    )
    paid = await raw.ok("POST", f"/v1/invoices/{invoice['id']}/pay")
    assert paid["total"] == 2400  # 2 x 1000 + 20%
    [line] = paid["lines"]["data"]
    note = await raw.ok(
        "POST",
        "/v1/credit_notes",
        {
            "invoice": paid["id"],
            "lines[0][type]": "invoice_line_item",
            "lines[0][invoice_line_item]": line["id"],
            "lines[0][quantity]": 1,
        },
    )
    # One unit: 1000, and its 200 of VAT.
    assert (note["subtotal"], note["total"], note["amount"]) == (1000, 1200, 1200)
    assert [(t["amount"], t["taxable_amount"]) for t in note["total_taxes"]] == [(200, 1000)]
    assert [r["id"] for r in note["lines"]["data"][0]["tax_rates"]] == [vat["id"]]
    balance = (await raw.ok("GET", f"/v1/customers/{customer}"))["balance"]
    assert balance == -1200
