"""Every Stripe example object we type parses and dumps back to exactly what Stripe sent."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from stripe_async.models import (
    OBJECT_CLASSES,
    DeletedCustomer,
    DeletedObject,
    ListObject,
    SearchResult,
    StripeModel,
    StripeObject,
)

DATA = Path(__file__).parent / "data" / "stripe_fixtures.json"
FIXTURES: dict[str, Any] = json.loads(DATA.read_text())["resources"]

TYPED = sorted(kind for kind in FIXTURES if kind in OBJECT_CLASSES)
DELETED = sorted(k for k in FIXTURES if k.startswith("deleted_"))


def fixture(kind: str) -> Any:
    return copy.deepcopy(FIXTURES[kind])


def test_every_fixture_kind_is_typed() -> None:
    assert set(FIXTURES) - set(DELETED) - {"payment_source"} <= set(OBJECT_CLASSES)


@pytest.mark.parametrize("kind", TYPED)
def test_fixture_round_trips_from_python(kind: str) -> None:
    data = fixture(kind)
    model = OBJECT_CLASSES[kind].model_validate(data)
    assert type(model) is OBJECT_CLASSES[kind]
    assert model.model_dump(mode="json", exclude_unset=True) == data


@pytest.mark.parametrize("kind", TYPED)
def test_fixture_round_trips_from_json(kind: str) -> None:
    data = fixture(kind)
    model = OBJECT_CLASSES[kind].model_validate_json(json.dumps(data))
    assert model.to_dict() == data
    assert model.id == data.get("id")


@pytest.mark.parametrize("kind", TYPED)
def test_list_page_of_fixtures_round_trips(kind: str) -> None:
    items = [fixture(kind), fixture(kind)]
    page = {"object": "list", "data": items, "has_more": True, "url": "/v1/things"}
    parsed = ListObject[OBJECT_CLASSES[kind]].model_validate_json(json.dumps(page))  # type: ignore[valid-type]
    assert parsed.model_dump(mode="json", exclude_unset=True) == page
    assert len(parsed) == 2
    assert all(type(item) is OBJECT_CLASSES[kind] for item in parsed)


@pytest.mark.parametrize("kind", TYPED)
def test_search_page_of_fixtures_round_trips(kind: str) -> None:
    page = {
        "object": "search_result",
        "data": [fixture(kind)],
        "has_more": False,
        "next_page": None,
        "url": "/v1/things/search",
        "total_count": 1,
    }
    parsed = SearchResult[OBJECT_CLASSES[kind]].model_validate(page)  # type: ignore[valid-type]
    assert parsed.model_dump(mode="json", exclude_unset=True) == page
    assert [type(item) for item in parsed] == [OBJECT_CLASSES[kind]]
    assert len(parsed) == parsed.total_count == 1


@pytest.mark.parametrize("kind", DELETED)
def test_deleted_fixtures_parse_as_deleted_objects(kind: str) -> None:
    data = fixture(kind)
    deleted = DeletedObject.model_validate(data)
    assert deleted.deleted is True
    assert deleted.id == data["id"]
    assert deleted.to_dict() == data


def test_deleted_customer_fixture() -> None:
    data = fixture("deleted_customer")
    deleted = DeletedCustomer.model_validate(data)
    assert deleted.object == "customer"
    assert deleted.to_dict() == data


def _drift(data: Any, model: Any) -> None:
    """Add a field from the future to every dict the models parsed into a model."""
    if isinstance(model, BaseModel) and isinstance(data, dict):
        data["zz_future_field"] = {"nested": [1, "two", None]}
        for key, value in data.items():
            if key != "zz_future_field":
                _drift(value, getattr(model, key, None))
    elif isinstance(model, list) and isinstance(data, list):
        for value, item in zip(data, model, strict=True):
            _drift(value, item)


@pytest.mark.parametrize("kind", TYPED)
def test_unknown_fields_are_kept_at_every_depth(kind: str) -> None:
    cls = OBJECT_CLASSES[kind]
    data = fixture(kind)
    _drift(data, cls.model_validate(data))
    assert json.dumps(data).count("zz_future_field") >= 1
    model = cls.model_validate_json(json.dumps(data))
    assert model.to_dict() == data
    assert model["zz_future_field"] == {"nested": [1, "two", None]}


def test_registry_values_are_stripe_objects() -> None:
    assert all(issubclass(cls, StripeObject) for cls in OBJECT_CLASSES.values())
    assert all(issubclass(cls, StripeModel) for cls in OBJECT_CLASSES.values())
