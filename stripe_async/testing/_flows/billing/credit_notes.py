"""Credit notes: reduce what an invoice asks for, or give back what it took.

On an open invoice a credit note is `pre_payment`: it lowers `amount_due` and
`amount_remaining` (adding to `pre_payment_credit_notes_amount`); crediting all that
remains marks the invoice paid. On a paid invoice it is `post_payment` (adding to
`post_payment_credit_notes_amount`), split into `refund_amount` (a refund of the
invoice's charge), `credit_amount` (the customer's balance, applied to the next
invoice) and `out_of_band_amount`; with none of them the whole amount is credited
to the balance. Voiding undoes it, except for a refund, which cannot be taken back.
Crediting part of a taxed invoice line gives back that share of its tax.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..._errors import invalid
from ..._lists import sublist
from ..._state import State, set_metadata
from ..payments import payment_intents, refunds
from . import credits, invoice_payments, invoices


def _invoice_line(state: State, invoice: dict[str, Any], line_id: str, param: str) -> Any:
    for line in invoices.lines_of(state, invoice):
        if line["id"] == line_id:
            return line
    raise invalid(f"The invoice {invoice['id']} has no line {line_id}.", param=param)


def _share_of_taxes(line: dict[str, Any], amount: int) -> list[dict[str, Any]]:
    """The part of an invoice line's taxes that crediting `amount` of it gives back."""
    whole = line["amount"] or 1
    return [
        {
            **tax,
            "amount": _cents(Decimal(tax["amount"]) * amount / whole),
            "taxable_amount": _cents(Decimal(tax["taxable_amount"]) * amount / whole),
        }
        for tax in line.get("taxes") or []
    ]


