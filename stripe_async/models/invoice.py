"""Invoice: a statement of amounts owed, paid automatically or sent to the customer."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Literal

from ._base import ListObject, StripeModel, StripeObject, timestamp
from ._common import Address, AutomaticTax, CollectionMethod, CustomField, Issuer, Shipping
from .customer import CustomerRef
from .discount import Discount
from .error_object import StripeErrorObject
from .invoice_line_item import InvoiceLineItem, TaxAmount
from .invoice_payment import InvoicePayment

if TYPE_CHECKING:
    from .charge import Charge
    from .payment_intent import PaymentIntent
    from .payment_method import PaymentMethod
    from .subscription import Subscription

__all__ = ["Invoice", "InvoiceBase", "InvoicePreview", "InvoiceStatus", "InvoiceStatusTransitions"]

InvoiceStatus = Literal["draft", "open", "paid", "uncollectible", "void"] | str


class ConfirmationSecret(StripeModel):
    """The client secret to confirm the invoice's payment on the client (hidden in repr)."""

    client_secret: str | None = None
    type: str | None = None


class CustomerTaxId(StripeModel):
    """A tax id of the customer, as printed on the invoice."""

    type: str | None = None
    value: str | None = None


class FromInvoice(StripeModel):
    """The invoice this one revises."""

    action: str | None = None
    invoice: str | Invoice | None = None


class QuoteDetails(StripeModel):
    """The quote an invoice comes from."""

    quote: str | None = None


class InvoiceSubscriptionDetails(StripeModel):
    """The subscription an invoice bills."""

    metadata: dict[str, str] | None = None
    subscription: str | Subscription | None = None
    subscription_proration_date: int | None = None


class InvoiceParent(StripeModel):
    """What created the invoice; `type` names the key holding the details."""

    type: Literal["quote_details", "subscription_details"] | str | None = None
    quote_details: QuoteDetails | None = None
    subscription_details: InvoiceSubscriptionDetails | None = None


class InvoicePaymentSettings(StripeModel):
    """Payment settings used to pay the invoice."""

    default_mandate: str | None = None
    payment_method_options: dict[str, StripeModel | None] | None = None
    payment_method_types: list[str] | None = None


class RenderingPdf(StripeModel):
    """PDF options."""

    page_size: Literal["a4", "auto", "letter"] | str | None = None


class Rendering(StripeModel):
    """How the invoice is rendered."""

    amount_tax_display: str | None = None
    pdf: RenderingPdf | None = None
    template: str | None = None
    template_version: int | None = None


class ShippingCostTax(StripeModel):
    """Tax on shipping."""

    amount: int | None = None
    rate: StripeObject | None = None
    taxability_reason: str | None = None
    taxable_amount: int | None = None


class ShippingCost(StripeModel):
    """Shipping charged on the invoice."""

    amount_subtotal: int | None = None
    amount_tax: int | None = None
    amount_total: int | None = None
    shipping_rate: str | StripeObject | None = None
    taxes: list[ShippingCostTax] | None = None


class InvoiceStatusTransitions(StripeModel):
    """When the invoice changed status (unix seconds)."""

    finalized_at: int | None = None
    marked_uncollectible_at: int | None = None
    paid_at: int | None = None
    voided_at: int | None = None

    @property
    def paid_at_datetime(self) -> _dt.datetime | None:
        """`paid_at` as an aware UTC datetime."""
        return timestamp(self.paid_at)

    @property
    def finalized_at_datetime(self) -> _dt.datetime | None:
        """`finalized_at` as an aware UTC datetime."""
        return timestamp(self.finalized_at)


StatusTransitions = InvoiceStatusTransitions


class InvoiceStatusDetails(StripeModel):
    """More about the status (why it is uncollectible)."""

    uncollectible: StripeModel | None = None


class ThresholdItemReason(StripeModel):
    """A usage threshold reached by some lines."""

    line_item_ids: list[str] | None = None
    usage_gte: int | None = None


class ThresholdReason(StripeModel):
    """Why a threshold invoice was created."""

    amount_gte: int | None = None
    item_reasons: list[ThresholdItemReason] | None = None


class TotalDiscountAmount(StripeModel):
    """How much one discount took off the invoice."""

    amount: int | None = None
    discount: str | Discount | None = None


class TotalPretaxCreditAmount(StripeModel):
    """A pre-tax credit applied to the invoice."""

    amount: int | None = None
    credit_balance_transaction: str | StripeObject | None = None
    discount: str | Discount | None = None
    type: Literal["credit_balance_transaction", "discount"] | str | None = None


