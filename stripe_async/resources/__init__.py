"""Services: one per API resource, each a thin layer over the request loop.

Every v1 service is generated (scripts/gen_api.py) into a module named after its
attribute path: `client.checkout.sessions` is `resources/checkout/sessions.py`.
Every method takes Stripe's parameters as keyword arguments, typed per method by
a TypedDict (`CustomerCreateParams`, ...). Parameters the types do not know yet
(Stripe adds some every month) still pass through unchanged; typed code passes
them as a `dict[str, Any]`:

    extra: dict[str, Any] = {"brand_new_param": "value"}
    await stripe.customers.create(email="a@example.com", **extra)

Service classes are exported lazily: importing one does not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def _module_of(name: str) -> str | None:
    """`CheckoutSessionsService` -> `checkout.sessions` (the generated index)."""
    from ._services import SERVICE_MODULES

    return SERVICE_MODULES.get(name)


_BASE_NAMES = frozenset({"ExpandParams", "RequestOptions", "Service"})


def __getattr__(name: str) -> Any:
    module = "_base" if name in _BASE_NAMES else _module_of(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


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
