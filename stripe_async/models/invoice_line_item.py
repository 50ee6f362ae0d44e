"""InvoiceLineItem: one line of an invoice (`object: "line_item"`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import StripeModel, StripeObject
from ._common import Period

if TYPE_CHECKING:
    from .discount import Discount
    from .price import Price
    from .subscription import Subscription

__all__ = ["DiscountAmount", "InvoiceLineItem", "Pricing", "TaxAmount"]


class DiscountAmount(StripeModel):
    """How much one discount took off."""

    amount: int | None = None
    discount: str | Discount | None = None


class PretaxCreditAmount(StripeModel):
    """A credit (discount or credit balance) applied before tax."""

    amount: int | None = None
    credit_balance_transaction: str | StripeObject | None = None
    discount: str | Discount | None = None
    type: Literal["credit_balance_transaction", "discount"] | str | None = None


class TaxRateDetails(StripeModel):
    """The tax rate behind a tax amount."""

    tax_rate: str | None = None


class TaxAmount(StripeModel):
    """Tax charged on a line or invoice."""

    amount: int | None = None
    tax_behavior: Literal["exclusive", "inclusive"] | str | None = None
    tax_rate_details: TaxRateDetails | None = None
    taxability_reason: str | None = None
    taxable_amount: int | None = None
    type: Literal["tax_rate_details"] | str | None = None


class PriceDetails(StripeModel):
    """The price and product a line or item was billed at."""

    price: str | Price | None = None
    product: str | None = None


class Pricing(StripeModel):
    """How the amount was computed."""

    type: Literal["price_details"] | str | None = None
    price_details: PriceDetails | None = None
    unit_amount_decimal: str | None = None


class CreditedItems(StripeModel):
    """The invoice lines a proration credits."""

    invoice: str | None = None
    invoice_line_items: list[str] | None = None


class ProrationDetails(StripeModel):
    """What a proration credits."""

    credited_items: CreditedItems | None = None


class InvoiceItemParentDetails(StripeModel):
    """The invoice item a line comes from."""

    invoice_item: str | None = None
    proration: bool | None = None
    proration_details: ProrationDetails | None = None
    subscription: str | None = None


class SubscriptionItemParentDetails(StripeModel):
    """The subscription item a line comes from."""

    invoice_item: str | None = None
    proration: bool | None = None
    proration_details: ProrationDetails | None = None
    subscription: str | None = None
    subscription_item: str | None = None


class LineItemParent(StripeModel):
    """What generated the line; `type` names the key holding the details."""

    type: Literal["invoice_item_details", "subscription_item_details"] | str | None = None
    invoice_item_details: InvoiceItemParentDetails | None = None
    subscription_item_details: SubscriptionItemParentDetails | None = None


class InvoiceLineItem(StripeObject):
    """One line of an invoice: an invoice item or a subscription item for a period."""

    id: str
    object: Literal["line_item"] | str = "line_item"
    amount: int | None = None
    currency: str | None = None
    description: str | None = None
    discount_amounts: list[DiscountAmount] | None = None
    discountable: bool | None = None
    discounts: list[str | Discount] | None = None
    invoice: str | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
    parent: LineItemParent | None = None
    period: Period | None = None
    pretax_credit_amounts: list[PretaxCreditAmount] | None = None
    pricing: Pricing | None = None
    quantity: int | None = None
    quantity_decimal: str | None = None
    subscription: str | Subscription | None = None
    subtotal: int | None = None
    taxes: list[TaxAmount] | None = None
    # Older API versions (and localstripe) put these on the line itself.
    price: Price | None = None
    proration: bool | None = None
    type: Literal["invoiceitem", "subscription"] | str | None = None
