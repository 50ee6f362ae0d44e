"""Every params TypedDict agrees at run time with what type checkers see.

`__required_keys__` holds exactly the `Required[...]` keys; optional parameters that
are not objects accept `None` (the encoder leaves it out); `metadata` values may be
numbers and booleans, sent as text the way stripe-python sends them; decimals are sent
exactly. The last two rules are the form encoding's: a v2 body is JSON, where `None`
is `null` (it clears a field) and a number stays a number, so v2 params offer neither.
"""

from __future__ import annotations

import importlib
import pkgutil
import types
import typing
from decimal import Decimal
from typing import Any

import pytest
import typing_extensions
from stripe._encode import _api_encode  # the reference encoder (a dev dependency)

import stripe_async.resources._params as params_package
from stripe_async._encoding import encode_form, encode_pairs
from stripe_async._options import v2_json_body
from stripe_async.resources._base import ExpandParams


def is_v2(module_name: str) -> bool:
    """A v2 params module (`v2_core_accounts`, `_v2_shared`): its bodies go as JSON."""
    return module_name.rsplit(".", 1)[-1].startswith(("v2_", "_v2_"))


def all_typeddicts() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(params_package.__path__):
        module = importlib.import_module(f"{params_package.__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and typing_extensions.is_typeddict(value)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


TYPEDDICTS = all_typeddicts()
FORM_TYPEDDICTS = [cls for cls in TYPEDDICTS if not is_v2(cls.__module__)]
JSON_TYPEDDICTS = [cls for cls in TYPEDDICTS if is_v2(cls.__module__)]
# Our own per-call options (hand-written in resources/_base.py), not Stripe's parameters.
CALL_OPTIONS = set(typing_extensions.get_type_hints(ExpandParams))


def members(t: Any) -> list[Any]:
    while typing_extensions.get_origin(t) in (
        typing_extensions.Required,
        typing_extensions.NotRequired,
    ):
        t = typing_extensions.get_args(t)[0]
    if typing_extensions.get_origin(t) in (typing.Union, types.UnionType):
        return [m for a in typing_extensions.get_args(t) for m in members(a)]
    return [t]


def holds_object(t: Any) -> bool:
    """A TypedDict anywhere in the type (`list[TierParam]` too)."""
    if typing_extensions.is_typeddict(t):
        return True
    return any(holds_object(a) for a in typing_extensions.get_args(t))


def test_every_params_module_is_read() -> None:
    assert len(FORM_TYPEDDICTS) > 1000
    assert len(JSON_TYPEDDICTS) > 100


def test_required_keys_at_run_time_are_the_annotated_ones() -> None:
    wrong = []
    for cls in TYPEDDICTS:
        hints = typing_extensions.get_type_hints(cls, include_extras=True)
        declared = {
            k
            for k, v in hints.items()
            if typing_extensions.get_origin(v) is typing_extensions.Required
        }
        if set(cls.__required_keys__) != declared or not declared <= set(hints):
            wrong.append(cls.__qualname__)
    assert not wrong, wrong[:10]
    from stripe_async.resources._params.customers_tax_ids import CustomerTaxIdCreateParams
    from stripe_async.resources._params.refunds import RefundCreateParams
    from stripe_async.resources._params.v2_billing_meter_events import MeterEventCreateParams

    assert RefundCreateParams.__required_keys__ == frozenset()
    assert CustomerTaxIdCreateParams.__required_keys__ == {"type", "value"}
    assert MeterEventCreateParams.__required_keys__ == {"event_name", "payload"}


def test_optional_parameters_that_are_not_objects_accept_none() -> None:
    wrong = []
    checked = 0
    for cls in FORM_TYPEDDICTS:
        hints = typing_extensions.get_type_hints(cls)
        for key, hint in hints.items():
            if key in cls.__required_keys__ or key in CALL_OPTIONS:
                continue
            found = members(hint)
            if holds_object(hint):
                continue  # see gen_api.py: mypy's messages for a nested dict stay precise
            checked += 1
            if type(None) not in found:
                wrong.append(f"{cls.__qualname__}.{key}")
    assert checked > 2500
    assert not wrong, wrong[:10]
    assert encode_form({"charge": "ch_1", "amount": None, "reason": None}) == "charge=ch_1"


def test_v2_parameters_offer_neither_none_nor_numbers_in_metadata() -> None:
    offered = []
    metadata_fields = 0
    for cls in JSON_TYPEDDICTS:
        for key, hint in typing_extensions.get_type_hints(cls).items():
            if key in CALL_OPTIONS:
                continue
            if type(None) in members(hint):
                offered.append(f"{cls.__qualname__}.{key}")
            if key == "metadata":
                maps = [m for m in members(hint) if typing_extensions.get_origin(m) is dict]
                values = set(members(typing_extensions.get_args(maps[0])[1]))
                assert not {int, bool} & values, cls.__qualname__
                metadata_fields += 1
    assert metadata_fields > 5
    assert not offered, offered[:10]
    # Why: the JSON body keeps both as they are.
    assert v2_json_body({"display_name": None, "metadata": {"n": 2}}) == (
        b'{"display_name":null,"metadata":{"n":2}}'
    )


def test_metadata_values_take_numbers_and_booleans_sent_as_stripe_python_sends_them() -> None:
    metadata_fields = 0
    for cls in FORM_TYPEDDICTS:
        hint = typing_extensions.get_type_hints(cls).get("metadata")
        if hint is None:
            continue
        maps = [m for m in members(hint) if typing_extensions.get_origin(m) is dict]
        assert maps, cls.__qualname__
        values = set(members(typing_extensions.get_args(maps[0])[1]))
        assert {str, int, bool} <= values, cls.__qualname__
        metadata_fields += 1
    assert metadata_fields > 100
    metadata = {"order": "42", "attempt": 2, "gift": True, "paid": False}
    ours = list(encode_pairs({"metadata": metadata}))
    reference = [(k, str(v)) for k, v in _api_encode({"metadata": metadata})]
    assert (
        ours
        == reference
        == [
            ("metadata[order]", "42"),
            ("metadata[attempt]", "2"),
            ("metadata[gift]", "true"),
            ("metadata[paid]", "false"),
        ]
    )


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (Decimal("0.000000000001"), "0.000000000001"),
        (Decimal("1999.50"), "1999.5"),
        (Decimal("12345678901234567890.123456789"), "12345678901234567890.123456789"),
        (Decimal("1E+3"), "1000"),
        ("0.1", "0.1"),
    ],
)
def test_decimal_params_are_sent_exactly(value: Decimal | str, sent: str) -> None:
    from stripe_async.resources._params.prices import PriceCreateParams

    assert Decimal in members(
        typing_extensions.get_type_hints(PriceCreateParams)["unit_amount_decimal"]
    )
    assert encode_form({"unit_amount_decimal": value}) == f"unit_amount_decimal={sent}"
