"""Credit notes and the customer balance, with hand-computed amounts."""

from __future__ import annotations

from typing import Any

from stripe_async.testing import StripeEmulator

DAY = 86400


async def _customer(raw: Any, pm: bool = True) -> str:
    data = {"email": "cn@example.com"}
    if pm:
        data.update(
            {
                "payment_method": "pm_card_visa",
                "invoice_settings[default_payment_method]": "pm_card_visa",
            }
        )
    return str((await raw.ok("POST", "/v1/customers", data))["id"])


async def _open_invoice(raw: Any, customer: str, unit: int = 2500, quantity: int = 2) -> Any:
    """An open invoice that waits for payment (send_invoice), of unit * quantity."""
    invoice = await raw.ok(
        "POST",
        "/v1/invoices",
        {"customer": customer, "collection_method": "send_invoice", "days_until_due": 30},
    )
    await raw.ok(
        "POST",
        "/v1/invoiceitems",
        {
            "customer": customer,
            "invoice": invoice["id"],
            "unit_amount": unit,
            "quantity": quantity,
            "currency": "usd",
        },
    )
    return await raw.ok("POST", f"/v1/invoices/{invoice['id']}/finalize")


async def _paid_invoice(raw: Any, customer: str, unit: int = 2500, quantity: int = 2) -> Any:
    invoice = await _open_invoice(raw, customer, unit, quantity)
    paid = await raw.ok(
        "POST", f"/v1/invoices/{invoice['id']}/pay", {"payment_method": "pm_card_visa"}
    )
    assert paid["status"] == "paid" and paid["amount_paid"] == unit * quantity
    return paid


async def _balance(raw: Any, customer: str) -> int:
    return int((await raw.ok("GET", f"/v1/customers/{customer}"))["balance"])