class InvoiceBase(StripeObject):
    """The fields of an invoice, shared by `Invoice` and `InvoicePreview`."""

    object: Literal["invoice"] | str = "invoice"
    account_country: str | None = None
    account_name: str | None = None
    account_tax_ids: list[str | StripeObject] | None = None
    amount_due: int | None = None
    amount_overpaid: int | None = None
    amount_paid: int | None = None
    amount_paid_off_stripe: int | None = None
    amount_remaining: int | None = None
    amount_shipping: int | None = None
    application: str | StripeObject | None = None
    attempt_count: int | None = None
    attempted: bool | None = None
    auto_advance: bool | None = None
    automatic_tax: AutomaticTax | None = None
    automatically_finalizes_at: int | None = None
    billing_reason: (
        Literal[
            "automatic_pending_invoice_item_invoice",
            "manual",
            "quote_accept",
            "subscription",
            "subscription_create",
            "subscription_cycle",
            "subscription_threshold",
            "subscription_update",
            "upcoming",
        ]
        | str
        | None
    ) = None
    collection_method: CollectionMethod | None = None
    confirmation_secret: ConfirmationSecret | None = None
    created: int | None = None
    currency: str | None = None
    custom_fields: list[CustomField] | None = None
    customer: CustomerRef | None = None
    customer_account: str | None = None
    customer_address: Address | None = None
    customer_email: str | None = None
    customer_name: str | None = None
    customer_phone: str | None = None
    customer_shipping: Shipping | None = None
    customer_tax_exempt: Literal["exempt", "none", "reverse"] | str | None = None
    customer_tax_ids: list[CustomerTaxId] | None = None
    default_payment_method: str | PaymentMethod | None = None
    default_source: str | StripeObject | None = None
    default_tax_rates: list[StripeObject] | None = None
    description: str | None = None
    discounts: list[str | Discount] | None = None
    due_date: int | None = None
    effective_at: int | None = None
    ending_balance: int | None = None
    footer: str | None = None
    from_invoice: FromInvoice | None = None
    hosted_invoice_url: str | None = None
    invoice_pdf: str | None = None
    issuer: Issuer | None = None
    last_finalization_error: StripeErrorObject | None = None
    latest_revision: str | Invoice | None = None
    lines: ListObject[InvoiceLineItem] | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
    next_payment_attempt: int | None = None
    number: str | None = None
    on_behalf_of: str | StripeObject | None = None
    parent: InvoiceParent | None = None
    payment_settings: InvoicePaymentSettings | None = None
    payments: ListObject[InvoicePayment] | None = None
    period_end: int | None = None
    period_start: int | None = None
    post_payment_credit_notes_amount: int | None = None
    pre_payment_credit_notes_amount: int | None = None
    receipt_number: str | None = None
    rendering: Rendering | None = None
    shipping_cost: ShippingCost | None = None
    shipping_details: Shipping | None = None
    starting_balance: int | None = None
    statement_descriptor: str | None = None
    status: InvoiceStatus | None = None
    status_details: InvoiceStatusDetails | None = None
    status_transitions: InvoiceStatusTransitions | None = None
    subtotal: int | None = None
    subtotal_excluding_tax: int | None = None
    test_clock: str | StripeObject | None = None
    threshold_reason: ThresholdReason | None = None
    total: int | None = None
    total_discount_amounts: list[TotalDiscountAmount] | None = None
    total_excluding_tax: int | None = None
    total_pretax_credit_amounts: list[TotalPretaxCreditAmount] | None = None
    total_taxes: list[TaxAmount] | None = None
    webhooks_delivered_at: int | None = None
    # Before API 2025-03-31 (and in localstripe) invoices linked these directly.
    charge: str | Charge | None = None
    discount: Discount | None = None
    paid: bool | None = None
    payment_intent: str | PaymentIntent | None = None
    subscription: str | Subscription | None = None
    tax: int | None = None

    @property
    def subscription_id(self) -> str | None:
        """The billed subscription's id, from `parent` (current API) or `subscription` (older)."""
        details = self.parent.subscription_details if self.parent is not None else None
        ref = details.subscription if details is not None else self.subscription
        if ref is None or isinstance(ref, str):
            return ref
        return ref.id


class Invoice(InvoiceBase):
    """What a customer owes for a period or a one-off sale, and its payment state."""

    id: str


class InvoicePreview(InvoiceBase):
    """An invoice computed by `invoices.create_preview`: it may have no id to act on."""
