"""/v1/payment_intents"""

from __future__ import annotations

from typing import Any

from typing_extensions import Required, Unpack

from ..models import PaymentIntent
from ..pagination import AsyncPager
from ._base import ExpandParams, Service, path_id


class PaymentIntentCreateOptions(ExpandParams, total=False):
    """Everything `create` takes except amount and currency."""

    automatic_payment_methods: dict[str, Any]
    capture_method: str
    confirm: bool
    customer: str
    description: str
    metadata: dict[str, str] | str
    payment_method: str
    payment_method_types: list[str]
    receipt_email: str
    return_url: str
    setup_future_usage: str


class PaymentIntentCreateParams(PaymentIntentCreateOptions, total=False):
    amount: Required[int]
    currency: Required[str]


class PaymentIntentUpdateParams(ExpandParams, total=False):
    amount: int
    currency: str
    customer: str
    description: str
    metadata: dict[str, str] | str
    payment_method: str


class PaymentIntentConfirmParams(ExpandParams, total=False):
    payment_method: str
    return_url: str
    capture_method: str


class PaymentIntentCaptureParams(ExpandParams, total=False):
    amount_to_capture: int
    metadata: dict[str, str] | str


class PaymentIntentCancelParams(ExpandParams, total=False):
    cancellation_reason: str


class PaymentIntentListParams(ExpandParams, total=False):
    created: dict[str, int] | int
    customer: str
    ending_before: str
    limit: int
    starting_after: str


class PaymentIntentsService(Service):
    """Create, confirm, capture and cancel PaymentIntents."""

    async def create(self, **params: Unpack[PaymentIntentCreateParams]) -> PaymentIntent:
        return await self._request("POST", "/v1/payment_intents", params, PaymentIntent)

    async def retrieve(self, id: str, **params: Unpack[ExpandParams]) -> PaymentIntent:
        return await self._request(
            "GET", f"/v1/payment_intents/{path_id(id)}", params, PaymentIntent
        )

    async def update(self, id: str, **params: Unpack[PaymentIntentUpdateParams]) -> PaymentIntent:
        return await self._request(
            "POST", f"/v1/payment_intents/{path_id(id)}", params, PaymentIntent
        )

    async def confirm(self, id: str, **params: Unpack[PaymentIntentConfirmParams]) -> PaymentIntent:
        return await self._request(
            "POST", f"/v1/payment_intents/{path_id(id)}/confirm", params, PaymentIntent
        )

    async def capture(self, id: str, **params: Unpack[PaymentIntentCaptureParams]) -> PaymentIntent:
        return await self._request(
            "POST", f"/v1/payment_intents/{path_id(id)}/capture", params, PaymentIntent
        )

    async def cancel(self, id: str, **params: Unpack[PaymentIntentCancelParams]) -> PaymentIntent:
        return await self._request(
            "POST", f"/v1/payment_intents/{path_id(id)}/cancel", params, PaymentIntent
        )

    def list(self, **params: Unpack[PaymentIntentListParams]) -> AsyncPager[PaymentIntent]:
        return self._list("/v1/payment_intents", params, PaymentIntent)
