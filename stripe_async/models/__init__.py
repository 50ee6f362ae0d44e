"""Pydantic models of Stripe's resources.

Lenient to API drift: unknown fields are kept, unknown enum values accepted, and
expandable fields are `str | Model` (an id, or the object when expanded).
"""

from ._base import (
    DeletedObject,
    ListObject,
    SearchResult,
    StripeModel,
    StripeObject,
    rebuild_models,
    timestamp,
)
from ._common import (
    Address,
    AutomaticTax,
    BillingDetails,
    CustomField,
    Issuer,
    Liability,
    Period,
    Shipping,
    Tier,
    TransferData,
    TransformQuantity,
)
from .balance import Balance, BalanceAmount
from .card import Card, PaymentSource
from .charge import (
    Charge,
    ChargeOutcome,
    FraudDetails,
    PaymentMethodDetails,
    PaymentMethodDetailsCard,
    ThreeDSecure,
)
from .customer import (
    Customer,
    CustomerInvoiceSettings,
    CustomerRef,
    CustomerTax,
    DeletedCustomer,
    InvoiceRenderingOptions,
)
from .discount import Coupon, Discount, DiscountSource
from .error_object import LastPaymentError, StripeErrorObject
from .event import Event, EventData, EventObject, EventRequest
from .invoice import (
    ConfirmationSecret,
    Invoice,
    InvoiceBase,
    InvoiceParent,
    InvoicePreview,
    InvoiceStatus,
    InvoiceStatusTransitions,
    StatusTransitions,
)
from .invoice_item import InvoiceItem
from .invoice_line_item import DiscountAmount, InvoiceLineItem, Pricing, TaxAmount
from .invoice_payment import InvoicePayment, InvoicePaymentDetails
from .payment_intent import (
    AutomaticPaymentMethods,
    NextAction,
    PaymentIntent,
    PaymentIntentStatus,
    PaymentMethodOptions,
    RedirectToUrl,
)
from .payment_method import (
    CardChecks,
    CardNetworks,
    CardWallet,
    PaymentMethod,
    PaymentMethodCard,
    PaymentMethodSepaDebit,
    PaymentMethodUsBankAccount,
    ThreeDSecureUsage,
)
from .plan import Plan
from .price import CustomUnitAmount, Price, Recurring
from .product import PackageDimensions, Product
from .refund import Refund, RefundDestinationDetails
from .subscription import (
    BillingMode,
    CancellationDetails,
    PauseCollection,
    Subscription,
    SubscriptionStatus,
)
from .subscription_item import SubscriptionItem
from .webhook_endpoint import WebhookEndpoint

# The resource modules refer to each other (a charge's payment_intent, a payment
# intent's latest_charge, ...); resolve those references now that all are defined.
rebuild_models(globals())

from ._registry import OBJECT_CLASSES, model_for  # noqa: E402  (needs the rebuilt models)

__all__ = [
    "OBJECT_CLASSES",
    "Address",
    "AutomaticPaymentMethods",
    "AutomaticTax",
    "Balance",
    "BalanceAmount",
    "BillingDetails",
    "BillingMode",
    "CancellationDetails",
    "Card",
    "CardChecks",
    "CardNetworks",
    "CardWallet",
    "Charge",
    "ChargeOutcome",
    "ConfirmationSecret",
    "Coupon",
    "CustomField",
    "CustomUnitAmount",
    "Customer",
    "CustomerInvoiceSettings",
    "CustomerRef",
    "CustomerTax",
    "DeletedCustomer",
    "DeletedObject",
    "Discount",
    "DiscountAmount",
    "DiscountSource",
    "Event",
    "EventData",
    "EventObject",
    "EventRequest",
    "FraudDetails",
    "Invoice",
    "InvoiceBase",
    "InvoiceItem",
    "InvoiceLineItem",
    "InvoiceParent",
    "InvoicePayment",
    "InvoicePaymentDetails",
    "InvoicePreview",
    "InvoiceRenderingOptions",
    "InvoiceStatus",
    "InvoiceStatusTransitions",
    "Issuer",
    "LastPaymentError",
    "Liability",
    "ListObject",
    "NextAction",
    "PackageDimensions",
    "PauseCollection",
    "PaymentIntent",
    "PaymentIntentStatus",
    "PaymentMethod",
    "PaymentMethodCard",
    "PaymentMethodDetails",
    "PaymentMethodDetailsCard",
    "PaymentMethodOptions",
    "PaymentMethodSepaDebit",
    "PaymentMethodUsBankAccount",
    "PaymentSource",
    "Period",
    "Plan",
    "Price",
    "Pricing",
    "Product",
    "Recurring",
    "RedirectToUrl",
    "Refund",
    "RefundDestinationDetails",
    "SearchResult",
    "Shipping",
    "StatusTransitions",
    "StripeErrorObject",
    "StripeModel",
    "StripeObject",
    "Subscription",
    "SubscriptionItem",
    "SubscriptionStatus",
    "TaxAmount",
    "ThreeDSecure",
    "ThreeDSecureUsage",
    "Tier",
    "TransferData",
    "TransformQuantity",
    "WebhookEndpoint",
    "model_for",
    "timestamp",
]
