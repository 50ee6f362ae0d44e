"""/v1/invoices"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from typing_extensions import Unpack

from ..errors import InvalidArgumentError
from ..models import DeletedObject, Invoice, InvoiceLineItem, InvoicePreview
from ..pagination import ListPager, SearchPager
from ._base import Service, path_id
from ._params.invoices import (
    InvoiceCreateParams,
    InvoiceCreatePreviewParams,
    InvoiceDeleteParams,
    InvoiceFinalizeParams,
    InvoiceListLinesParams,
    InvoiceListParams,
    InvoiceMarkUncollectibleParams,
    InvoicePayParams,
    InvoiceRetrieveParams,
    InvoiceSearchParams,
    InvoiceSendParams,
    InvoiceUpcomingParams,
    InvoiceUpdateParams,
    InvoiceVoidParams,
)

__all__ = [
    "InvoiceCreateParams",
    "InvoiceCreatePreviewParams",
    "InvoiceDeleteParams",
    "InvoiceFinalizeParams",
    "InvoiceListLinesParams",
    "InvoiceListParams",
    "InvoiceMarkUncollectibleParams",
    "InvoicePayParams",
    "InvoiceRetrieveParams",
    "InvoiceSearchParams",
    "InvoiceSendParams",
    "InvoiceUpcomingParams",
    "InvoiceUpdateParams",
    "InvoiceVoidParams",
    "InvoicesService",
    "upcoming_to_preview_params",
]

_PATH = "/v1/invoices"


class InvoicesService(Service):
    """Invoices: drafts, finalizing, collecting payment, previews."""

    async def create(self, **params: Unpack[InvoiceCreateParams]) -> Invoice:
        """Create a draft invoice for a `customer`."""
        return await self._request("POST", _PATH, params, Invoice)

    async def retrieve(self, id: str, **params: Unpack[InvoiceRetrieveParams]) -> Invoice:
        """Fetch an invoice by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, Invoice)

    async def update(self, id: str, **params: Unpack[InvoiceUpdateParams]) -> Invoice:
        """Update an invoice (most fields only while it is a draft)."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, Invoice)

    async def delete(self, id: str, **params: Unpack[InvoiceDeleteParams]) -> DeletedObject:
        """Delete a draft invoice (finalized ones can only be voided)."""
        return await self._request("DELETE", f"{_PATH}/{path_id(id)}", params, DeletedObject)

    async def finalize(self, id: str, **params: Unpack[InvoiceFinalizeParams]) -> Invoice:
        """Finalize a draft so it can be paid or sent."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/finalize", params, Invoice)

    async def send(self, id: str, **params: Unpack[InvoiceSendParams]) -> Invoice:
        """Email a `send_invoice` invoice to the customer now."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/send", params, Invoice)

    async def pay(self, id: str, **params: Unpack[InvoicePayParams]) -> Invoice:
        """Attempt payment now (or mark `paid_out_of_band=True`)."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/pay", params, Invoice)

    async def void(self, id: str, **params: Unpack[InvoiceVoidParams]) -> Invoice:
        """Void a finalized invoice (like deleting it, but keeps the record)."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/void", params, Invoice)

    async def mark_uncollectible(
        self, id: str, **params: Unpack[InvoiceMarkUncollectibleParams]
    ) -> Invoice:
        """Write off a finalized invoice as bad debt."""
        return await self._request(
            "POST", f"{_PATH}/{path_id(id)}/mark_uncollectible", params, Invoice
        )

    def list(self, **params: Unpack[InvoiceListParams]) -> ListPager[Invoice]:
        """Invoices, newest first."""
        return self._list(_PATH, params, Invoice)

    def search(self, **params: Unpack[InvoiceSearchParams]) -> SearchPager[Invoice]:
        """Search invoices, e.g. `query="total>999 AND status:'open'"`."""
        return self._search(f"{_PATH}/search", params, Invoice)

    def list_lines(
        self, invoice_id: str, **params: Unpack[InvoiceListLinesParams]
    ) -> ListPager[InvoiceLineItem]:
        """An invoice's line items (there may be more than the invoice embeds)."""
        path = f"{_PATH}/{path_id(invoice_id, 'invoice_id')}/lines"
        return self._list(path, params, InvoiceLineItem)

    list_line_items = list_lines

    async def create_preview(self, **params: Unpack[InvoiceCreatePreviewParams]) -> InvoicePreview:
        """Preview an invoice without creating it, e.g. the next one of a subscription.

        Pass `subscription=` (and `subscription_details=` to preview changes such as
        new `items` or a `proration_date`). The preview has no id you can act on.
        """
        return await self._request("POST", f"{_PATH}/create_preview", params, InvoicePreview)

    async def upcoming(self, **params: Unpack[InvoiceUpcomingParams]) -> InvoicePreview:
        """Deprecated: Stripe removed `GET /v1/invoices/upcoming`; use `create_preview`.

        Kept so code written for older API versions keeps working: the old flat
        parameters are translated (see `upcoming_to_preview_params`) and sent to
        `POST /v1/invoices/create_preview`, which returns the same preview.
        """
        warnings.warn(
            "invoices.upcoming() is deprecated: Stripe replaced GET /v1/invoices/upcoming with "
            "POST /v1/invoices/create_preview; call invoices.create_preview() "
            "(subscription_* parameters move into subscription_details=...)",
            DeprecationWarning,
            stacklevel=2,
        )
        preview = upcoming_to_preview_params(params)
        return await self._request("POST", f"{_PATH}/create_preview", preview, InvoicePreview)


#: Legacy upcoming-invoice parameters and where create_preview takes them.
_SUBSCRIPTION_FIELDS = {
    "subscription_billing_cycle_anchor": "billing_cycle_anchor",
    "subscription_cancel_at": "cancel_at",
    "subscription_cancel_at_period_end": "cancel_at_period_end",
    "subscription_cancel_now": "cancel_now",
    "subscription_default_tax_rates": "default_tax_rates",
    "subscription_items": "items",
    "subscription_proration_behavior": "proration_behavior",
    "subscription_proration_date": "proration_date",
    "subscription_resume_at": "resume_at",
    "subscription_start_date": "start_date",
    "subscription_trial_end": "trial_end",
}


def upcoming_to_preview_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Translate `GET /v1/invoices/upcoming` parameters to `create_preview` ones. Pure.

    `subscription_<x>` becomes `subscription_details[<x>]` (`subscription_items` becomes
    `subscription_details[items]`) and `coupon` becomes `discounts=[{"coupon": ...}]`.
    Everything else, including per-call options, passes through unchanged.
    """
    preview: dict[str, Any] = {}
    details: dict[str, Any] = dict(params.get("subscription_details") or {})
    for key, value in params.items():
        if key in _SUBSCRIPTION_FIELDS:
            details[_SUBSCRIPTION_FIELDS[key]] = value
        elif key == "subscription_trial_from_plan":
            raise InvalidArgumentError(
                "subscription_trial_from_plan has no create_preview equivalent on the current "
                "API; set subscription_details={'trial_end': ...} instead"
            )
        elif key == "coupon":
            if params.get("discounts"):
                raise InvalidArgumentError("pass either coupon= or discounts=, not both")
            preview["discounts"] = [{"coupon": value}]
        elif key != "subscription_details":
            preview[key] = value
    if details:
        preview["subscription_details"] = details
    return preview
