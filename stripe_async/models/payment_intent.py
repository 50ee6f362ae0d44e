"""PaymentIntent: one payment's lifecycle, from creation to success or cancellation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ._base import ListObject, StripeModel, StripeObject
from ._common import Shipping, TransferData
from .card import PaymentSource
from .customer import CustomerRef
from .error_object import StripeErrorObject

if TYPE_CHECKING:
    from .charge import Charge
    from .payment_method import PaymentMethod

__all__ = [
    "AutomaticPaymentMethods",
    "NextAction",
    "PaymentIntent",
    "PaymentIntentStatus",
    "RedirectToUrl",
]

PaymentIntentStatus = (
    Literal[
        "canceled",
        "processing",
        "requires_action",
        "requires_capture",
        "requires_confirmation",
        "requires_payment_method",
        "succeeded",
    ]
    | str
)
SetupFutureUsage = Literal["none", "off_session", "on_session"] | str


class AutomaticPaymentMethods(StripeModel):
    """Whether Stripe picks the payment methods from your Dashboard settings."""

    enabled: bool | None = None
    allow_redirects: Literal["always", "never"] | str | None = None


class AmountDetailsError(StripeModel):
    """Why the amount breakdown does not add up."""

    code: str | None = None
    message: str | None = None


class AmountDetailsShipping(StripeModel):
    """Shipping amount and postal codes of the amount breakdown."""

    amount: int | None = None
    from_postal_code: str | None = None
    to_postal_code: str | None = None


class AmountDetailsTax(StripeModel):
    """Tax part of the amount breakdown."""

    total_tax_amount: int | None = None


class AmountDetailsTip(StripeModel):
    """Tip part of the amount breakdown."""

    amount: int | None = None


class AmountDetails(StripeModel):
    """Breakdown of the amount (tip, tax, shipping, discount, line items)."""

    discount_amount: int | None = None
    error: AmountDetailsError | None = None
    line_items: ListObject[StripeObject] | None = None
    shipping: AmountDetailsShipping | None = None
    tax: AmountDetailsTax | None = None
    tip: AmountDetailsTip | None = None


class RedirectToUrl(StripeModel):
    """Send the customer to `url`; they come back to `return_url`."""

    return_url: str | None = None
    url: str | None = None


class AlipayHandleRedirect(RedirectToUrl):
    """Alipay redirect, with native app data."""

    native_data: str | None = None
    native_url: str | None = None


class CardAwaitNotification(StripeModel):
    """The cardholder is notified before an Indian recurring charge."""

    charge_attempt_at: int | None = None
    customer_approval_required: bool | None = None


class VerifyWithMicrodeposits(StripeModel):
    """The bank account must be verified with microdeposits first."""

    arrival_date: int | None = None
    hosted_verification_url: str | None = None
    microdeposit_type: Literal["amounts", "descriptor_code"] | str | None = None


class DisplayBankTransferInstructions(StripeModel):
    """Bank transfer instructions to show the customer."""

    amount_remaining: int | None = None
    currency: str | None = None
    financial_addresses: list[StripeModel] | None = None
    hosted_instructions_url: str | None = None
    reference: str | None = None
    type: str | None = None


class DisplayDetails(StripeModel):
    """A voucher or QR code to show the customer (Boleto, OXXO, Konbini, PayNow, Pix, ...)."""

    data: str | None = None
    entity: str | None = None
    expires_after: int | None = None
    expires_at: int | None = None
    hosted_instructions_url: str | None = None
    hosted_voucher_url: str | None = None
    image_url_png: str | None = None
    image_url_svg: str | None = None
    number: str | None = None
    pdf: str | None = None
    reference: str | None = None


class NextAction(StripeModel):
    """What the customer must do next; `type` names the key holding the details."""

    type: str | None = None
    redirect_to_url: RedirectToUrl | None = None
    use_stripe_sdk: dict[str, Any] | None = None
    alipay_handle_redirect: AlipayHandleRedirect | None = None
    blik_authorize: StripeModel | None = None
    boleto_display_details: DisplayDetails | None = None
    card_await_notification: CardAwaitNotification | None = None
    cashapp_handle_redirect_or_display_qr_code: StripeModel | None = None
    display_bank_transfer_instructions: DisplayBankTransferInstructions | None = None
    klarna_display_qr_code: DisplayDetails | None = None
    konbini_display_details: StripeModel | None = None
    multibanco_display_details: DisplayDetails | None = None
    oxxo_display_details: DisplayDetails | None = None
    paynow_display_qr_code: DisplayDetails | None = None
    pix_display_qr_code: DisplayDetails | None = None
    promptpay_display_qr_code: DisplayDetails | None = None
    swish_handle_redirect_or_display_qr_code: StripeModel | None = None
    upi_handle_redirect_or_display_qr_code: StripeModel | None = None
    verify_with_microdeposits: VerifyWithMicrodeposits | None = None
    wechat_pay_display_qr_code: DisplayDetails | None = None
    wechat_pay_redirect_to_android_app: StripeModel | None = None
    wechat_pay_redirect_to_ios_app: StripeModel | None = None


class CardInstallments(StripeModel):
    """Installment plans offered for, or chosen on, a card payment."""

    available_plans: list[StripeModel] | None = None
    enabled: bool | None = None
    plan: StripeModel | None = None


class CardPaymentMethodOptions(StripeModel):
    """Card-specific settings of a PaymentIntent."""

    capture_method: Literal["manual"] | str | None = None
    installments: CardInstallments | None = None
    mandate_options: StripeModel | None = None
    network: str | None = None
    request_extended_authorization: Literal["if_available", "never"] | str | None = None
    request_incremental_authorization: Literal["if_available", "never"] | str | None = None
    request_multicapture: Literal["if_available", "never"] | str | None = None
    request_overcapture: Literal["if_available", "never"] | str | None = None
    request_three_d_secure: Literal["any", "automatic", "challenge"] | str | None = None
    require_cvc_recollection: bool | None = None
    setup_credential_usage: str | None = None
    setup_future_usage: SetupFutureUsage | None = None
    statement_descriptor_suffix_kana: str | None = None
    statement_descriptor_suffix_kanji: str | None = None
    stored_credential_usage: str | None = None


class PaymentMethodOptions(StripeModel):
    """Per-payment-method-type settings; card is typed, other types stay open objects."""

    card: CardPaymentMethodOptions | None = None
    acss_debit: StripeModel | None = None
    affirm: StripeModel | None = None
    afterpay_clearpay: StripeModel | None = None
    alipay: StripeModel | None = None
    amazon_pay: StripeModel | None = None
    au_becs_debit: StripeModel | None = None
    bacs_debit: StripeModel | None = None
    bancontact: StripeModel | None = None
    blik: StripeModel | None = None
    boleto: StripeModel | None = None
    card_present: StripeModel | None = None
    cashapp: StripeModel | None = None
    customer_balance: StripeModel | None = None
    eps: StripeModel | None = None
    fpx: StripeModel | None = None
    giropay: StripeModel | None = None
    grabpay: StripeModel | None = None
    ideal: StripeModel | None = None
    interac_present: StripeModel | None = None
    klarna: StripeModel | None = None
    konbini: StripeModel | None = None
    link: StripeModel | None = None
    oxxo: StripeModel | None = None
    p24: StripeModel | None = None
    paypal: StripeModel | None = None
    pix: StripeModel | None = None
    promptpay: StripeModel | None = None
    revolut_pay: StripeModel | None = None
    sepa_debit: StripeModel | None = None
    sofort: StripeModel | None = None
    us_bank_account: StripeModel | None = None
    wechat_pay: StripeModel | None = None
    zip: StripeModel | None = None


class PaymentMethodConfigurationDetails(StripeModel):
    """The payment method configuration used to pick payment methods."""

    id: str | None = None
    parent: str | None = None


class CardProcessingNotification(StripeModel):
    """Notification sent to the cardholder while a card payment is processing."""

    approval_requested: bool | None = None
    completes_at: int | None = None


class CardProcessing(StripeModel):
    """Card-specific processing state."""

    customer_notification: CardProcessingNotification | None = None


class Processing(StripeModel):
    """Present while `status` is `processing`."""

    type: Literal["card"] | str | None = None
    card: CardProcessing | None = None


class PresentmentDetails(StripeModel):
    """Amount and currency the customer was shown (Adaptive Pricing)."""

    presentment_amount: int | None = None
    presentment_currency: str | None = None


class PaymentDetails(StripeModel):
    """References for the customer and the order."""

    customer_reference: str | None = None
    order_reference: str | None = None


class ManagedPayments(StripeModel):
    """Whether Stripe's managed payments is on."""

    enabled: bool | None = None


