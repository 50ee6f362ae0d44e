"""PaymentMethod and its per-type details (card typed in full)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._base import StripeModel, StripeObject
from ._common import Address, BillingDetails

if TYPE_CHECKING:
    from .customer import Customer

__all__ = [
    "CardChecks",
    "CardNetworks",
    "CardWallet",
    "PaymentMethod",
    "PaymentMethodCard",
    "PaymentMethodSepaDebit",
    "PaymentMethodUsBankAccount",
    "ThreeDSecureUsage",
]

PaymentMethodType = (
    Literal[
        "acss_debit",
        "affirm",
        "afterpay_clearpay",
        "alipay",
        "amazon_pay",
        "au_becs_debit",
        "bacs_debit",
        "bancontact",
        "blik",
        "boleto",
        "card",
        "card_present",
        "cashapp",
        "customer_balance",
        "eps",
        "fpx",
        "giropay",
        "grabpay",
        "ideal",
        "klarna",
        "konbini",
        "link",
        "oxxo",
        "p24",
        "paypal",
        "pix",
        "promptpay",
        "revolut_pay",
        "sepa_debit",
        "sofort",
        "us_bank_account",
        "wechat_pay",
        "zip",
    ]
    | str
)
CheckResult = Literal["pass", "fail", "unavailable", "unchecked"] | str


class CardChecks(StripeModel):
    """Results of the address and CVC checks the issuer ran."""

    address_line1_check: CheckResult | None = None
    address_postal_code_check: CheckResult | None = None
    cvc_check: CheckResult | None = None


class CardNetworks(StripeModel):
    """Networks the card can be processed on, and the customer's choice."""

    available: list[str] | None = None
    preferred: str | None = None


class ThreeDSecureUsage(StripeModel):
    """Whether 3D Secure is supported on the card."""

    supported: bool | None = None


class WalletDetails(StripeModel):
    """Details a wallet (Masterpass, Visa Checkout) shares about the cardholder."""

    billing_address: Address | None = None
    email: str | None = None
    name: str | None = None
    shipping_address: Address | None = None


class CardWallet(StripeModel):
    """The wallet (Apple Pay, Google Pay, Link, ...) a card number came from."""

    type: (
        Literal[
            "amex_express_checkout",
            "apple_pay",
            "google_pay",
            "link",
            "masterpass",
            "samsung_pay",
            "visa_checkout",
        ]
        | str
        | None
    ) = None
    dynamic_last4: str | None = None
    amex_express_checkout: StripeModel | None = None
    apple_pay: StripeModel | None = None
    google_pay: StripeModel | None = None
    link: StripeModel | None = None
    masterpass: WalletDetails | None = None
    samsung_pay: StripeModel | None = None
    visa_checkout: WalletDetails | None = None


class CardGeneratedFrom(StripeModel):
    """The card-present payment this reusable card was generated from."""

    charge: str | None = None
    payment_method_details: StripeModel | None = None
    setup_attempt: str | StripeObject | None = None


class PaymentMethodCard(StripeModel):
    """Card details of a PaymentMethod (never the full number)."""

    brand: (
        Literal[
            "amex",
            "cartes_bancaires",
            "diners",
            "discover",
            "eftpos_au",
            "interac",
            "jcb",
            "link",
            "mastercard",
            "unionpay",
            "unknown",
            "visa",
        ]
        | str
        | None
    ) = None
    checks: CardChecks | None = None
    country: str | None = None
    description: str | None = None
    display_brand: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None
    fingerprint: str | None = None
    funding: Literal["credit", "debit", "prepaid", "unknown"] | str | None = None
    generated_from: CardGeneratedFrom | None = None
    iin: str | None = None
    issuer: str | None = None
    last4: str | None = None
    networks: CardNetworks | None = None
    regulated_status: Literal["regulated", "unregulated"] | str | None = None
    three_d_secure_usage: ThreeDSecureUsage | None = None
    wallet: CardWallet | None = None


