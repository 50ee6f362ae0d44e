"""Refuse raw card data before it leaves the process (PCI DSS scope protection)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._redact import looks_like_card_number
from .errors import PCIComplianceError

# Field names that carry raw card data when they sit in a card hash.
_CARD_FIELDS = frozenset({"number", "cvc", "cvv", "card_number"})
# Keys that mark a hash as a card even when its parent is not called "card"
# (e.g. `source={"object": "card", "number": ..., "exp_month": ...}`).
_CARD_MARKERS = frozenset({"exp_month", "exp_year"})


def _is_card_hash(path: str, params: Mapping[Any, Any]) -> bool:
    lowered = path.lower()
    return (
        "card" in lowered
        or "source" in lowered
        or params.get("object") == "card"
        or any(marker in params for marker in _CARD_MARKERS)
    )


def find_raw_card_data(params: Any, path: str = "") -> str | None:
    """Return the param path holding raw card data, or None. Pure."""
    if isinstance(params, Mapping):
        card_hash = _is_card_hash(path, params)
        for key, value in params.items():
            name = f"{path}[{key}]" if path else str(key)
            lowered = str(key).lower()
            if (
                lowered in _CARD_FIELDS
                and value not in (None, "")
                and (card_hash or lowered in ("card_number", "cvv"))
            ):
                return name
            found = find_raw_card_data(value, name)
            if found:
                return found
        return None
    if isinstance(params, (list, tuple)):
        for index, value in enumerate(params):
            found = find_raw_card_data(value, f"{path}[{index}]")
            if found:
                return found
        return None
    if isinstance(params, bool):
        return None
    if isinstance(params, (str, int)):
        text = str(params)
        if len(text) >= 13 and looks_like_card_number(text):
            return path or "<value>"
    return None


def ensure_no_raw_card_data(params: Any) -> None:
    """Raise PCIComplianceError when params carry a card number or CVC."""
    where = find_raw_card_data(params)
    if where is not None:
        raise PCIComplianceError(
            f"Refusing to send raw card data (found in {where!r}). Collect cards with "
            "Stripe.js / Elements or use a PaymentMethod or token id; if Stripe has enabled "
            "raw card data APIs on your account, pass allow_raw_card_data=True.",
            param=where,
        )
