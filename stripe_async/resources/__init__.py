"""Services: one per API resource, each a thin layer over the request loop."""

from ._base import RequestOptions, Service
from .balance import BalanceService
from .customers import CustomersService
from .payment_intents import PaymentIntentsService

__all__ = [
    "BalanceService",
    "CustomersService",
    "PaymentIntentsService",
    "RequestOptions",
    "Service",
]