class PaymentIntent(StripeObject):
    """A payment from creation to completion, including authentication steps."""

    id: str
    object: Literal["payment_intent"] | str = "payment_intent"
    amount: int | None = None
    amount_capturable: int | None = None
    amount_details: AmountDetails | None = None
    amount_received: int | None = None
    application: str | StripeObject | None = None
    application_fee_amount: int | None = None
    automatic_payment_methods: AutomaticPaymentMethods | None = None
    canceled_at: int | None = None
    cancellation_reason: (
        Literal[
            "abandoned",
            "automatic",
            "duplicate",
            "expired",
            "failed_invoice",
            "fraudulent",
            "requested_by_customer",
            "void_invoice",
        ]
        | str
        | None
    ) = None
    capture_method: Literal["automatic", "automatic_async", "manual"] | str | None = None
    client_secret: str | None = None
    confirmation_method: Literal["automatic", "manual"] | str | None = None
    created: int | None = None
    currency: str | None = None
    customer: CustomerRef | None = None
    customer_account: str | None = None
    description: str | None = None
    excluded_payment_method_types: list[str] | None = None
    hooks: StripeModel | None = None
    last_payment_error: StripeErrorObject | None = None
    latest_charge: str | Charge | None = None
    livemode: bool | None = None
    managed_payments: ManagedPayments | None = None
    metadata: dict[str, str] | None = None
    next_action: NextAction | None = None
    on_behalf_of: str | StripeObject | None = None
    payment_details: PaymentDetails | None = None
    payment_method: str | PaymentMethod | None = None
    payment_method_configuration_details: PaymentMethodConfigurationDetails | None = None
    payment_method_options: PaymentMethodOptions | None = None
    payment_method_types: list[str] | None = None
    payment_record: str | StripeObject | None = None
    presentment_details: PresentmentDetails | None = None
    processing: Processing | None = None
    receipt_email: str | None = None
    review: str | StripeObject | None = None
    setup_future_usage: SetupFutureUsage | None = None
    shipping: Shipping | None = None
    source: str | PaymentSource | None = None
    statement_descriptor: str | None = None
    statement_descriptor_suffix: str | None = None
    status: PaymentIntentStatus | None = None
    transfer_data: TransferData | None = None
    transfer_group: str | None = None

    @property
    def requires_action(self) -> bool:
        """True when the customer must act (3D Secure, redirect, voucher, ...)."""
        return self.status == "requires_action"
