"""`invoices.upcoming()`: the removed upcoming-invoice call, kept working on create_preview."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from typing_extensions import Unpack

from ...errors import InvalidArgumentError
from ...models.invoice import Invoice
from .._base import Service
from .._params.invoices import InvoiceCreatePreviewParams

__all__ = ["InvoiceUpcomingParams", "InvoicesCustom", "upcoming_to_preview_params"]

_PATH = "/v1/invoices/create_preview"


class InvoiceUpcomingParams(InvoiceCreatePreviewParams, total=False):
    """`create_preview` parameters plus the flat ones of the removed upcoming call."""

    coupon: str
    subscription_billing_cycle_anchor: Literal["now", "unchanged"] | str | int | datetime
    subscription_cancel_at: int | datetime | Literal[""]
    subscription_cancel_at_period_end: bool
    subscription_cancel_now: bool
    subscription_default_tax_rates: list[str] | Literal[""]
    subscription_items: list[dict[str, Any]]
    subscription_proration_behavior: Literal["always_invoice", "create_prorations", "none"] | str
    subscription_proration_date: int | datetime
    subscription_resume_at: Literal["now"] | str
    subscription_start_date: int | datetime
    subscription_trial_end: Literal["now"] | str | int | datetime


class InvoicesCustom(Service):
    """What `client.invoices` adds to the generated calls."""

    async def upcoming(self, **params: Unpack[InvoiceUpcomingParams]) -> Invoice:
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
        return await self._request("POST", _PATH, preview, Invoice)


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