class PaymentMethodCardPresent(StripeModel):
    """Card details read by a terminal."""

    brand: str | None = None
    brand_product: str | None = None
    cardholder_name: str | None = None
    country: str | None = None
    description: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None
    fingerprint: str | None = None
    funding: str | None = None
    iin: str | None = None
    issuer: str | None = None
    last4: str | None = None
    networks: StripeModel | None = None
    preferred_locales: list[str] | None = None
    read_method: str | None = None
    wallet: StripeModel | None = None


class UsBankAccountNetworks(StripeModel):
    """ACH / wire networks a US bank account supports."""

    preferred: str | None = None
    supported: list[Literal["ach", "us_domestic_wire"] | str] | None = None


class PaymentMethodUsBankAccount(StripeModel):
    """A US bank account debited over ACH."""

    account_holder_type: Literal["company", "individual"] | str | None = None
    account_type: Literal["checking", "savings"] | str | None = None
    bank_name: str | None = None
    financial_connections_account: str | None = None
    fingerprint: str | None = None
    last4: str | None = None
    networks: UsBankAccountNetworks | None = None
    routing_number: str | None = None
    status_details: StripeModel | None = None


class SepaDebitGeneratedFrom(StripeModel):
    """The charge or setup attempt a SEPA debit method was generated from."""

    charge: str | StripeObject | None = None
    setup_attempt: str | StripeObject | None = None


class PaymentMethodSepaDebit(StripeModel):
    """A SEPA Direct Debit account (IBAN shown by its last four digits only)."""

    bank_code: str | None = None
    branch_code: str | None = None
    country: str | None = None
    fingerprint: str | None = None
    generated_from: SepaDebitGeneratedFrom | None = None
    last4: str | None = None


class PaymentMethodBankDebit(StripeModel):
    """A bank account debited in AU (BECS), UK (Bacs) or Canada (PADs)."""

    bank_name: str | None = None
    bsb_number: str | None = None
    fingerprint: str | None = None
    institution_number: str | None = None
    last4: str | None = None
    sort_code: str | None = None
    transit_number: str | None = None


class PaymentMethodLink(StripeModel):
    """A Link account."""

    email: str | None = None
    persistent_token: str | None = None


class PaymentMethodPaypal(StripeModel):
    """A PayPal account."""

    country: str | None = None
    payer_email: str | None = None
    payer_id: str | None = None


class RadarOptions(StripeModel):
    """Radar session attached to the payment method."""

    session: str | None = None


class PaymentMethod(StripeObject):
    """A way to pay (card, bank account, wallet, ...); its details sit under `type`'s key."""

    id: str
    object: Literal["payment_method"] | str = "payment_method"
    allow_redisplay: Literal["always", "limited", "unspecified"] | str | None = None
    billing_details: BillingDetails | None = None
    created: int | None = None
    customer: str | Customer | None = None
    customer_account: str | None = None
    livemode: bool | None = None
    metadata: dict[str, str] | None = None
    radar_options: RadarOptions | None = None
    type: PaymentMethodType | None = None

    card: PaymentMethodCard | None = None
    card_present: PaymentMethodCardPresent | None = None
    interac_present: PaymentMethodCardPresent | None = None
    us_bank_account: PaymentMethodUsBankAccount | None = None
    sepa_debit: PaymentMethodSepaDebit | None = None
    acss_debit: PaymentMethodBankDebit | None = None
    au_becs_debit: PaymentMethodBankDebit | None = None
    bacs_debit: PaymentMethodBankDebit | None = None
    link: PaymentMethodLink | None = None
    paypal: PaymentMethodPaypal | None = None
    # The remaining types carry few or no fields; kept as open objects.
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
    custom: StripeModel | None = None
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
    sequra: StripeModel | None = None
    sofort: StripeModel | None = None
    sunbit: StripeModel | None = None
    swish: StripeModel | None = None
    twint: StripeModel | None = None
    upi: StripeModel | None = None
    wechat_pay: StripeModel | None = None
    zip: StripeModel | None = None
