"""Stripe's documented test cards, PaymentMethods (`pm_card_*`) and tokens (`tok_*`).

Each test card says what happens when it is charged: success, a decline (with
Stripe's code, decline_code and message) or a 3D Secure challenge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._errors import EmulatorError


@dataclass(frozen=True)
class Decline:
    code: str
    decline_code: str
    message: str


@dataclass(frozen=True)
class Card:
    name: str
    brand: str
    last4: str
    number: str
    funding: str = "credit"
    country: str = "US"
    decline: Decline | None = None
    #: Always asks for 3D Secure authentication when confirmed.
    requires_action: bool = False
    #: Declined charges but attaches to a customer fine (Stripe's 4000000000000341).
    attaches: bool = False
    #: Once authenticated through a SetupIntent for off-session use, later off-session
    #: payments need no authentication (Stripe's 4000002500003155).
    setup_exempts: bool = False
    #: The charge succeeds, then is disputed with this reason (Stripe's createDispute cards).
    dispute: str | None = None
    #: The dispute is an inquiry: no funds are withdrawn (4000000000001976).
    inquiry: bool = False

    @property
    def declines_on_attach(self) -> bool:
        """Stripe checks a card when it is attached: most decline cards fail there."""
        return self.decline is not None and not self.attaches

    @property
    def fingerprint(self) -> str:
        # Stable per card number, like Stripe's: the same card always has one fingerprint.
        return ("fp" + self.number[-8:] + self.brand).ljust(16, "x")[:16]


_GENERIC = Decline("card_declined", "generic_decline", "Your card was declined.")

_CARDS = [
    Card("visa", "visa", "4242", "4242424242424242"),
    Card("visa_debit", "visa", "5556", "4000056655665556", funding="debit"),
    Card("mastercard", "mastercard", "4444", "5555555555554444"),
    Card("mastercard_debit", "mastercard", "8210", "5200828282828210", funding="debit"),
    Card("amex", "amex", "8431", "371449635398431"),
    Card("discover", "discover", "1117", "6011111111111117"),
    Card("chargeDeclined", "visa", "0002", "4000000000000002", decline=_GENERIC),
    Card("chargeCustomerFail", "visa", "0341", "4000000000000341", decline=_GENERIC, attaches=True),
    Card(
        "chargeDeclinedInsufficientFunds",
        "visa",
        "9995",
        "4000000000009995",
        decline=Decline("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    ),
    Card(
        "chargeDeclinedLostCard",
        "visa",
        "9987",
        "4000000000009987",
        decline=Decline("card_declined", "lost_card", "Your card was declined."),
    ),
    Card(
        "chargeDeclinedStolenCard",
        "visa",
        "9979",
        "4000000000009979",
        decline=Decline("card_declined", "stolen_card", "Your card was declined."),
    ),
    Card(
        "chargeDeclinedFraudulent",
        "visa",
        "0019",
        "4100000000000019",
        decline=Decline("card_declined", "fraudulent", "Your card was declined."),
    ),
    Card(
        "chargeDeclinedExpiredCard",
        "visa",
        "0069",
        "4000000000000069",
        decline=Decline("expired_card", "expired_card", "Your card has expired."),
    ),
    Card(
        "chargeDeclinedIncorrectCvc",
        "visa",
        "0127",
        "4000000000000127",
        decline=Decline(
            "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."
        ),
    ),
    Card(
        "chargeDeclinedProcessingError",
        "visa",
        "0119",
        "4000000000000119",
        decline=Decline(
            "processing_error",
            "processing_error",
            "An error occurred while processing your card. Try again in a little bit.",
        ),
    ),
    Card("createDispute", "visa", "0259", "4000000000000259", dispute="fraudulent"),
    Card(
        "createDisputeProductNotReceived",
        "visa",
        "2685",
        "4000000000002685",
        dispute="product_not_received",
    ),
    Card(
        "createDisputeInquiry",
        "visa",
        "1976",
        "4000000000001976",
        dispute="fraudulent",
        inquiry=True,
    ),
    Card("authenticationRequired", "visa", "3184", "4000002760003184", requires_action=True),
    Card("threeDSecure2Required", "visa", "3220", "4000000000003220", requires_action=True),
    Card(
        "authenticationRequiredOnSetup",
        "visa",
        "3155",
        "4000002500003155",
        requires_action=True,
        setup_exempts=True,
    ),
]

BY_NAME = {card.name: card for card in _CARDS}
BY_NUMBER = {card.number: card for card in _CARDS}


def card_for_payment_method(value: str) -> Card | None:
    """The test card behind `pm_card_visa` and friends, else None."""
    if not value.startswith("pm_card_"):
        return None
    name = value[len("pm_card_") :]
    return BY_NAME.get(name)


def card_for_token(value: str) -> Card | None:
    """The test card behind `tok_visa` and friends, else None."""
    if not value.startswith("tok_"):
        return None
    name = value[len("tok_") :]
    return BY_NAME.get(name)


def card_error(decline: Decline, **extra: Any) -> EmulatorError:
    """Stripe's 402 card_error; kept for idempotent replays (the request did work)."""
    return EmulatorError(
        402,
        decline.message,
        type="card_error",
        code=decline.code,
        decline_code=decline.decline_code,
        extra={key: value for key, value in extra.items() if value is not None},
        saved=True,
    )
