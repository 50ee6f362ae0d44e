"""Customer and DeletedCustomer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import DeletedObject, ListObject, StripeModel, StripeObject
from ._common import Address, CustomField, Shipping
from .card import PaymentSource
from .discount import Discount

if TYPE_CHECKING:
    from .payment_method import PaymentMethod
    from .subscription import Subscription

__all__ = [
    "Customer",
    "CustomerInvoiceSettings",
    "CustomerTax",
    "DeletedCustomer",
    "InvoiceRenderingOptions",
]


class InvoiceRenderingOptions(StripeModel):
    """How invoices for this customer are rendered."""

    amount_tax_display: str | None = None
    template: str | None = None


class CustomerInvoiceSettings(StripeModel):
    """Defaults for the customer's invoices."""

    custom_fields: list[CustomField] | None = None
    default_payment_method: str | PaymentMethod | None = None
    footer: str | None = None
    rendering_options: InvoiceRenderingOptions | None = None


class TaxLocation(StripeModel):
    """The customer's location as Stripe Tax determined it."""

    country: str | None = None
    source: (
        Literal["billing_address", "ip_address", "payment_method", "shipping_destination"]
        | str
        | None
    ) = None
    state: str | None = None


class CustomerTax(StripeModel):
    """Tax details of a customer (expand `tax` to get them)."""

    automatic_tax: (
        Literal["failed", "not_collecting", "supported", "unrecognized_location"] | str | None
    ) = None
    ip_address: str | None = None
    location: TaxLocation | None = None
    provider: str | None = None


class Customer(StripeObject):
    """Someone you charge: contact details, default payment settings, balance."""

    id: str
    object: Literal["customer"] | str = "customer"
    address: Address | None = None
    balance: int | None = None
    business_name: str | None = None
    cash_balance: StripeObject | None = None
    created: int | None = None
    currency: str | None = None
    customer_account: str | None = None
    default_source: str | PaymentSource | None = None
    delinquent: bool | None = None
    description: str | None = None
    discount: Discount | None = None
    email: str | None = None
    individual_name: str | None = None
    invoice_credit_balance: dict[str, int] | None = None
    invoice_prefix: str | None = None
    invoice_settings: CustomerInvoiceSettings | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
    name: str | None = None
    next_invoice_sequence: int | None = None
    phone: str | None = None
    preferred_locales: list[str] | None = None
    shipping: Shipping | None = None
    sources: ListObject[PaymentSource] | None = None
    subscriptions: ListObject[Subscription] | None = None
    tax: CustomerTax | None = None
    tax_exempt: Literal["exempt", "none", "reverse"] | str | None = None
    tax_ids: ListObject[StripeObject] | None = None
    test_clock: str | StripeObject | None = None


class DeletedCustomer(DeletedObject):
    """What Stripe returns for a deleted customer (also where an expanded one was deleted)."""

    object: Literal["customer"] | str = "customer"
    deleted: Literal[True]


CustomerRef = str | DeletedCustomer | Customer
