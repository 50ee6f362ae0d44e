"""Services: one per API resource, each a thin layer over the request loop.

Every method takes Stripe's parameters as keyword arguments, typed per method
by a TypedDict (`CustomerCreateParams`, ...) generated from Stripe's API spec.
Parameters the types do not know yet (Stripe adds some every month) still pass
through unchanged; typed code passes them as a `dict[str, Any]`:

    extra: dict[str, Any] = {"brand_new_param": "value"}
    await stripe.customers.create(email="a@example.com", **extra)
"""

from ._base import ExpandParams, RequestOptions, Service
from .balance import BalanceService
from .charges import ChargesService
from .customers import CustomersService
from .events import EventsService
from .invoice_items import InvoiceItemsService
from .invoice_payments import InvoicePaymentsService
from .invoices import InvoicesService
from .payment_intents import PaymentIntentsService
from .payment_methods import PaymentMethodsService
from .prices import PricesService
from .products import ProductsService
from .refunds import RefundsService
from .subscription_items import SubscriptionItemsService
from .subscriptions import SubscriptionsService
from .webhook_endpoints import WebhookEndpointsService

__all__ = [
    "BalanceService",
    "ChargesService",
    "CustomersService",
    "EventsService",
    "ExpandParams",
    "InvoiceItemsService",
    "InvoicePaymentsService",
    "InvoicesService",
    "PaymentIntentsService",
    "PaymentMethodsService",
    "PricesService",
    "ProductsService",
    "RefundsService",
    "RequestOptions",
    "Service",
    "SubscriptionItemsService",
    "SubscriptionsService",
    "WebhookEndpointsService",
]