async def test_pre_payment_credit_lowers_what_the_invoice_asks(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    customer = await _customer(raw)
    invoice = await _open_invoice(raw, customer)
    note = await raw.ok(
        "POST",
        "/v1/credit_notes",
        {"invoice": invoice["id"], "amount": 1500, "reason": "order_change", "memo": "Sorry"},
    )
    assert note["id"].startswith("cn_") and note["object"] == "credit_note"
    assert (note["type"], note["status"], note["amount"], note["total"]) == (
        "pre_payment",
        "issued",
        1500,
        1500,
    )
    assert (note["pre_payment_amount"], note["post_payment_amount"]) == (1500, 0)
    after = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    assert (after["amount_due"], after["amount_remaining"]) == (3500, 3500)
    assert after["pre_payment_credit_notes_amount"] == 1500
    assert stripe_emulator.events("credit_note.created")
    voided = await raw.ok("POST", f"/v1/credit_notes/{note['id']}/void")
    assert voided["status"] == "void" and voided["voided_at"] is not None
    after = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    assert (after["amount_remaining"], after["pre_payment_credit_notes_amount"]) == (5000, 0)
    again = await raw.post(f"/v1/credit_notes/{note['id']}/void")
    assert again.status_code == 400
    await raw.ok("POST", "/v1/credit_notes", {"invoice": invoice["id"], "amount": 1000})
    paid = await raw.ok(
        "POST", f"/v1/invoices/{invoice['id']}/pay", {"payment_method": "pm_card_visa"}
    )
    assert (paid["status"], paid["amount_paid"]) == ("paid", 4000)


async def test_crediting_all_that_remains_pays_the_invoice(raw: Any) -> None:
    customer = await _customer(raw)
    invoice = await _open_invoice(raw, customer)
    too_much = await raw.post("/v1/credit_notes", {"invoice": invoice["id"], "amount": 5001})
    assert too_much.status_code == 400
    await raw.ok("POST", "/v1/credit_notes", {"invoice": invoice["id"], "amount": 5000})
    after = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    assert (after["status"], after["amount_paid"], after["amount_remaining"]) == ("paid", 0, 0)


async def test_post_payment_credit_goes_to_the_balance_and_the_next_invoice(raw: Any) -> None:
    customer = await _customer(raw)
    invoice = await _paid_invoice(raw, customer)
    [line] = invoice["lines"]["data"]
    preview = await raw.ok(
        "GET",
        "/v1/credit_notes/preview",
        {
            "invoice": invoice["id"],
            "lines[0][type]": "invoice_line_item",
            "lines[0][invoice_line_item]": line["id"],
            "lines[0][quantity]": 1,
        },
    )
    # One of the two units at 2500.
    assert (preview["amount"], preview["type"]) == (2500, "post_payment")
    preview_lines = await raw.ok(
        "GET",
        "/v1/credit_notes/preview/lines",
        {
            "invoice": invoice["id"],
            "lines[0][type]": "invoice_line_item",
            "lines[0][invoice_line_item]": line["id"],
            "lines[0][quantity]": 1,
        },
    )
    assert [(li["amount"], li["quantity"]) for li in preview_lines["data"]] == [(2500, 1)]
    assert (await raw.ok("GET", "/v1/credit_notes"))["data"] == []  # a preview keeps nothing
    note = await raw.ok(
        "POST",
        "/v1/credit_notes",
        {
            "invoice": invoice["id"],
            "lines[0][type]": "invoice_line_item",
            "lines[0][invoice_line_item]": line["id"],
            "lines[0][quantity]": 1,
        },
    )
    assert note["amount"] == 2500 and note["customer_balance_transaction"].startswith("cbtxn_")
    lines = await raw.ok("GET", f"/v1/credit_notes/{note['id']}/lines")
    assert [li["invoice_line_item"] for li in lines["data"]] == [line["id"]]
    after = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    assert after["post_payment_credit_notes_amount"] == 2500
    assert await _balance(raw, customer) == -2500
    entries = await raw.ok("GET", f"/v1/customers/{customer}/balance_transactions")
    [entry] = entries["data"]
    assert (entry["type"], entry["amount"], entry["ending_balance"], entry["credit_note"]) == (
        "credit_note",
        -2500,
        -2500,
        note["id"],
    )
    # The next invoice, of 4000, takes the 2500 credit: 1500 is due.
    upcoming = await _open_invoice(raw, customer, 4000, 1)
    assert (upcoming["starting_balance"], upcoming["ending_balance"]) == (-2500, 0)
    assert (upcoming["total"], upcoming["amount_due"]) == (4000, 1500)
    assert await _balance(raw, customer) == 0
    applied = (await raw.ok("GET", f"/v1/customers/{customer}/balance_transactions"))["data"][0]
    assert (applied["type"], applied["amount"], applied["invoice"]) == (
        "applied_to_invoice",
        2500,
        upcoming["id"],
    )


async def test_refund_and_credit_split(raw: Any) -> None:
    customer = await _customer(raw)
    invoice = await _paid_invoice(raw, customer)
    wrong = await raw.post(
        "/v1/credit_notes", {"invoice": invoice["id"], "amount": 1500, "refund_amount": 1000}
    )
    assert wrong.status_code == 400  # the parts must add up to the amount
    note = await raw.ok(
        "POST",
        "/v1/credit_notes",
        {"invoice": invoice["id"], "refund_amount": 1000, "credit_amount": 500},
    )
    assert note["amount"] == 1500
    [refund] = note["refunds"]
    assert refund["amount_refunded"] == 1000 and refund["refund"].startswith("re_")
    charged = (await raw.ok("GET", "/v1/charges", {"customer": customer}))["data"][0]
    assert charged["amount_refunded"] == 1000
    assert await _balance(raw, customer) == -500
    refused = await raw.post(f"/v1/credit_notes/{note['id']}/void")
    assert refused.status_code == 400
    credit_only = await raw.ok(
        "POST", "/v1/credit_notes", {"invoice": invoice["id"], "credit_amount": 700}
    )
    assert await _balance(raw, customer) == -1200
    await raw.ok("POST", f"/v1/credit_notes/{credit_only['id']}/void")
    assert await _balance(raw, customer) == -500
    listed = await raw.ok("GET", "/v1/credit_notes", {"invoice": invoice["id"]})
    assert [n["id"] for n in listed["data"]] == [credit_only["id"], note["id"]]


async def test_balance_adjustments_credit_or_charge_the_next_invoice(raw: Any) -> None:
    customer = await _customer(raw)
    debt = await raw.ok(
        "POST",
        f"/v1/customers/{customer}/balance_transactions",
        {"amount": 700, "currency": "usd", "description": "Setup fee"},
    )
    assert (debt["type"], debt["ending_balance"]) == ("adjustment", 700)
    invoice = await _open_invoice(raw, customer, 1000, 1)
    # A positive balance is owed: it is added to what the invoice asks.
    assert (invoice["amount_due"], invoice["starting_balance"], invoice["ending_balance"]) == (
        1700,
        700,
        0,
    )
    await raw.ok(
        "POST",
        f"/v1/customers/{customer}/balance_transactions",
        {"amount": -3000, "currency": "usd"},
    )
    second = await _open_invoice(raw, customer, 1000, 1)
    assert (second["amount_due"], second["ending_balance"]) == (0, -2000)
    assert second["status"] == "paid"  # nothing was left to pay
    assert await _balance(raw, customer) == -2000


async def test_a_downgrade_invoiced_now_credits_the_customer(
    raw: Any, stripe_emulator: StripeEmulator
) -> None:
    customer = await _customer(raw)
    prices = []
    for amount in (3000, 1000):
        price = await raw.ok(
            "POST",
            "/v1/prices",
            {
                "currency": "usd",
                "unit_amount": amount,
                "recurring[interval]": "month",
                "product_data[name]": "Plan",
            },
        )
        prices.append(price["id"])
    sub = await raw.ok(
        "POST", "/v1/subscriptions", {"customer": customer, "items[0][price]": prices[0]}
    )
    await stripe_emulator.advance_clock(10 * DAY)  # 20 of 30 days left
    updated = await raw.ok(
        "POST",
        f"/v1/subscriptions/{sub['id']}",
        {
            "items[0][id]": sub["items"]["data"][0]["id"],
            "items[0][price]": prices[1],
            "proration_behavior": "always_invoice",
        },
    )
    # -round(3000 * 2/3) + round(1000 * 2/3) = -2000 + 667 = -1333, credited.
    invoice = await raw.ok("GET", f"/v1/invoices/{updated['latest_invoice']}")
    assert (invoice["total"], invoice["amount_due"], invoice["ending_balance"]) == (-1333, 0, -1333)
    assert await _balance(raw, customer) == -1333
    preview = await raw.ok("POST", "/v1/invoices/create_preview", {"subscription": sub["id"]})
    assert (preview["total"], preview["amount_due"], preview["starting_balance"]) == (
        1000,
        0,
        -1333,
    )
    # The renewal draft is finalized (and the balance applied) an hour later.
    await stripe_emulator.advance_clock(20 * DAY + 3600)
    renewal = (await raw.ok("GET", "/v1/invoices", {"subscription": sub["id"], "limit": 1}))[
        "data"
    ][0]
    assert (renewal["total"], renewal["amount_due"], renewal["ending_balance"]) == (1000, 0, -333)
    assert renewal["status"] == "paid"
