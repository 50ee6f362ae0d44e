"""Every generated model imports from its object's module and parses a reply that lacks fields."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from stripe_async.models import StripeModel, StripeObject

ROOT = Path(__file__).resolve().parents[2]
FACTS = json.loads((ROOT / "scripts" / "api" / "objects.json").read_text())["objects"]
MODULES = sorted(
    {
        ".".join(filter(None, [obj["namespace"], obj["module"]]))
        for obj in FACTS
        if obj["key"] != "Event"
    }
)


def test_one_module_per_object() -> None:
    assert len(MODULES) == len(FACTS) - 1 == 152  # Event is hand-written


@pytest.mark.parametrize("module", MODULES)
def test_every_model_of_an_object_module_parses_an_empty_reply(module: str) -> None:
    imported = importlib.import_module(f"stripe_async.models.{module}")
    names = imported.__all__
    assert names
    for name in names:
        model = getattr(imported, name)  # nested models in parts load on first access
        assert isinstance(model, type) and issubclass(model, StripeModel), name
        # A place whose shape another place of the object shares names that shared class,
        # which the module exports under its own name too.
        assert model.__name__ == name or getattr(imported, model.__name__) is model, name
        data = {"id": "obj_1"} if issubclass(model, StripeObject) else {}
        parsed = model.model_validate(data)
        assert parsed.to_dict() == data


def test_places_of_one_shape_share_a_class_and_keep_their_names() -> None:
    from stripe_async.models.tax import Registration
    from stripe_async.models.tax.registration import (
        RegistrationCountryOptionsAm,
        RegistrationCountryOptionsAz,
        RegistrationCountryOptionsSimplified,
    )

    assert RegistrationCountryOptionsAm is RegistrationCountryOptionsSimplified
    assert RegistrationCountryOptionsAz is RegistrationCountryOptionsSimplified
    reply = {
        "id": "taxreg_1",
        "object": "tax.registration",
        "country_options": {"am": {"type": "simplified"}, "az": {"type": "simplified"}},
    }
    options = Registration.model_validate(reply).country_options
    assert isinstance(options.am, RegistrationCountryOptionsAm)
    assert options.az is not None and options.az.type == "simplified"
