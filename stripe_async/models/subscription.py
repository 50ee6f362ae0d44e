"""Subscription: recurring billing of a customer for one or more prices."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Literal

from ._base import ListObject, StripeModel, StripeObject, timestamp
from ._common import AutomaticTax, CollectionMethod, CustomField, Interval, Issuer, TransferData
from .customer import CustomerRef
from .discount import Discount
from .plan import Plan
from .subscription_item import SubscriptionItem

if TYPE_CHECKING:
    from .invoice import Invoice
    from .payment_method import PaymentMethod
    from .price import Price

__all__ = ["Subscription", "SubscriptionStatus"]

SubscriptionStatus = (
    Literal[
        "active",
        "canceled",
        "incomplete",
        "incomplete_expired",
        "past_due",
        "paused",
        "trialing",
        "unpaid",
    ]
    | str
)


class BillingCycleAnchorConfig(StripeModel):
    """The fixed day and time of month the billing cycle anchors to."""

    day_of_month: int | None = None
    hour: int | None = None
    minute: int | None = None
    month: int | None = None
    second: int | None = None


class BillingModeFlexible(StripeModel):
    """Settings of flexible billing mode."""

    proration_discounts: Literal["included", "itemized"] | str | None = None


class BillingMode(StripeModel):
    """Classic or flexible billing (how prorations and periods are computed)."""

    type: Literal["classic", "flexible"] | str | None = None
    flexible: BillingModeFlexible | None = None
    updated_at: int | None = None


class BillingScheduleAppliesTo(StripeModel):
    """The price a billing schedule applies to."""

    price: str | Price | None = None
    type: Literal["price"] | str | None = None


class Duration(StripeModel):
    """A number of intervals."""

    interval: Interval | None = None
    interval_count: int | None = None


class BillUntil(StripeModel):
    """When a billing schedule stops billing."""

    computed_timestamp: int | None = None
    duration: Duration | None = None
    timestamp: int | None = None
    type: Literal["duration", "timestamp"] | str | None = None


class BillingSchedule(StripeModel):
    """A schedule billing some items until a date."""

    applies_to: list[BillingScheduleAppliesTo] | None = None
    bill_until: BillUntil | None = None
    key: str | None = None


class SubscriptionBillingThresholds(StripeModel):
    """Amount threshold that triggers an invoice mid-period."""

    amount_gte: int | None = None
    reset_billing_cycle_anchor: bool | None = None


class CancellationDetails(StripeModel):
    """Why the subscription was (or will be) canceled."""

    comment: str | None = None
    feedback: (
        Literal[
            "customer_service",
            "low_quality",
            "missing_features",
            "other",
            "switched_service",
            "too_complex",
            "too_expensive",
            "unused",
        ]
        | str
        | None
    ) = None
    feedback_option: str | StripeObject | None = None
    reason: (
        Literal[
            "canceled_by_retention_policy",
            "cancellation_requested",
            "payment_disputed",
            "payment_failed",
        ]
        | str
        | None
    ) = None


class SubscriptionInvoiceSettings(StripeModel):
    """Settings copied onto the subscription's invoices."""

    account_tax_ids: list[str | StripeObject] | None = None
    custom_fields: list[CustomField] | None = None
    description: str | None = None
    footer: str | None = None
    issuer: Issuer | None = None


class PauseCollection(StripeModel):
    """Payment collection is paused: what happens to invoices, and until when."""

    behavior: Literal["keep_as_draft", "mark_uncollectible", "void"] | str | None = None
    resumes_at: int | None = None


class SubscriptionPaymentSettings(StripeModel):
    """Payment settings for the subscription's invoices."""

    payment_method_options: dict[str, StripeModel | None] | None = None
    payment_method_types: list[str] | None = None
    save_default_payment_method: Literal["off", "on_subscription"] | str | None = None


class PendingInvoiceItemInterval(StripeModel):
    """How often pending invoice items are invoiced."""

    interval: Interval | None = None
    interval_count: int | None = None


