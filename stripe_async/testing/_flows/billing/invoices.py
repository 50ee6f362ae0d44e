"""/v1/invoices: draft -> open -> paid | void | uncollectible, lines, previews.

Invoices are paid through a PaymentIntent, as on Stripe; the invoice follows its
PaymentIntent through the "payment_intent.changed" hook. As in the current API the
invoice object does not name its PaymentIntent: clients reach it through the
includable `confirmation_secret` and `payments` fields (see invoice_payments.py).
"""

from __future__ import annotations

import copy
from typing import Any

from ..._errors import invalid
from ..._lists import paginate, sublist
from ..._params import (
    Str,
)
from ..._state import State, assign, set_metadata
from ..payments import payment_intents, payment_methods
from ..payments.money import format_amount
from . import credits, discounts, invoice_payments, tax, usage
from .retries import retry_at

COLLECTION = Str("charge_automatically", "send_invoice")


def new_invoice(
    state: State,
    customer: dict[str, Any],
    *,
    currency: str | None = None,
    subscription: dict[str, Any] | None = None,
    billing_reason: str = "manual",
    collection_method: str = "charge_automatically",
    auto_advance: bool | None = None,
    period: tuple[int, int] | None = None,
    store: bool = True,
) -> dict[str, Any]:
    """A draft invoice for `customer` (stored and announced unless store=False)."""
    now = state.now()
    invoice_id = state.new_id("in") if store else f"upcoming_{state.new_id('in')}"
    start, end = period or (now, now)
    invoice: dict[str, Any] = {
        "id": invoice_id,
        "object": "invoice",
        "account_country": "US",
        "account_name": "Stripe Emulator",
        "account_tax_ids": None,
        "amount_due": 0,
        "amount_overpaid": 0,
        "amount_paid": 0,
        "amount_remaining": 0,
        "amount_shipping": 0,
        "application": None,
        "attempt_count": 0,
        "attempted": False,
        "auto_advance": (subscription is not None) if auto_advance is None else auto_advance,
        "automatic_tax": {
            "disabled_reason": None,
            "enabled": False,
            "liability": None,
            "provider": None,
            "status": None,
        },
        "automatically_finalizes_at": None,
        "billing_reason": billing_reason,
        "collection_method": collection_method,
        "created": now,
        "currency": currency or customer["currency"] or "usd",
        "custom_fields": None,
        "customer": customer["id"],
        "customer_account": None,
        "customer_address": copy.deepcopy(customer["address"]),
        "customer_email": customer["email"],
        "customer_name": customer["name"],
        "customer_phone": customer["phone"],
        "customer_shipping": copy.deepcopy(customer["shipping"]),
        "customer_tax_exempt": customer["tax_exempt"],
        "customer_tax_ids": [],
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "due_date": None,
        "effective_at": None,
        "ending_balance": None,
        "footer": None,
        "from_invoice": None,
        "hosted_invoice_url": None,
        "invoice_pdf": None,
        "issuer": {"type": "self"},
        "last_finalization_error": None,
        "latest_revision": None,
        "lines": sublist([], f"/v1/invoices/{invoice_id}/lines"),
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None,
        "number": None,
        "on_behalf_of": None,
        "parent": None
        if subscription is None
        else {
            "quote_details": None,
            "subscription_details": {
                "metadata": copy.deepcopy(subscription["metadata"]),
                "subscription": subscription["id"],
            },
            "type": "subscription_details",
        },
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "period_end": end,
        "period_start": start,
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "receipt_number": None,
        "rendering": None,
        "shipping_cost": None,
        "shipping_details": None,
        "starting_balance": 0,
        "statement_descriptor": None,
        "status": "draft",
        "status_transitions": {
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subtotal": 0,
        "subtotal_excluding_tax": 0,
        "test_clock": state.test_clock,
        "total": 0,
        "total_discount_amounts": [],
        "total_excluding_tax": 0,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": None,
    }
    if store:
        state.store.put(invoice)
    return invoice


def subscription_of(invoice: dict[str, Any]) -> str | None:
    """The subscription an invoice bills (the current API keeps it under `parent`)."""
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription: str | None = details.get("subscription")
    return subscription


def _line(
    state: State,
    invoice: dict[str, Any],
    *,
    amount: int,
    currency: str,
    description: str | None,
    quantity: int,
    period: dict[str, int],
    parent: dict[str, Any],
    pricing: dict[str, Any],
    subscription: str | None,
    metadata: dict[str, str],
    store: bool,
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "id": state.new_id("il") if store else f"il_tmp_{state.ids.token(24)}",
        "object": "line_item",
        "amount": amount,
        "currency": currency,
        "description": description,
        "discount_amounts": [],
        "discountable": True,
        "discounts": [],
        "invoice": invoice["id"] if store else None,
        "livemode": False,
        "metadata": dict(metadata),
        "parent": parent,
        "period": dict(period),
        "pretax_credit_amounts": [],
        "pricing": copy.deepcopy(pricing),
        "quantity": quantity,
        "quantity_decimal": str(quantity),
        "subscription": subscription,
        "subtotal": amount,
        "taxes": [],
    }
    if store:
        state.store.put(line)
        state.meta[line["id"]] = {"invoice": invoice["id"]}
    return line


def item_line(
    state: State, invoice: dict[str, Any], item: dict[str, Any], *, store: bool = True
) -> dict[str, Any]:
    line = _line(
        state,
        invoice,
        amount=item["amount"],
        currency=item["currency"],
        description=item["description"],
        quantity=item["quantity"],
        period=item["period"],
        parent={
            "invoice_item_details": {
                "invoice_item": item["id"],
                "proration": bool(item.get("proration")),
                "proration_details": {"credited_items": None},
                "subscription": (item["parent"] or {})
                .get("subscription_details", {})
                .get("subscription"),
            },
            "subscription_item_details": None,
            "type": "invoice_item_details",
        },
        pricing=item["pricing"],
        subscription=None,
        metadata=item["metadata"],
        store=store,
    )
    if store:
        state.meta[line["id"]]["invoice_item"] = item["id"]
    return line


def subscription_item_line(
    state: State,
    invoice: dict[str, Any],
    sub_item: dict[str, Any],
    period: dict[str, int],
    *,
    store: bool = True,
) -> dict[str, Any]:
    price = sub_item["price"]
    quantity = sub_item["quantity"]
    amount = (price["unit_amount"] or 0) * quantity
    if usage.is_metered(price):
        # Billed in arrears: the usage recorded since the last invoice, up to this period.
        used, period = usage.metered_usage(
            state, sub_item, invoice["customer"], period["start"], bill=store
        )
        quantity, amount = usage.quantity_value(used), usage.metered_amount(price, used)
    product = state.store.get(price["product"], "product")
    name = product["name"] if product else price["product"]
    interval = price["recurring"]["interval"]
    # Stripe's own wording, multiplication sign included.
    description = f"{quantity} \u00d7 {name} (at {_money(price)} / {interval})"
    return _line(
        state,
        invoice,
        amount=amount,
        currency=price["currency"],
        description=description,
        quantity=quantity,
        period=period,
        parent={
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": sub_item["subscription"],
                "subscription_item": sub_item["id"],
            },
            "type": "subscription_item_details",
        },
        pricing={
            "price_details": {"price": price["id"], "product": price["product"]},
            "type": "price_details",
            "unit_amount_decimal": price["unit_amount_decimal"],
        },
        subscription=sub_item["subscription"],
        metadata=sub_item["metadata"],
        store=store,
    )


