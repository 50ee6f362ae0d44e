"""Routes of invoices: parse, call the flow, render."""

from __future__ import annotations

from typing import Any

from .._errors import EmulatorError, invalid
from .._flows.billing import changes, credits, discounts, invoice_payments, tax
from .._flows.billing.invoices import (
    COLLECTION,
    check_collection,
    check_customer_pm,
    delete,
    finalize_invoice,
    item_line,
    lines,
    lookup,
    mark_paid,
    new_invoice,
    pay_invoice,
    recompute,
    set_discounts,
    subscription_of,
    update,
)
from .._flows.billing.subscriptions import preview_lines
from .._flows.payments import payment_intents
from .._flows.payments.money import currency_param
from .._lists import paginate
from .._params import (
    ANY,
    AUTOMATIC_TAX,
    BOOL,
    DISCOUNTS,
    INT,
    LIST_PARAMS,
    METADATA,
    SEARCH_PARAMS,
    STR,
    ListOf,
    Obj,
    Refused,
    Str,
)
from .._router import Route
from .._search import search_handler
from .._state import State, assign, set_metadata

#: The invoice's own account issues it (the default); issuing for a connected account
#: is not modelled.
ISSUER = Obj(
    {"type": Refused(Str("account", "self"), "account")},
    required=("type",),
    unsupported=("account",),
)


_EDITABLE = {
    "auto_advance": BOOL,
    "automatically_finalizes_at": INT,
    "collection_method": COLLECTION,
    "custom_fields": ANY,
    "days_until_due": INT,
    "default_payment_method": STR,
    "default_source": STR,
    "description": STR,
    "due_date": INT,
    "effective_at": INT,
    "footer": STR,
    "metadata": METADATA,
    "payment_settings": ANY,
    "rendering": ANY,
    "statement_descriptor": STR,
    "automatic_tax": AUTOMATIC_TAX,
    "issuer": ISSUER,
    "discounts": DISCOUNTS,
    "shipping_details": ANY,
    "on_behalf_of": STR,
    "number": STR,
    "default_tax_rates": ListOf(STR),
}


CREATE = Obj(
    {
        **_EDITABLE,
        "customer": STR,
        "currency": STR,
        "subscription": STR,
        "pending_invoice_items_behavior": Str("exclude", "include"),
    },
)


UPDATE = Obj(_EDITABLE)


FINALIZE = Obj({"auto_advance": BOOL})


PAY = Obj(
    {
        "forgive": BOOL,
        "off_session": BOOL,
        "paid_out_of_band": BOOL,
        "payment_method": STR,
        "source": STR,
    }
)


LIST = Obj(
    {
        **LIST_PARAMS,
        "customer": STR,
        "status": Str("draft", "open", "paid", "uncollectible", "void"),
        "subscription": STR,
        "collection_method": COLLECTION,
    },
)


PREVIEW = Obj(
    {
        "customer": STR,
        "subscription": STR,
        "currency": STR,
        "subscription_details": Obj(
            {
                "items": ListOf(
                    Obj(
                        {
                            "id": STR,
                            "price": STR,
                            "quantity": INT,
                            "deleted": BOOL,
                            "metadata": METADATA,
                        }
                    )
                ),
                "proration_behavior": Str("always_invoice", "create_prorations", "none"),
                "billing_cycle_anchor": Str("now", "unchanged"),
                "proration_date": INT,
                # A preview is not kept: its subscription's metadata has nowhere to go.
                "metadata": METADATA,
            },
            # Previews of cancellations, trials, anchors and taxes are not modelled.
            unsupported=(
                "billing_mode",
                "billing_schedules",
                "cancel_at",
                "cancel_at_period_end",
                "cancel_now",
                "default_tax_rates",
                "pause",
                "resume_at",
                "start_date",
                "trial_end",
            ),
        ),
        "invoice_items": ListOf(
            Obj(
                {
                    "amount": INT,
                    "currency": STR,
                    "description": STR,
                    "price": STR,
                    "quantity": INT,
                    "unit_amount": INT,
                    "metadata": METADATA,
                    "period": ANY,
                    "pricing": ANY,
                    "price_data": ANY,
                    "discountable": BOOL,
                }
            )
        ),
        "preview_mode": Str("next", "recurring"),
        "automatic_tax": AUTOMATIC_TAX,
        "issuer": ISSUER,
    },
)


SEARCH_FIELDS = {
    "created": "created",
    "currency": "currency",
    "customer": "customer",
    "number": "number",
    "receipt_number": "receipt_number",
    "status": "status",
    "subscription": "subscription",
    "total": "total",
}


