"""Charge: one attempt to move money, with how the card or bank responded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import ListObject, StripeModel, StripeObject
from ._common import BillingDetails, Shipping, TransferData
from .card import PaymentSource
from .customer import CustomerRef
from .payment_intent import PresentmentDetails
from .payment_method import (
    CardChecks,
    CardWallet,
    PaymentMethodBankDebit,
    PaymentMethodCardPresent,
    PaymentMethodLink,
    PaymentMethodPaypal,
    PaymentMethodSepaDebit,
    PaymentMethodUsBankAccount,
)
from .refund import Refund

if TYPE_CHECKING:
    from .payment_intent import PaymentIntent

__all__ = [
    "Charge",
    "ChargeOutcome",
    "PaymentMethodDetails",
    "PaymentMethodDetailsCard",
    "ThreeDSecure",
]

Availability = Literal["available", "unavailable"] | str


class StatusOnly(StripeModel):
    """A feature's availability on this payment."""

    status: str | None = None


class Overcapture(StripeModel):
    """Whether more than the authorized amount can be captured, and how much."""

    maximum_amount_capturable: int | None = None
    status: Availability | None = None


class NetworkToken(StripeModel):
    """Whether a network token was used for the payment."""

    used: bool | None = None


class InstallmentPlan(StripeModel):
    """The installment plan chosen for a card payment."""

    count: int | None = None
    interval: Literal["month"] | str | None = None
    type: Literal["bonus", "fixed_count", "revolving"] | str | None = None


class ChargeInstallments(StripeModel):
    """Installments used for this payment."""

    plan: InstallmentPlan | None = None


class ThreeDSecure(StripeModel):
    """Outcome of 3D Secure authentication for the payment."""

    authentication_flow: Literal["challenge", "frictionless"] | str | None = None
    electronic_commerce_indicator: str | None = None
    exemption_indicator: Literal["low_risk", "none"] | str | None = None
    exemption_indicator_applied: bool | None = None
    result: (
        Literal[
            "attempt_acknowledged",
            "authenticated",
            "data_share_only",
            "exempted",
            "failed",
            "not_supported",
            "processing_error",
        ]
        | str
        | None
    ) = None
    result_reason: str | None = None
    transaction_id: str | None = None
    version: str | None = None


class PaymentMethodDetailsCard(StripeModel):
    """The card as used for this charge (never the full number)."""

    amount_authorized: int | None = None
    authorization_code: str | None = None
    brand: str | None = None
    capture_before: int | None = None
    checks: CardChecks | None = None
    country: str | None = None
    description: str | None = None
    electronic_commerce_indicator: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None
    extended_authorization: StatusOnly | None = None
    fingerprint: str | None = None
    funding: Literal["credit", "debit", "prepaid", "unknown"] | str | None = None
    iin: str | None = None
    incremental_authorization: StatusOnly | None = None
    installments: ChargeInstallments | None = None
    issuer: str | None = None
    last4: str | None = None
    mandate: str | StripeObject | None = None
    moto: bool | None = None
    multicapture: StatusOnly | None = None
    network: str | None = None
    network_token: NetworkToken | None = None
    network_transaction_id: str | None = None
    overcapture: Overcapture | None = None
    regulated_status: Literal["regulated", "unregulated"] | str | None = None
    setup_credential_usage: str | None = None
    stored_credential_usage: str | None = None
    three_d_secure: ThreeDSecure | None = None
    transaction_link_id: str | None = None
    wallet: CardWallet | None = None


class PaymentMethodDetails(StripeModel):
    """How the charge was paid; `type` names the key holding the details."""

    type: str | None = None
    card: PaymentMethodDetailsCard | None = None
    card_present: PaymentMethodCardPresent | None = None
    interac_present: PaymentMethodCardPresent | None = None
    us_bank_account: PaymentMethodUsBankAccount | None = None
    sepa_debit: PaymentMethodSepaDebit | None = None
    acss_debit: PaymentMethodBankDebit | None = None
    au_becs_debit: PaymentMethodBankDebit | None = None
    bacs_debit: PaymentMethodBankDebit | None = None
    link: PaymentMethodLink | None = None
    paypal: PaymentMethodPaypal | None = None
    # The remaining types carry few fields; kept as open objects.
    ach_credit_transfer: StripeModel | None = None
    ach_debit: StripeModel | None = None
    affirm: StripeModel | None = None
    afterpay_clearpay: StripeModel | None = None
    alipay: StripeModel | None = None
    alma: StripeModel | None = None
    amazon_pay: StripeModel | None = None
    bancontact: StripeModel | None = None
    billie: StripeModel | None = None
    bizum: StripeModel | None = None
    blik: StripeModel | None = None
    boleto: StripeModel | None = None
    cashapp: StripeModel | None = None
    crypto: StripeModel | None = None
    customer_balance: StripeModel | None = None
    eps: StripeModel | None = None
    fpx: StripeModel | None = None
    giropay: StripeModel | None = None
    grabpay: StripeModel | None = None
    ideal: StripeModel | None = None
    kakao_pay: StripeModel | None = None
    klarna: StripeModel | None = None
    konbini: StripeModel | None = None
    kr_card: StripeModel | None = None
    mb_way: StripeModel | None = None
    mobilepay: StripeModel | None = None
    multibanco: StripeModel | None = None
    naver_pay: StripeModel | None = None
    nz_bank_account: StripeModel | None = None
    oxxo: StripeModel | None = None
    p24: StripeModel | None = None
    pay_by_bank: StripeModel | None = None
    payco: StripeModel | None = None
    paynow: StripeModel | None = None
    paypay: StripeModel | None = None
    payto: StripeModel | None = None
    pix: StripeModel | None = None
    promptpay: StripeModel | None = None
    revolut_pay: StripeModel | None = None
    samsung_pay: StripeModel | None = None
    satispay: StripeModel | None = None
    scalapay: StripeModel | None = None
    sepa_credit_transfer: StripeModel | None = None
    sequra: StripeModel | None = None
    sofort: StripeModel | None = None
    stripe_account: StripeModel | None = None
    sunbit: StripeModel | None = None
    swish: StripeModel | None = None
    twint: StripeModel | None = None
    upi: StripeModel | None = None
    wechat: StripeModel | None = None
    wechat_pay: StripeModel | None = None
    zip: StripeModel | None = None


