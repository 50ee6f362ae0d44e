"""/v1/payment_intents"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import PaymentIntent
from ..pagination import ListPager, SearchPager
from ._base import Service, path_id
from ._params.payment_intents import (
    PaymentIntentApplyCustomerBalanceParams,
    PaymentIntentCancelParams,
    PaymentIntentCaptureParams,
    PaymentIntentConfirmParams,
    PaymentIntentCreateOptions,
    PaymentIntentCreateParams,
    PaymentIntentIncrementAuthorizationParams,
    PaymentIntentListParams,
    PaymentIntentRetrieveParams,
    PaymentIntentSearchParams,
    PaymentIntentUpdateParams,
)

__all__ = [
    "PaymentIntentApplyCustomerBalanceParams",
    "PaymentIntentCancelParams",
    "PaymentIntentCaptureParams",
    "PaymentIntentConfirmParams",
    "PaymentIntentCreateOptions",
    "PaymentIntentCreateParams",
    "PaymentIntentIncrementAuthorizationParams",
    "PaymentIntentListParams",
    "PaymentIntentRetrieveParams",
    "PaymentIntentSearchParams",
    "PaymentIntentUpdateParams",
    "PaymentIntentsService",
]

_PATH = "/v1/payment_intents"


class PaymentIntentsService(Service):
    """Create, confirm, capture and cancel PaymentIntents."""

    async def create(self, **params: Unpack[PaymentIntentCreateParams]) -> PaymentIntent:
        """Create a PaymentIntent (`amount` in the currency's smallest unit)."""
        return await self._request("POST", _PATH, params, PaymentIntent)

    async def retrieve(
        self, id: str, **params: Unpack[PaymentIntentRetrieveParams]
    ) -> PaymentIntent:
        """Fetch a PaymentIntent by id."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, PaymentIntent)

    async def update(self, id: str, **params: Unpack[PaymentIntentUpdateParams]) -> PaymentIntent:
        """Update a PaymentIntent that is not yet confirmed or captured."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}", params, PaymentIntent)

    async def confirm(self, id: str, **params: Unpack[PaymentIntentConfirmParams]) -> PaymentIntent:
        """Confirm the customer intends to pay with the attached (or given) payment method."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/confirm", params, PaymentIntent)

    async def capture(self, id: str, **params: Unpack[PaymentIntentCaptureParams]) -> PaymentIntent:
        """Capture the funds of a PaymentIntent in `requires_capture`."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/capture", params, PaymentIntent)

    async def cancel(self, id: str, **params: Unpack[PaymentIntentCancelParams]) -> PaymentIntent:
        """Cancel a PaymentIntent (releases any authorisation)."""
        return await self._request("POST", f"{_PATH}/{path_id(id)}/cancel", params, PaymentIntent)

    async def increment_authorization(
        self, id: str, **params: Unpack[PaymentIntentIncrementAuthorizationParams]
    ) -> PaymentIntent:
        """Raise the authorised amount of an uncaptured card PaymentIntent."""
        return await self._request(
            "POST", f"{_PATH}/{path_id(id)}/increment_authorization", params, PaymentIntent
        )

    async def apply_customer_balance(
        self, id: str, **params: Unpack[PaymentIntentApplyCustomerBalanceParams]
    ) -> PaymentIntent:
        """Fund a `customer_balance` PaymentIntent from the customer's cash balance."""
        return await self._request(
            "POST", f"{_PATH}/{path_id(id)}/apply_customer_balance", params, PaymentIntent
        )

    def list(self, **params: Unpack[PaymentIntentListParams]) -> ListPager[PaymentIntent]:
        """PaymentIntents, newest first."""
        return self._list(_PATH, params, PaymentIntent)

    def search(self, **params: Unpack[PaymentIntentSearchParams]) -> SearchPager[PaymentIntent]:
        """Search PaymentIntents, e.g. `query="status:'succeeded'"`."""
        return self._search(f"{_PATH}/search", params, PaymentIntent)