def _cents(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def _totals(lines: list[dict[str, Any]]) -> tuple[int, int, list[dict[str, Any]]]:
    """(exclusive tax, inclusive tax, total_taxes) of credit note lines."""
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for line in lines:
        for tax in line["taxes"]:
            key = (tax["tax_rate_details"]["tax_rate"], tax["tax_behavior"])
            total = totals.setdefault(key, {**tax, "amount": 0, "taxable_amount": 0})
            total["amount"] += tax["amount"]
            total["taxable_amount"] += tax["taxable_amount"]
    exclusive = sum(t["amount"] for t in totals.values() if t["tax_behavior"] == "exclusive")
    inclusive = sum(t["amount"] for t in totals.values() if t["tax_behavior"] == "inclusive")
    return exclusive, inclusive, list(totals.values())


def _lines(
    state: State, invoice: dict[str, Any], specs: list[dict[str, Any]], store: bool
) -> list[dict[str, Any]]:
    out = []
    for index, spec in enumerate(specs):
        param = f"lines[{index}]"
        quantity = spec.get("quantity") or 1
        if spec["type"] == "invoice_line_item":
            if not spec.get("invoice_line_item"):
                raise invalid(
                    f"Missing required param: {param}[invoice_line_item].",
                    param=f"{param}[invoice_line_item]",
                )
            line = _invoice_line(state, invoice, spec["invoice_line_item"], param)
            if spec.get("amount") is not None:
                amount, unit = spec["amount"], None
            else:
                per_unit = line["amount"] // (line["quantity"] or 1)
                amount = line["amount"] if spec.get("quantity") is None else per_unit * quantity
                unit = per_unit
            description = spec.get("description") or line["description"]
            taxes = _share_of_taxes(line, amount)
        else:
            if spec.get("unit_amount") is None:
                raise invalid(
                    f"Missing required param: {param}[unit_amount].", param=f"{param}[unit_amount]"
                )
            unit = spec["unit_amount"]
            amount, description, taxes = unit * quantity, spec.get("description"), []
        out.append(
            {
                "id": state.new_id("cnli") if store else f"cnli_tmp_{state.ids.token(16)}",
                "object": "credit_note_line_item",
                "amount": amount,
                "description": description,
                "discount_amount": 0,
                "discount_amounts": [],
                "invoice_line_item": spec.get("invoice_line_item"),
                "livemode": False,
                "metadata": dict(spec.get("metadata") or {}),
                "pretax_credit_amounts": [],
                "quantity": quantity,
                "tax_rates": [
                    copy.deepcopy(state.store.get(t["tax_rate_details"]["tax_rate"])) for t in taxes
                ],
                "taxes": taxes,
                "type": spec["type"],
                "unit_amount": unit,
                "unit_amount_decimal": None if unit is None else str(unit),
            }
        )
    return out


def build(state: State, params: dict[str, Any], *, store: bool) -> dict[str, Any]:
    """A credit note from create (or preview) params, checked against its invoice."""
    invoice = state.require("invoice", params["invoice"], "invoice", "invoice")
    if invoice["status"] not in ("open", "paid"):
        raise invalid(
            f"Credit notes can only be issued for open or paid invoices; {invoice['id']} is "
            f"{invoice['status']}.",
            param="invoice",
        )
    lines = _lines(state, invoice, params.get("lines") or [], store)
    splits = {k: params.get(k) for k in ("credit_amount", "refund_amount", "out_of_band_amount")}
    subtotal = sum(line["amount"] for line in lines)
    exclusive, inclusive, total_taxes = _totals(lines)
    if lines:
        amount = subtotal + exclusive
    elif params.get("amount") is not None:
        amount = params["amount"]
    elif any(v is not None for v in splits.values()):
        amount = sum(v or 0 for v in splits.values())
    else:
        raise invalid("Pass lines, amount, credit_amount, refund_amount or out_of_band_amount.")
    if amount <= 0:
        raise invalid("The credit note amount must be positive.", param="amount")
    paid = invoice["status"] == "paid"
    if paid:
        room = invoice["amount_paid"] - invoice["post_payment_credit_notes_amount"]
        if all(v is None for v in splits.values()):
            splits["credit_amount"] = amount
        if sum(v or 0 for v in splits.values()) != amount:
            raise invalid(
                "The sum of credit_amount, refund_amount and out_of_band_amount must equal "
                f"the credit note's amount ({amount}).",
                param="credit_amount",
            )
    else:
        room = invoice["amount_remaining"]
        for name in ("refund_amount", "credit_amount"):
            if splits[name]:
                raise invalid(
                    f"{name} applies to paid invoices; {invoice['id']} is open: the credit "
                    "note lowers what it asks for.",
                    param=name,
                )
    if amount > room:
        raise invalid(
            f"The credit note amount ({amount}) is more than the invoice has left to credit "
            f"({room}).",
            param="amount",
        )
    customer = state.require("customer", invoice["customer"], "customer", "customer")
    count = state.meta.setdefault(invoice["id"], {}).get("credit_notes", 0) + (1 if store else 0)
    note_id = state.new_id("cn") if store else f"cn_preview_{state.ids.token(16)}"
    note: dict[str, Any] = {
        "id": note_id,
        "object": "credit_note",
        "amount": amount,
        "amount_shipping": 0,
        "created": state.now(),
        "currency": invoice["currency"],
        "customer": customer["id"],
        "customer_account": None,
        "customer_balance_transaction": None,
        "discount_amount": 0,
        "discount_amounts": [],
        "effective_at": params.get("effective_at") or state.now(),
        "invoice": invoice["id"],
        "lines": sublist(lines, f"/v1/credit_notes/{note_id}/lines"),
        "livemode": False,
        "memo": params.get("memo"),
        "metadata": {},
        "number": f"{invoice['number']}-CN-{max(count, 1):02d}",
        "out_of_band_amount": splits["out_of_band_amount"] if paid else None,
        "pdf": f"https://pay.stripe.com/credit_notes/acct_emulator/{note_id}/pdf",
        "post_payment_amount": amount if paid else 0,
        "pre_payment_amount": 0 if paid else amount,
        "pretax_credit_amounts": [],
        "reason": params.get("reason"),
        "refunds": [],
        "shipping_cost": None,
        "status": "issued",
        "subtotal": subtotal if lines else amount,
        "subtotal_excluding_tax": (subtotal - inclusive) if lines else amount,
        "total": amount,
        "total_excluding_tax": (subtotal - inclusive) if lines else amount,
        "total_taxes": total_taxes,
        "type": "post_payment" if paid else "pre_payment",
        "voided_at": None,
    }
    set_metadata(note, params.get("metadata"))
    if store:
        state.meta[invoice["id"]]["credit_notes"] = count
        state.meta[note_id] = {"splits": splits}
    return note


def issue(state: State, params: dict[str, Any]) -> dict[str, Any]:
    note = build(state, params, store=True)
    invoice = state.require("invoice", note["invoice"], "invoice", "invoice")
    customer = state.require("customer", note["customer"], "customer", "customer")
    splits = state.meta[note["id"]]["splits"]
    before = copy.deepcopy(invoice)
    state.store.put(note)
    for line in note["lines"]["data"]:
        state.store.put(line)
        state.meta[line["id"]] = {"credit_note": note["id"]}
    if note["type"] == "pre_payment":
        invoice["pre_payment_credit_notes_amount"] += note["amount"]
        invoice["amount_due"] -= note["amount"]
        invoice["amount_remaining"] -= note["amount"]
        _follow_payment(state, invoice)
    else:
        invoice["post_payment_credit_notes_amount"] += note["amount"]
        if splits.get("credit_amount"):
            entry = credits.record(
                state,
                customer,
                -splits["credit_amount"],
                note["currency"],
                type="credit_note",
                credit_note=note["id"],
                invoice=invoice["id"],
            )
            note["customer_balance_transaction"] = entry["id"]
        if splits.get("refund_amount"):
            note["refunds"].append(_refund(state, invoice, splits["refund_amount"]))
    state.emit("credit_note.created", note)
    state.emit_update("invoice.updated", invoice, before)
    return note


def _follow_payment(state: State, invoice: dict[str, Any]) -> None:
    """The invoice asks for less: its PaymentIntent too; nothing left means paid."""
    intent = invoice_payments.intent_of(state, invoice)
    if invoice["amount_remaining"] <= 0:
        if intent is not None and intent["status"] in payment_intents.CANCELABLE:
            payment_intents.cancel_intent(state, intent, None)
        invoice_payments.cancel(state, invoice)
        invoices.mark_paid(state, invoice, amount=invoice["amount_paid"])
    elif intent is not None and intent["status"] in payment_intents.CANCELABLE:
        intent["amount"] = invoice["amount_remaining"]


def _refund(state: State, invoice: dict[str, Any], amount: int) -> dict[str, Any]:
    intent = invoice_payments.intent_of(state, invoice)
    charge = state.store.get((intent or {}).get("latest_charge") or "", "charge")
    if charge is None:
        raise invalid(
            f"The invoice {invoice['id']} was not paid by a charge: nothing can be refunded; "
            "use credit_amount or out_of_band_amount.",
            param="refund_amount",
        )
    refund = refunds.new_refund(state, charge, amount, None, {})
    return {
        "amount_refunded": amount,
        "payment_record_refund": None,
        "refund": refund["id"],
        "type": "refund",
    }


def void(state: State, note: dict[str, Any]) -> dict[str, Any]:
    if note["status"] == "void":
        raise invalid(f"The credit note {note['id']} is already void.")
    if note["refunds"]:
        raise invalid("A credit note with a refund cannot be voided: the refund stays.")
    invoice = state.require("invoice", note["invoice"], "invoice", "invoice")
    if note["type"] == "pre_payment" and invoice["status"] != "open":
        raise invalid(
            f"The credit note's invoice {invoice['id']} is {invoice['status']}; only a credit "
            "note of an open invoice can be voided."
        )
    before = copy.deepcopy(invoice)
    if note["type"] == "pre_payment":
        invoice["pre_payment_credit_notes_amount"] -= note["amount"]
        invoice["amount_due"] += note["amount"]
        invoice["amount_remaining"] += note["amount"]
        intent = invoice_payments.intent_of(state, invoice)
        if intent is not None and intent["status"] in payment_intents.CANCELABLE:
            intent["amount"] = invoice["amount_remaining"]
    else:
        invoice["post_payment_credit_notes_amount"] -= note["amount"]
        credit = state.meta[note["id"]]["splits"].get("credit_amount")
        if credit:
            customer = state.require("customer", note["customer"], "customer", "customer")
            credits.record(
                state,
                customer,
                credit,
                note["currency"],
                type="credit_note",
                credit_note=note["id"],
                invoice=invoice["id"],
                description="Voided credit note",
            )
    note.update(status="void", voided_at=state.now())
    state.emit("credit_note.voided", note, {"status": "issued"})
    state.emit_update("invoice.updated", invoice, before)
    return note
