"""Every object in Stripe's published fixtures parses into its own typed model and back."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from stripe_async.models import OBJECT_CLASSES, StripeObject, model_for

ROOT = Path(__file__).resolve().parents[2]
FIXTURES: dict[str, Any] = json.loads((ROOT / "tests" / "data" / "fixtures3.json").read_text())[
    "resources"
]
FACTS: dict[str, Any] = json.loads((ROOT / "scripts" / "api" / "objects.json").read_text())
KIND_OF_KEY = {obj["key"]: obj["object"] for obj in FACTS["objects"]}
# Kinds in the fixtures that the API's v1 object list (and so this SDK) does not model.
UNMODELLED = {"issuing.settlement", "sigma.sigma_api_query", "terminal.refund"}
ONE_PER_KIND = {data["object"]: name for name, data in sorted(FIXTURES.items())}


def fixture(name: str) -> Any:
    return copy.deepcopy(FIXTURES[name])


def expandable_fields() -> list[tuple[str, str, str]]:
    """(object kind, field, kind of the expanded object) for every single-kind expandable field."""
    rows = []
    for obj in FACTS["objects"]:
        for name, term in obj["fields"]:
            while isinstance(term, list) and term[0] == "opt":
                term = term[1]
            if isinstance(term, list) and term[0] == "exp" and isinstance(term[1], str):
                rows.append((obj["object"], name, KIND_OF_KEY[term[1]]))
    return rows


EXPANDABLE = [
    row for row in expandable_fields() if row[0] in ONE_PER_KIND and row[2] in ONE_PER_KIND
]


def test_the_fixtures_cover_most_objects() -> None:
    kinds = {data["object"] for data in FIXTURES.values()}
    assert len(kinds & set(OBJECT_CLASSES)) >= 140
    assert len(EXPANDABLE) >= 150


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_parses_into_its_own_model_and_dumps_back(name: str) -> None:
    data = fixture(name)
    kind = data["object"]
    model = model_for(kind)
    if kind in UNMODELLED:
        assert model is StripeObject
    else:
        assert model is OBJECT_CLASSES[kind]
        assert model is not StripeObject
    parsed = model.model_validate_json(json.dumps(data))
    assert type(parsed) is model
    assert parsed.to_dict() == data
    dumped = model.model_validate(data).model_dump(mode="json", exclude_unset=True, by_alias=True)
    assert dumped == data


@pytest.mark.parametrize(("kind", "field", "target"), EXPANDABLE)
def test_expandable_field_takes_an_id_or_the_object(kind: str, field: str, target: str) -> None:
    model = OBJECT_CLASSES[kind]
    attr = field + "_" if field in {"from", "in", "is", "created_at"} else field
    with_id = {**fixture(ONE_PER_KIND[kind]), field: "obj_123"}
    assert getattr(model.model_validate(with_id), attr) == "obj_123"

    expanded_value = fixture(ONE_PER_KIND[target])
    expanded = model.model_validate_json(json.dumps({**with_id, field: expanded_value}))
    value = getattr(expanded, attr)
    assert type(value) is OBJECT_CLASSES[target]
    assert expanded.to_dict()[field] == expanded_value