def _money(price: dict[str, Any]) -> str:
    return format_amount(price["unit_amount"] or 0, price["currency"])


def lines_of(state: State, invoice: dict[str, Any]) -> list[dict[str, Any]]:
    """The invoice's lines in the order they were added."""
    return [
        line
        for line in state.store.all("line_item")
        if state.meta.get(line["id"], {}).get("invoice") == invoice["id"]
    ]


def recompute(
    state: State, invoice: dict[str, Any], lines: list[dict[str, Any]] | None = None
) -> None:
    """Totals and the embedded `lines` list from the invoice's line items."""
    lines = lines_of(state, invoice) if lines is None else lines
    subtotal = sum(line["amount"] for line in lines)
    total = subtotal - discounts.apply(state, invoice, lines)
    exclusive, inclusive = tax.apply(state, invoice, lines)
    total_excluding_tax = total - inclusive
    total += exclusive
    invoice.update(
        subtotal=subtotal,
        subtotal_excluding_tax=subtotal - inclusive,
        total=total,
        total_excluding_tax=total_excluding_tax,
        amount_due=max(total, 0),
        amount_remaining=max(total, 0) - invoice["amount_paid"],
    )
    invoice["lines"] = sublist(copy.deepcopy(lines), f"/v1/invoices/{invoice['id']}/lines")