def create(state: State, params: dict[str, Any]) -> dict[str, Any]:
    subscription = None
    if params.get("subscription") is not None:
        subscription = state.require(
            "subscription", params["subscription"], "subscription", "subscription"
        )
    customer_id = params.get("customer") or (subscription or {}).get("customer")
    if customer_id is None:
        raise EmulatorError(
            400, "Missing required param: customer.", code="parameter_missing", param="customer"
        )
    customer = state.require("customer", customer_id, "customer", "customer")
    collection = params.get("collection_method") or "charge_automatically"
    check_collection(collection, params)
    for name in ("default_payment_method", "default_source"):
        if params.get(name) is not None:
            check_customer_pm(state, customer["id"], params[name])
    currency = currency_param(params["currency"]) if params.get("currency") else None
    invoice = new_invoice(
        state,
        customer,
        currency=currency,
        subscription=subscription,
        collection_method=collection,
        auto_advance=params.get("auto_advance"),
    )
    assign(
        invoice,
        params,
        (
            "custom_fields",
            "default_payment_method",
            "default_source",
            "description",
            "effective_at",
            "footer",
            "rendering",
            "statement_descriptor",
            "on_behalf_of",
            "shipping_details",
            "number",
        ),
    )
    if params.get("payment_settings"):
        invoice["payment_settings"].update(params["payment_settings"])
    invoice["default_tax_rates"] = tax.resolve(
        state, params.get("default_tax_rates"), "default_tax_rates"
    )
    if collection == "send_invoice":
        due = params.get("due_date") or state.now() + 86400 * int(params.get("days_until_due") or 0)
        invoice["due_date"] = due
        state.meta.setdefault(invoice["id"], {})["days_until_due"] = params.get("days_until_due")
    set_metadata(invoice, params.get("metadata"))
    if invoice["auto_advance"]:
        invoice["automatically_finalizes_at"] = invoice["created"] + 3600
    assign(invoice, params, ("automatically_finalizes_at",))
    if params.get("pending_invoice_items_behavior") == "include":
        for item in state.store.all("invoiceitem"):
            if (
                item["customer"] == customer["id"]
                and item["invoice"] is None
                and item["currency"] == invoice["currency"]
            ):
                item["invoice"] = invoice["id"]
                item_line(state, invoice, item)
    if params.get("discounts"):
        set_discounts(state, invoice, params["discounts"])
    recompute(state, invoice)
    state.emit("invoice.created", invoice)
    return invoice


