"""InvoiceItem: a pending charge (or credit) added to a customer's next invoice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import StripeModel, StripeObject
from ._common import Period
from .customer import CustomerRef
from .invoice_line_item import DiscountAmount, Pricing

if TYPE_CHECKING:
    from .discount import Discount
    from .invoice import Invoice
    from .price import Price

__all__ = ["InvoiceItem"]


class InvoiceItemSubscriptionDetails(StripeModel):
    """The subscription an invoice item belongs to."""

    subscription: str | None = None
    subscription_item: str | None = None


class InvoiceItemParent(StripeModel):
    """What created the item; `type` names the key holding the details."""

    type: Literal["subscription_details"] | str | None = None
    subscription_details: InvoiceItemSubscriptionDetails | None = None


class InvoicingRule(StripeModel):
    """A rule deferring when the item is invoiced."""

    type: str | None = None


class InvoiceItemCreditedItems(StripeModel):
    """What a proration invoice item credits."""

    invoice_item: str | None = None
    invoice_line_item_details: StripeModel | None = None
    type: Literal["invoice_item", "invoice_line_items"] | str | None = None


class InvoiceItemProrationDetails(StripeModel):
    """Proration details of an invoice item."""

    credited_items: InvoiceItemCreditedItems | None = None
    discount_amounts: list[DiscountAmount] | None = None


class InvoiceItem(StripeObject):
    """An amount added to the customer's next (or a given draft) invoice."""

    id: str
    object: Literal["invoiceitem"] | str = "invoiceitem"
    amount: int | None = None
    currency: str | None = None
    customer: CustomerRef | None = None
    customer_account: str | None = None
    date: int | None = None
    description: str | None = None
    discountable: bool | None = None
    discounts: list[str | Discount] | None = None
    frozen_fields: list[Literal["discounts", "pricing", "quantity"] | str] | None = None
    invoice: str | Invoice | None = None
    invoicing_rules: list[InvoicingRule] | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
    net_amount: int | None = None
    parent: InvoiceItemParent | None = None
    period: Period | None = None
    pricing: Pricing | None = None
    proration: bool | None = None
    proration_details: InvoiceItemProrationDetails | None = None
    quantity: int | None = None
    quantity_decimal: str | None = None
    tax_rates: list[StripeObject] | None = None
    test_clock: str | StripeObject | None = None
    # Older API versions (and localstripe) name the price and amounts directly.
    price: Price | None = None
    unit_amount: int | None = None
    unit_amount_decimal: str | None = None
