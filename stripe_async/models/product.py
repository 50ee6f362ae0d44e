"""Product: what you sell."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import StripeModel, StripeObject

if TYPE_CHECKING:
    from .price import Price

__all__ = ["PackageDimensions", "Product"]


class MarketingFeature(StripeModel):
    """A feature listed on pricing tables."""

    name: str | None = None


class PackageDimensions(StripeModel):
    """Package size (inches) and weight (ounces) of a shippable product."""

    height: float | None = None
    length: float | None = None
    weight: float | None = None
    width: float | None = None


class ProductTaxDetails(StripeModel):
    """Tax code and place of performance."""

    performance_location: str | None = None
    tax_code: str | None = None


class Product(StripeObject):
    """A good or service you sell, priced by one or more Prices."""

    id: str
    object: Literal["product"] | str = "product"
    active: bool | None = None
    created: int | None = None
    default_price: str | Price | None = None
    description: str | None = None
    images: list[str] | None = None
    livemode: bool | None = None
    marketing_features: list[MarketingFeature] | None = None
    metadata: dict[str, str] | None = None
    name: str | None = None
    package_dimensions: PackageDimensions | None = None
    shippable: bool | None = None
    statement_descriptor: str | None = None
    tax_code: str | StripeObject | None = None
    tax_details: ProductTaxDetails | None = None
    type: Literal["good", "service"] | str | None = None
    unit_label: str | None = None
    updated: int | None = None
    url: str | None = None
