"""Card: the legacy card object (a customer source or a charge's `source`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import Discriminator, Tag

from ._base import StripeModel, StripeObject

if TYPE_CHECKING:
    from .customer import Customer

__all__ = ["Card", "PaymentSource"]


class CardNetworkPreference(StripeModel):
    """The network the cardholder chose for a co-branded card."""

    preferred: str | None = None


class Card(StripeObject):
    """A card saved as a source (`card_...`); new integrations see PaymentMethod instead."""

    id: str
    object: Literal["card"] | str = "card"
    account: str | StripeObject | None = None
    address_city: str | None = None
    address_country: str | None = None
    address_line1: str | None = None
    address_line1_check: str | None = None
    address_line2: str | None = None
    address_state: str | None = None
    address_zip: str | None = None
    address_zip_check: str | None = None
    allow_redisplay: Literal["always", "limited", "unspecified"] | str | None = None
    available_payout_methods: list[Literal["instant", "standard"] | str] | None = None
    brand: str | None = None
    country: str | None = None
    currency: str | None = None
    customer: str | Customer | None = None
    cvc_check: str | None = None
    default_for_currency: bool | None = None
    description: str | None = None
    dynamic_last4: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None
    fingerprint: str | None = None
    funding: Literal["credit", "debit", "prepaid", "unknown"] | str | None = None
    iin: str | None = None
    issuer: str | None = None
    last4: str | None = None
    metadata: dict[str, str] | None = None
    name: str | None = None
    networks: CardNetworkPreference | None = None
    regulated_status: Literal["regulated", "unregulated"] | str | None = None
    status: str | None = None
    tokenization_method: str | None = None


def _source_kind(value: Any) -> str:
    kind = value.get("object") if isinstance(value, dict) else getattr(value, "object", None)
    return "card" if kind == "card" else "other"


# A source is a card, a bank account or a Source; only cards are typed here, the rest
# stay open objects. Chosen by `object`, since an all-optional Card would accept anything.
PaymentSource = Annotated[
    Union[Annotated[Card, Tag("card")], Annotated[StripeObject, Tag("other")]],
    Discriminator(_source_kind),
]