class OutcomeRule(StripeModel):
    """The Radar rule that decided the outcome."""

    action: str | None = None
    id: str | None = None
    predicate: str | None = None


class ChargeOutcome(StripeModel):
    """Whether the payment was authorized, and why not."""

    advice_code: (
        Literal["confirm_card_data", "do_not_try_again", "try_again_later"] | str | None
    ) = None
    network_advice_code: str | None = None
    network_decline_code: str | None = None
    network_status: (
        Literal[
            "approved_by_network",
            "declined_by_network",
            "not_sent_to_network",
            "reversed_after_approval",
        ]
        | str
        | None
    ) = None
    reason: str | None = None
    risk_level: Literal["normal", "elevated", "highest", "not_assessed", "unknown"] | str | None = (
        None
    )
    risk_score: int | None = None
    rule: str | OutcomeRule | None = None
    seller_message: str | None = None
    type: (
        Literal["authorized", "manual_review", "issuer_declined", "blocked", "invalid"] | str | None
    ) = None


class FraudDetails(StripeModel):
    """Fraud reports from you and from Stripe."""

    stripe_report: str | None = None
    user_report: str | None = None


class Level3LineItem(StripeModel):
    """One line of Level 3 data."""

    discount_amount: int | None = None
    product_code: str | None = None
    product_description: str | None = None
    quantity: int | None = None
    tax_amount: int | None = None
    unit_cost: int | None = None


class Level3(StripeModel):
    """Level 3 (itemized) data sent to the card network."""

    customer_reference: str | None = None
    line_items: list[Level3LineItem] | None = None
    merchant_reference: str | None = None
    shipping_address_zip: str | None = None
    shipping_amount: int | None = None
    shipping_from_zip: str | None = None


class ChargeRadarOptions(StripeModel):
    """Radar session used for the charge."""

    session: str | None = None


class Charge(StripeObject):
    """One attempt to charge a payment method, successful or not."""

    id: str
    object: Literal["charge"] | str = "charge"
    amount: int | None = None
    amount_captured: int | None = None
    amount_refunded: int | None = None
    application: str | StripeObject | None = None
    application_fee: str | StripeObject | None = None
    application_fee_amount: int | None = None
    authorization_code: str | None = None
    balance_transaction: str | StripeObject | None = None
    billing_details: BillingDetails | None = None
    calculated_statement_descriptor: str | None = None
    captured: bool | None = None
    created: int | None = None
    currency: str | None = None
    customer: CustomerRef | None = None
    description: str | None = None
    disputed: bool | None = None
    failure_balance_transaction: str | StripeObject | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    fraud_details: FraudDetails | None = None
    level3: Level3 | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
    on_behalf_of: str | StripeObject | None = None
    outcome: ChargeOutcome | None = None
    paid: bool | None = None
    payment_intent: str | PaymentIntent | None = None
    payment_method: str | None = None
    payment_method_details: PaymentMethodDetails | None = None
    presentment_details: PresentmentDetails | None = None
    radar_options: ChargeRadarOptions | None = None
    receipt_email: str | None = None
    receipt_number: str | None = None
    receipt_url: str | None = None
    refunded: bool | None = None
    refunds: ListObject[Refund] | None = None
    review: str | StripeObject | None = None
    shipping: Shipping | None = None
    source: PaymentSource | None = None
    source_transfer: str | StripeObject | None = None
    statement_descriptor: str | None = None
    statement_descriptor_suffix: str | None = None
    status: Literal["failed", "pending", "succeeded"] | str | None = None
    transfer: str | StripeObject | None = None
    transfer_data: TransferData | None = None
    transfer_group: str | None = None