class PendingUpdate(StripeModel):
    """Changes that apply once the latest invoice is paid."""

    billing_cycle_anchor: int | None = None
    cancel_at_period_end: bool | None = None
    discount: Discount | None = None
    discounts: list[str | Discount] | None = None
    expires_at: int | None = None
    metadata: dict[str, str] | None = None
    subscription_items: list[SubscriptionItem] | None = None
    trial_end: int | None = None
    trial_from_plan: bool | None = None


class SubscriptionPresentmentDetails(StripeModel):
    """Currency the customer is billed in (Adaptive Pricing)."""

    presentment_currency: str | None = None


class TrialEndBehavior(StripeModel):
    """What happens when the trial ends without a payment method."""

    billing_cycle_anchor: Literal["now", "unchanged"] | str | None = None
    missing_payment_method: Literal["cancel", "create_invoice", "pause"] | str | None = None


class TrialSettings(StripeModel):
    """Settings for the end of the trial."""

    end_behavior: TrialEndBehavior | None = None


class SubscriptionManagedPayments(StripeModel):
    """Whether Stripe's managed payments is on."""

    enabled: bool | None = None


class Subscription(StripeObject):
    """A customer's recurring purchase of one or more prices."""

    id: str
    object: Literal["subscription"] | str = "subscription"
    application: str | StripeObject | None = None
    application_fee_percent: float | None = None
    automatic_tax: AutomaticTax | None = None
    billing_cycle_anchor: int | None = None
    billing_cycle_anchor_config: BillingCycleAnchorConfig | None = None
    billing_mode: BillingMode | None = None
    billing_schedules: list[BillingSchedule] | None = None
    billing_thresholds: SubscriptionBillingThresholds | None = None
    cancel_at: int | None = None
    cancel_at_period_end: bool | None = None
    canceled_at: int | None = None
    cancellation_details: CancellationDetails | None = None
    collection_method: CollectionMethod | None = None
    created: int | None = None
    currency: str | None = None
    customer: CustomerRef | None = None
    customer_account: str | None = None
    days_until_due: int | None = None
    default_payment_method: str | PaymentMethod | None = None
    default_source: str | StripeObject | None = None
    default_tax_rates: list[StripeObject] | None = None
    description: str | None = None
    discounts: list[str | Discount] | None = None
    ended_at: int | None = None
    invoice_settings: SubscriptionInvoiceSettings | None = None
    items: ListObject[SubscriptionItem] | None = None
    latest_invoice: str | Invoice | None = None
    livemode: bool | None = None
    managed_payments: SubscriptionManagedPayments | None = None
    metadata: dict[str, str] | None = None
    next_pending_invoice_item_invoice: int | None = None
    on_behalf_of: str | StripeObject | None = None
    pause_collection: PauseCollection | None = None
    payment_settings: SubscriptionPaymentSettings | None = None
    pending_invoice_item_interval: PendingInvoiceItemInterval | None = None
    pending_setup_intent: str | StripeObject | None = None
    pending_update: PendingUpdate | None = None
    presentment_details: SubscriptionPresentmentDetails | None = None
    schedule: str | StripeObject | None = None
    start_date: int | None = None
    status: SubscriptionStatus | None = None
    status_details: StripeModel | None = None
    test_clock: str | StripeObject | None = None
    transfer_data: TransferData | None = None
    trial_end: int | None = None
    trial_settings: TrialSettings | None = None
    trial_start: int | None = None
    # Before API 2025-03-31 (and in localstripe) these lived on the subscription itself.
    current_period_end: int | None = None
    current_period_start: int | None = None
    discount: Discount | None = None
    plan: Plan | None = None
    quantity: int | None = None

    @property
    def current_period_end_at(self) -> _dt.datetime | None:
        """End of the current period: the subscription's own, else its first item's."""
        end = self.current_period_end
        if end is None and self.items is not None and self.items.data:
            end = self.items.data[0].current_period_end
        return timestamp(end)

    @property
    def current_period_start_at(self) -> _dt.datetime | None:
        """Start of the current period: the subscription's own, else its first item's."""
        start = self.current_period_start
        if start is None and self.items is not None and self.items.data:
            start = self.items.data[0].current_period_start
        return timestamp(start)

    @property
    def trial_end_at(self) -> _dt.datetime | None:
        """`trial_end` as an aware UTC datetime."""
        return timestamp(self.trial_end)
