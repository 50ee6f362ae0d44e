"""/v1/invoice_payments: the payments applied to invoices (current API)."""

from __future__ import annotations

from typing import Any

from typing_extensions import Unpack

from ..models import InvoicePayment
from ..pagination import ListPager
from ._base import ExpandParams, Service, path_id

_PATH = "/v1/invoice_payments"


class InvoicePaymentListParams(ExpandParams, total=False):
    invoice: str
    """Only payments towards this invoice."""
    payment: dict[str, Any]
    """Filter by what paid: `{"type": "payment_intent", "payment_intent": "pi_..."}`."""
    status: str
    """`open`, `paid` or `canceled`."""
    created: dict[str, int] | int
    ending_before: str
    limit: int
    starting_after: str


class InvoicePaymentsService(Service):
    """Read which payments paid an invoice (its PaymentIntent lives here now)."""

    async def retrieve(self, id: str, **params: Unpack[ExpandParams]) -> InvoicePayment:
        """One invoice payment; `expand=["payment.payment_intent"]` for the intent."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, InvoicePayment)

    def list(self, **params: Unpack[InvoicePaymentListParams]) -> ListPager[InvoicePayment]:
        """Invoice payments, newest first, e.g. `list(invoice="in_...")`."""
        return self._list(_PATH, params, InvoicePayment)