def retrieve(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    return lookup(state, id)


def pay(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    invoice = lookup(state, id)
    if invoice["status"] == "draft":
        finalize_invoice(state, invoice)
        if invoice["status"] == "paid":
            # Nothing was due: finalizing paid it, and this call did that (Stripe's 200).
            return invoice
    if invoice["status"] == "paid":
        raise invalid("Invoice is already paid.")
    if invoice["status"] == "void":
        raise invalid(f"Invoice {id} is void and cannot be paid.")
    if params.get("paid_out_of_band"):
        _cancel_payment(state, invoice)
        mark_paid(state, invoice, amount=invoice["amount_due"])
        return invoice
    pm_value = params.get("payment_method") or params.get("source")
    off_session = params.get("off_session")
    return pay_invoice(
        state,
        invoice,
        payment_method=pm_value,
        off_session=True if off_session is None else off_session,
    )


def _cancel_payment(state: State, invoice: dict[str, Any]) -> None:
    """The invoice will not be paid through its PaymentIntent: cancel both."""
    intent = invoice_payments.intent_of(state, invoice)
    if intent is not None and intent["status"] in payment_intents.CANCELABLE:
        payment_intents.cancel_intent(state, intent, None)
    invoice_payments.cancel(state, invoice)


def finalize(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    invoice = lookup(state, id)
    if params.get("auto_advance") is not None:
        invoice["auto_advance"] = params["auto_advance"]
    return finalize_invoice(state, invoice)


def void(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    invoice = lookup(state, id)
    if invoice["status"] not in ("open", "uncollectible"):
        raise invalid(
            f"You can only void an open or uncollectible invoice; {id} is {invoice['status']}."
        )
    _cancel_payment(state, invoice)
    before = {"status": invoice["status"]}
    invoice.update(status="void", next_payment_attempt=None, amount_remaining=0)
    invoice["status_transitions"]["voided_at"] = state.now()
    state.emit("invoice.voided", invoice, before)
    return invoice


def mark_uncollectible(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    invoice = lookup(state, id)
    if invoice["status"] != "open":
        raise invalid(
            f"You can only mark an open invoice as uncollectible; {id} is {invoice['status']}."
        )
    before = {"status": invoice["status"]}
    invoice.update(status="uncollectible", next_payment_attempt=None)
    invoice["status_transitions"]["marked_uncollectible_at"] = state.now()
    state.emit("invoice.marked_uncollectible", invoice, before)
    return invoice


def send(state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
    invoice = lookup(state, id)
    if invoice["status"] == "draft":
        finalize_invoice(state, invoice)
    if invoice["status"] not in ("open", "paid", "uncollectible"):
        raise invalid(f"You cannot send an invoice that is {invoice['status']}.")
    state.meta.setdefault(invoice["id"], {})["sent_at"] = state.now()
    state.emit("invoice.sent", invoice)
    return invoice


def list_all(state: State, params: dict[str, Any]) -> dict[str, Any]:
    rows = [
        i
        for i in state.store.newest_first("invoice")
        if params.get("customer") in (None, i["customer"])
        and params.get("status") in (None, i["status"])
        and params.get("subscription") in (None, subscription_of(i))
        and params.get("collection_method") in (None, i["collection_method"])
    ]
    return paginate(rows, params, "/v1/invoices", "invoice")


search_route = search_handler("invoice", "invoices", SEARCH_FIELDS)


def create_preview(state: State, params: dict[str, Any]) -> dict[str, Any]:
    """What the next invoice would look like; nothing is stored."""
    subscription = None
    if params.get("subscription") is not None:
        subscription = state.require(
            "subscription", params["subscription"], "subscription", "subscription"
        )
    customer_id = params.get("customer") or (subscription or {}).get("customer")
    if customer_id is None:
        raise EmulatorError(
            400, "Missing required param: customer.", code="parameter_missing", param="customer"
        )
    customer = state.require("customer", customer_id, "customer", "customer")
    details = params.get("subscription_details") or {}
    invoice = new_invoice(
        state,
        customer,
        currency=currency_param(params["currency"]) if params.get("currency") else None,
        subscription=subscription,
        billing_reason="upcoming" if subscription else "manual",
        store=False,
    )
    lines_out, period = preview_lines(state, invoice, subscription, details.get("items") or [])
    if subscription is not None and (
        details.get("items") or details.get("billing_cycle_anchor") == "now"
    ):
        lines_out, now_period = changes.preview(state, invoice, subscription, details, lines_out)
        period = now_period or period
    if period is not None:
        invoice["period_start"], invoice["period_end"] = period
    if subscription is not None:
        # The subscription's discounts that will still apply when the next invoice is made.
        moment = {"created": invoice["period_start"]}
        invoice["discounts"] = [
            discount_id
            for discount_id in subscription["discounts"]
            if discounts.applies_now(state, state.store.get(discount_id, "discount") or {}, moment)
        ]
        if lines_out:
            invoice["currency"] = lines_out[0]["currency"]
    for item in state.store.all("invoiceitem"):
        if item["customer"] == customer["id"] and item["invoice"] is None:
            lines_out.append(item_line(state, invoice, item, store=False))
    for index, extra in enumerate(params.get("invoice_items") or []):
        amount = extra.get("amount")
        if amount is None:
            if extra.get("price"):
                price = state.require(
                    "price", extra["price"], "price", f"invoice_items[{index}][price]"
                )
                amount = (price["unit_amount"] or 0) * (extra.get("quantity") or 1)
            else:
                amount = (extra.get("unit_amount") or 0) * (extra.get("quantity") or 1)
        fake = {
            "id": f"ii_tmp_{state.ids.token(12)}",
            "amount": amount,
            "currency": invoice["currency"],
            "description": extra.get("description"),
            "quantity": extra.get("quantity") or 1,
            "period": {"start": invoice["period_start"], "end": invoice["period_end"]},
            "parent": None,
            "pricing": {
                "price_details": None,
                "type": "price_details",
                "unit_amount_decimal": str(amount),
            },
            "metadata": extra.get("metadata") or {},
        }
        lines_out.append(item_line(state, invoice, fake, store=False))
    recompute(state, invoice, lines_out)
    credits.apply_balance(state, invoice, customer, store=False)
    invoice["lines"]["url"] = "/v1/invoices/upcoming/lines"
    return invoice


ROUTES = [
    Route("POST", "/v1/invoices", create, CREATE),
    Route("GET", "/v1/invoices", list_all, LIST),
    Route("GET", "/v1/invoices/search", search_route, SEARCH_PARAMS),
    Route("POST", "/v1/invoices/create_preview", create_preview, PREVIEW),
    Route("GET", "/v1/invoices/{id}", retrieve),
    Route("POST", "/v1/invoices/{id}", update, UPDATE),
    Route("DELETE", "/v1/invoices/{id}", delete),
    Route("POST", "/v1/invoices/{id}/finalize", finalize, FINALIZE),
    Route("POST", "/v1/invoices/{id}/pay", pay, PAY),
    Route("POST", "/v1/invoices/{id}/void", void),
    Route("POST", "/v1/invoices/{id}/mark_uncollectible", mark_uncollectible),
    Route("POST", "/v1/invoices/{id}/send", send),
    Route("GET", "/v1/invoices/{id}/lines", lines, Obj(LIST_PARAMS)),
]
