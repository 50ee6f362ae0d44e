"""Never silently wrong, at any depth: a nested parameter Stripe takes on a modelled
operation is honoured or refused with `emulator_unsupported` naming its full path, and
one Stripe does not take is `parameter_unknown`, as Stripe answers it. The facts are
`scripts/api/v1.json`, through `scripts/gen_emulator_params.py`."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from stripe_async.testing import StripeEmulator
from stripe_async.testing._nested_params import names
from stripe_async.testing._params import Either, Kind, ListOf, Obj, Refused
from stripe_async.testing._router import Router, operation_key, stripe_params
from stripe_async.testing._routes import ROUTES
from stripe_async.testing._stripe_params import OPERATION_SHAPES, SHAPES

ROOT = Path(__file__).resolve().parents[2]
ROUTER = Router(ROUTES)


def _post(emulator: StripeEmulator, path: str, params: dict[str, Any]) -> tuple[int, Any]:
    reply = emulator.handle(
        "POST",
        path,
        "",
        {
            "authorization": "Bearer sk_test_nested",
            "content-type": "application/x-www-form-urlencoded",
        },
        urlencode(params).encode(),
    )
    return reply.status, json.loads(reply.body)


def test_the_nested_tables_are_current() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "gen_emulator_params.py"))
    assert script["shapes"]() == (OPERATION_SHAPES, SHAPES)


def _hashes(kind: Kind, shape: int | None, path: str) -> list[tuple[str, Obj, int]]:
    """Every declared hash in a spec with the API's shape for it (`items[0][price_data]`)."""
    if isinstance(kind, ListOf):
        return _hashes(kind.item, shape, f"{path}[0]")
    if isinstance(kind, Either):
        return [found for item in kind.kinds for found in _hashes(item, shape, path)]
    if isinstance(kind, Refused):
        return _hashes(kind.kind, shape, path)
    if not isinstance(kind, Obj) or kind.open or shape is None:
        return []
    keys = names(shape)
    found = [(path, kind, shape)] if path else []
    for name, item in kind.fields.items():
        found += _hashes(item, keys.get(name), f"{path}[{name}]" if path else name)
    return found


def test_every_nested_hash_is_honoured_or_refused_never_both() -> None:
    walked = refused = 0
    for route in ROUTER.routes:
        if stripe_params(route) is None:
            continue
        shape = OPERATION_SHAPES.get(operation_key(route.method, route.pattern))
        for path, spec, inner in _hashes(route.params, shape, ""):
            where = f"{route.method} {route.pattern} {path}"
            keys = set(names(inner))
            assert not spec.fields.keys() & spec.unsupported, where
            # Each key Stripe takes is in exactly one list; nothing else is taken.
            assert spec.fields.keys() | spec.unsupported == keys, where
            walked += 1
            refused += len(spec.unsupported)
    # The counts this change reports (116 hashes walked, 68 of their keys refused).
    assert walked >= 100 and refused >= 60, (walked, refused)


def test_an_unknown_nested_key_is_parameter_unknown() -> None:
    emulator = StripeEmulator(seed=1)
    base = {"amount": 100, "currency": "usd"}
    # On a parameter the emulator refuses, an unknown key inside is still Stripe's answer.
    status, body = _post(
        emulator, "/v1/payment_intents", {**base, "payment_method_options[card][foo]": "1"}
    )
    assert status == 400 and body["error"]["code"] == "parameter_unknown"
    assert body["error"]["param"] == "payment_method_options[card][foo]"
    # A known key there is the refusal, naming the parameter the emulator does not model.
    status, body = _post(
        emulator, "/v1/payment_intents", {**base, "payment_method_options[card][network]": "visa"}
    )
    assert body["error"]["code"] == "emulator_unsupported"
    # A generic operation stores hashes as given, but only with Stripe's keys.
    rate = {"display_name": "Ground", "type": "fixed_amount", "fixed_amount[currency]": "usd"}
    status, body = _post(
        emulator,
        "/v1/shipping_rates",
        {**rate, "fixed_amount[amount]": "5", "fixed_amount[x]": "1"},
    )
    assert status == 400 and body["error"]["param"] == "fixed_amount[x]"
    status, body = _post(emulator, "/v1/shipping_rates", {**rate, "fixed_amount[amount]": "5"})
    assert status == 200 and body["fixed_amount"]["amount"] == 5
    # A name a hand-written spec took and Stripe does not (a customer's shipping has no
    # carrier) is unknown, as on Stripe.
    status, body = _post(
        emulator, "/v1/customers", {"shipping[name]": "A", "shipping[carrier]": "UPS"}
    )
    assert status == 400 and body["error"]["code"] == "parameter_unknown"
    assert body["error"]["param"] == "shipping[carrier]"


def test_a_nested_key_the_emulator_does_not_model_is_refused_by_its_path() -> None:
    emulator = StripeEmulator(seed=1)
    status, body = _post(
        emulator,
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 100,
            "product_data[name]": "Seat",
            "product_data[tax_details][tax_code]": "txcd_10000000",
        },
    )
    assert status == 400, body
    error = body["error"]
    assert error["code"] == "emulator_unsupported"
    assert error["param"] == "product_data[tax_details]"
    assert "product_data[tax_details]" in error["message"] and "POST /v1/prices" in error["message"]
    status, body = _post(
        emulator, "/v1/prices", {"currency": "usd", "unit_amount": 100, "product_data[name]": "S"}
    )
    assert status == 200 and body["unit_amount"] == 100
