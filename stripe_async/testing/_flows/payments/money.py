"""Amounts and currencies: Stripe's minimums and how its messages print money."""

from __future__ import annotations

from ..._errors import invalid

#: Currencies without a minor unit: 1000 means ¥1000, not ¥10.00.
ZERO_DECIMAL = frozenset(
    {
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    }
)
_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cad": "$", "aud": "$"}
#: Stripe's minimum charge amounts, in the smallest unit (50 for most currencies).
_MINIMUMS = {"gbp": 30, "jpy": 50, "hkd": 400, "mxn": 1000, "nok": 300, "sek": 300, "dkk": 250}
MAX_AMOUNT = 99_999_999


def currency_param(value: str, param: str = "currency") -> str:
    code = value.lower()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise invalid(f"Invalid currency: {value}.", param=param)
    return code


def format_amount(amount: int, currency: str) -> str:
    """`$10.00` for 1000 usd; `¥1000` for 1000 jpy."""
    symbol = _SYMBOLS.get(currency, "")
    text = f"{amount}" if currency in ZERO_DECIMAL else f"{amount / 100:,.2f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def check_amount(amount: int, currency: str, param: str = "amount") -> None:
    """Stripe's amount_too_small / amount_too_large checks for a charge."""
    minimum = _MINIMUMS.get(currency, 50)
    if amount < minimum:
        raise invalid(
            f"Amount must be at least {format_amount(minimum, currency)} {currency}",
            param=param,
            code="amount_too_small",
        )
    if amount > MAX_AMOUNT:
        raise invalid(
            f"Amount must be no more than {format_amount(MAX_AMOUNT, currency)} {currency}",
            param=param,
            code="amount_too_large",
        )