def add_item_line(state: State, invoice: dict[str, Any], item: dict[str, Any]) -> None:
    before = copy.deepcopy(invoice)
    item_line(state, invoice, item)
    recompute(state, invoice)
    state.emit_update("invoice.updated", invoice, before)


def _line_for_item(state: State, invoice: dict[str, Any], item_id: str) -> dict[str, Any] | None:
    for line in lines_of(state, invoice):
        if state.meta.get(line["id"], {}).get("invoice_item") == item_id:
            return line
    return None


def refresh_item_line(state: State, invoice: dict[str, Any], item: dict[str, Any]) -> None:
    line = _line_for_item(state, invoice, item["id"])
    if line is None:
        return
    before = copy.deepcopy(invoice)
    line.update(
        amount=item["amount"],
        subtotal=item["amount"],
        quantity=item["quantity"],
        quantity_decimal=str(item["quantity"]),
        description=item["description"],
        period=dict(item["period"]),
        pricing=copy.deepcopy(item["pricing"]),
        metadata=dict(item["metadata"]),
    )
    recompute(state, invoice)
    state.emit_update("invoice.updated", invoice, before)


def remove_item_line(state: State, invoice: dict[str, Any], item: dict[str, Any]) -> None:
    line = _line_for_item(state, invoice, item["id"])
    if line is None:
        return
    before = copy.deepcopy(invoice)
    state.store.delete(line["id"])
    state.meta.pop(line["id"], None)
    recompute(state, invoice)
    state.emit_update("invoice.updated", invoice, before)


def lookup(state: State, id: str) -> dict[str, Any]:
    return state.require("invoice", id, "invoice")


def check_collection(collection: str, params: dict[str, Any]) -> None:
    if collection == "send_invoice":
        if params.get("days_until_due") is None and params.get("due_date") is None:
            raise invalid(
                "Invoices with the `send_invoice` collection method need `days_until_due` or "
                "`due_date`.",
                param="days_until_due",
            )
    elif params.get("days_until_due") is not None or params.get("due_date") is not None:
        raise invalid(
            "days_until_due and due_date can only be set when collection_method is send_invoice.",
            param="days_until_due" if params.get("days_until_due") is not None else "due_date",
        )


def check_customer_pm(state: State, customer_id: str, pm_id: str) -> None:
    pm = state.store.get(pm_id, "payment_method") or state.store.get(pm_id, "card")
    if pm is None or pm["customer"] != customer_id:
        raise invalid(
            f"No such PaymentMethod: '{pm_id}' attached to customer {customer_id}.",
            param="default_payment_method",
            code="resource_missing",
        )


def update(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    invoice = lookup(state, id)
    if invoice["status"] != "draft":
        allowed = {
            "metadata",
            "description",
            "footer",
            "auto_advance",
            "custom_fields",
            "default_payment_method",
            "rendering",
            "payment_settings",
        }
        extra = sorted(set(params) - allowed)
        if extra:
            raise invalid(
                f"Invoice {id} is no longer a draft: {extra[0]} can no longer be changed.",
                param=extra[0],
                code="invoice_not_editable",
            )
    for name in ("default_payment_method", "default_source"):
        if params.get(name) is not None:
            check_customer_pm(state, invoice["customer"], params[name])
    collection = params.get("collection_method") or invoice["collection_method"]
    if collection == "send_invoice":
        check_collection(collection, {"due_date": invoice["due_date"], **params})
    else:
        check_collection(collection, params)
        invoice["due_date"] = None
    before = copy.deepcopy(invoice)
    assign(
        invoice,
        params,
        (
            "auto_advance",
            "automatically_finalizes_at",
            "collection_method",
            "custom_fields",
            "default_payment_method",
            "default_source",
            "description",
            "effective_at",
            "footer",
            "rendering",
            "statement_descriptor",
            "on_behalf_of",
            "due_date",
            "payment_settings",
            "shipping_details",
        ),
    )
    if params.get("days_until_due") is not None:
        invoice["due_date"] = state.now() + 86400 * params["days_until_due"]
    if "discounts" in params:
        set_discounts(state, invoice, params["discounts"])
    if "default_tax_rates" in params:
        invoice["default_tax_rates"] = tax.resolve(
            state, params["default_tax_rates"], "default_tax_rates"
        )
        recompute(state, invoice)
    set_metadata(invoice, params.get("metadata"))
    state.emit_update("invoice.updated", invoice, before)
    return invoice


def set_discounts(state: State, invoice: dict[str, Any], specs: Any) -> None:
    """Replace the invoice's discounts (`discounts=[{coupon|promotion_code|discount}]`)."""
    wanted = discounts.resolve(state, specs, "discounts", customer=invoice["customer"])
    ids = []
    for coupon, promo in wanted:
        reused = next(
            (
                d
                for d in invoice["discounts"]
                if (state.store.get(d, "discount") or {}).get("source", {}).get("coupon")
                == coupon["id"]
            ),
            None,
        )
        if reused is None:
            reused = discounts.new_discount(
                state, coupon, promo, customer=invoice["customer"], invoice=invoice["id"]
            )["id"]
        ids.append(reused)
    invoice["discounts"] = ids
    recompute(state, invoice)


def finalize_invoice(state: State, invoice: dict[str, Any]) -> dict[str, Any]:
    if invoice["status"] != "draft":
        raise invalid(
            f"This invoice is already finalized, you can't re-finalize a non-draft invoice "
            f"({invoice['id']} is {invoice['status']}).",
            code="invoice_not_editable",
        )
    customer = state.require("customer", invoice["customer"], "customer", "customer")
    now = state.now()
    before = copy.deepcopy(invoice)
    sequence = customer["next_invoice_sequence"]
    customer["next_invoice_sequence"] = sequence + 1
    recompute(state, invoice)
    invoice.update(
        status="open",
        number=invoice["number"] or f"{customer['invoice_prefix']}-{sequence:04d}",
        effective_at=now,
        automatically_finalizes_at=None,
        hosted_invoice_url=f"https://invoice.stripe.com/i/acct_emulator/{invoice['id']}",
        invoice_pdf=f"https://pay.stripe.com/invoice/acct_emulator/{invoice['id']}/pdf",
        ending_balance=0,
    )
    invoice["status_transitions"]["finalized_at"] = now
    credits.apply_balance(state, invoice, customer)
    if invoice["collection_method"] == "charge_automatically" and invoice["auto_advance"]:
        invoice["next_payment_attempt"] = now + 3600
    if invoice["amount_due"] > 0:
        intent = payment_intents.new_intent(
            state,
            amount=invoice["amount_due"],
            currency=invoice["currency"],
            customer=customer["id"],
            description=(
                "Subscription creation"
                if invoice["billing_reason"] == "subscription_create"
                else f"Payment for Invoice {invoice['number']}"
            ),
            payment_method_types=["card"],
        )
        state.meta.setdefault(intent["id"], {})["invoice"] = invoice["id"]
        invoice_payments.open_payment(state, invoice, intent)
    state.emit("invoice.finalized", invoice, {"status": before["status"]})
    if invoice["amount_due"] <= 0:
        mark_paid(state, invoice, amount=0)
    return invoice


def mark_paid(state: State, invoice: dict[str, Any], *, amount: int) -> None:
    now = state.now()
    before = copy.deepcopy(invoice)
    invoice.update(
        status="paid",
        amount_paid=amount,
        amount_remaining=0,
        attempted=True,
        next_payment_attempt=None,
    )
    invoice["status_transitions"]["paid_at"] = now
    previous = {"status": before["status"], "amount_paid": before["amount_paid"]}
    state.emit("invoice.paid", invoice, previous)
    state.emit("invoice.payment_succeeded", invoice, previous)
    state.run_hooks("invoice.paid", invoice)


def on_payment_intent(state: State, intent: dict[str, Any]) -> None:
    """Follow the invoice's PaymentIntent: paid, failed attempt, or action required."""
    invoice_id = state.meta.get(intent["id"], {}).get("invoice")
    invoice = state.store.get(invoice_id or "", "invoice")
    if invoice is None or invoice["status"] not in ("open", "uncollectible"):
        return
    if intent["status"] == "succeeded":
        invoice["attempt_count"] += 1
        invoice_payments.settle(state, invoice, intent["amount_received"])
        mark_paid(state, invoice, amount=intent["amount_received"])
    elif intent["status"] == "requires_action":
        invoice["attempt_count"] += 1
        invoice["attempted"] = True
        # Waits for the customer to authenticate: no retry is scheduled meanwhile.
        invoice["next_payment_attempt"] = None
        state.emit("invoice.payment_action_required", invoice)
    elif intent["last_payment_error"] is not None:
        before = {"attempt_count": invoice["attempt_count"], "attempted": invoice["attempted"]}
        invoice["attempt_count"] += 1
        invoice["attempted"] = True
        invoice["next_payment_attempt"] = retry_at(state, invoice)
        state.emit("invoice.payment_failed", invoice, before)
        state.run_hooks("invoice.payment_failed", invoice)


def default_payment_method(state: State, invoice: dict[str, Any]) -> str | None:
    """The payment method Stripe would charge: invoice, subscription, then customer."""
    for own in ("default_payment_method", "default_source"):
        if invoice.get(own):
            return str(invoice[own])
    subscription = state.store.get(subscription_of(invoice) or "", "subscription")
    if subscription is not None:
        if subscription["default_payment_method"]:
            return str(subscription["default_payment_method"])
        if subscription["default_source"]:
            return str(subscription["default_source"])
    customer = state.store.get(invoice["customer"], "customer")
    if customer is None:
        return None
    pm = customer["invoice_settings"]["default_payment_method"] or customer["default_source"]
    return str(pm) if pm else None


NO_PAYMENT_METHOD = (
    "This customer has no attached payment source or default payment method. Please consider "
    "adding a default payment method. For more information, visit "
    "https://stripe.com/docs/billing/subscriptions/payment-methods-setting"
    "#payment-method-priority."
)


def pay_invoice(
    state: State,
    invoice: dict[str, Any],
    *,
    payment_method: str | None = None,
    off_session: bool = True,
) -> dict[str, Any]:
    """Charge an open invoice through its PaymentIntent (a decline raises Stripe's 402)."""
    pm_value = payment_method or default_payment_method(state, invoice)
    if pm_value is None:
        raise invalid(NO_PAYMENT_METHOD, code="resource_missing")
    pm = payment_methods.resolve(state, pm_value)
    customer = state.require("customer", invoice["customer"], "customer", "customer")
    if pm["object"] == "payment_method" and pm["customer"] is None:
        payment_methods.attach(state, pm, customer)
    intent = invoice_payments.intent_of(state, invoice)
    if intent is None:
        raise invalid(f"Invoice {invoice['id']} has nothing to pay.")
    payment_intents.confirm_intent(
        state, intent, {"payment_method": pm["id"], "off_session": off_session}
    )
    return invoice


def delete(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    invoice = lookup(state, id)
    if invoice["status"] != "draft":
        raise invalid(
            f"You can only delete draft invoices; {id} is {invoice['status']}. Void it instead.",
            code="invoice_not_editable",
        )
    for line in lines_of(state, invoice):
        item = state.store.get(state.meta[line["id"]].get("invoice_item", ""), "invoiceitem")
        if item is not None:
            item["invoice"] = None
        state.store.delete(line["id"])
    tombstone = state.store.delete(id)
    state.emit("invoice.deleted", invoice)
    return tombstone


def lines(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    invoice = lookup(state, id)
    return paginate(
        list(reversed(lines_of(state, invoice))), params, f"/v1/invoices/{id}/lines", "line item"
    )


def install(state: State) -> None:
    state.on("payment_intent.changed", on_payment_intent)
