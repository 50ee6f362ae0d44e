"""A hand-modelled resource is one declaration: the standard operations come with it,
and what Stripe does differently is a hook; routes use no private names of the flows."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import stripe_async.testing
from stripe_async.testing._errors import EmulatorError, invalid
from stripe_async.testing._modelled import Modelled
from stripe_async.testing._params import STR, Obj
from stripe_async.testing._router import Router, call
from stripe_async.testing._routes import ROUTES
from stripe_async.testing._state import State
from stripe_async.testing._store import FrozenClock, IdMaker

ROOT = Path(stripe_async.testing.__file__).parent

#: Billing routes still reach into their flows: they move with the billing work.
ROUTE_FILES = sorted((ROOT / "_routes").glob("*.py"))


def _new_widget(state: State, params: dict[str, Any]) -> dict[str, Any]:
    widget: dict[str, Any] = {
        "id": state.new_id("wdg"),
        "object": "widget",
        "color": params.get("color"),
        "created": state.now(),
        "metadata": {},
        "size": params.get("size"),
    }
    state.store.put(widget)
    state.emit("widget.created", widget)
    return widget


def _no_red(state: State, widget: dict[str, Any], params: dict[str, Any]) -> None:
    if params.get("color") == "red":
        raise invalid("Widgets cannot be red.", param="color")


WIDGETS = Modelled(
    "widget",
    create=_new_widget,
    create_params=Obj({"color": STR, "size": STR}),
    update_params=Obj({"color": STR}),
    check_update=_no_red,
    deletable=True,
    filters={"color": STR},
    search={"color": "color"},
)


class World:
    def __init__(self, declared: Modelled) -> None:
        self.state = State(ids=IdMaker(7), clock=FrozenClock(), api_version="2025-01-01")
        self.router = Router(declared.routes())

    def __call__(self, method: str, path: str, **params: Any) -> dict[str, Any]:
        route, args = self.router.match(method, path)
        return dict(call(route, self.state, params, args))

    def events(self) -> list[dict[str, Any]]:
        return list(reversed(self.state.store.newest_first("event")))


def test_one_declaration_serves_every_standard_operation() -> None:
    routes = {(route.method, route.pattern) for route in WIDGETS.routes()}
    assert routes == {
        ("POST", "/v1/widgets"),
        ("GET", "/v1/widgets"),
        ("GET", "/v1/widgets/search"),
        ("GET", "/v1/widgets/{id}"),
        ("POST", "/v1/widgets/{id}"),
        ("DELETE", "/v1/widgets/{id}"),
    }
    world = World(WIDGETS)
    blue = world("POST", "/v1/widgets", color="blue")
    world("POST", "/v1/widgets", color="green")
    assert world("GET", f"/v1/widgets/{blue['id']}") == blue
    listed = world("GET", "/v1/widgets", color="blue")
    assert [w["id"] for w in listed["data"]] == [blue["id"]]
    assert listed["url"] == "/v1/widgets"
    found = world("GET", "/v1/widgets/search", query="color:'green'")
    assert [w["color"] for w in found["data"]] == ["green"]

    updated = world("POST", f"/v1/widgets/{blue['id']}", color="teal", metadata={"a": "1"})
    assert (updated["color"], updated["metadata"]) == ("teal", {"a": "1"})
    event = world.events()[-1]
    assert event["type"] == "widget.updated"
    assert event["data"]["previous_attributes"] == {"color": "blue", "metadata": {}}

    gone = world("DELETE", f"/v1/widgets/{blue['id']}")
    assert gone == {"id": blue["id"], "object": "widget", "deleted": True}
    assert world.events()[-1]["type"] == "widget.deleted"
    with pytest.raises(EmulatorError) as missing:
        world("GET", f"/v1/widgets/{blue['id']}")
    assert missing.value.status == 404
    assert "No such widget" in str(missing.value)


def test_a_check_hook_refuses_before_anything_changes() -> None:
    world = World(WIDGETS)
    widget = world("POST", "/v1/widgets", color="blue")
    sent = len(world.events())
    with pytest.raises(EmulatorError, match="cannot be red"):
        world("POST", f"/v1/widgets/{widget['id']}", color="red", metadata={"a": "1"})
    assert world("GET", f"/v1/widgets/{widget['id']}") == widget
    assert len(world.events()) == sent


def test_an_update_that_changes_nothing_sends_no_event() -> None:
    world = World(WIDGETS)
    widget = world("POST", "/v1/widgets", color="blue")
    sent = len(world.events())
    world("POST", f"/v1/widgets/{widget['id']}", color="blue")
    assert len(world.events()) == sent


def test_a_whole_delete_hook_makes_the_delete_after_the_check() -> None:
    def sweep(state: State, widget: dict[str, Any]) -> dict[str, Any]:
        # As a test clock's delete takes the objects on it, without their events.
        for other in list(state.store.newest_first("widget")):
            if other["id"] != widget["id"] and other["color"] == widget["color"]:
                state.store.delete(other["id"])
        return state.store.delete(widget["id"])

    def keep_gold(state: State, widget: dict[str, Any], params: dict[str, Any]) -> None:
        if widget["color"] == "gold":
            raise invalid("Gold widgets stay.")

    swept = replace(WIDGETS, check_delete=keep_gold, replace_delete=sweep)
    world = World(swept)
    first = world("POST", "/v1/widgets", color="blue")
    world("POST", "/v1/widgets", color="blue")
    gold = world("POST", "/v1/widgets", color="gold")
    sent = len(world.events())
    with pytest.raises(EmulatorError, match="Gold widgets stay"):
        world("DELETE", f"/v1/widgets/{gold['id']}")
    gone = world("DELETE", f"/v1/widgets/{first['id']}")
    assert gone == {"id": first["id"], "object": "widget", "deleted": True}
    assert [w["id"] for w in world("GET", "/v1/widgets")["data"]] == [gold["id"]]
    assert len(world.events()) == sent


def test_a_client_secret_is_the_credential_of_a_publishable_retrieve() -> None:
    def new_intent(state: State, params: dict[str, Any]) -> dict[str, Any]:
        intent_id = state.new_id("wi")
        intent = {"id": intent_id, "object": "widget_intent", "client_secret": intent_id + "_s"}
        return state.store.put(intent)

    intents = Modelled("widget_intent", create=new_intent, stripe_js="WidgetIntent")
    retrieve = next(r for r in intents.routes() if r.method == "GET" and "{id}" in r.pattern)
    assert retrieve.publishable and "client_secret" in retrieve.params.fields
    world = World(intents)
    intent = world("POST", "/v1/widget_intents")
    world.state.publishable = True
    path = f"/v1/widget_intents/{intent['id']}"
    assert world("GET", path, client_secret=intent["client_secret"]) == intent
    with pytest.raises(EmulatorError, match="associated with the WidgetIntent"):
        world("GET", path, client_secret="wrong")


def _private_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and "_flows" in (node.module or ""):
            names.update(alias.name for alias in node.names if alias.name.startswith("_"))
    return names


@pytest.mark.parametrize("path", ROUTE_FILES, ids=lambda p: p.name)
def test_routes_use_no_private_names_of_the_flows(path: Path) -> None:
    assert not _private_imports(path)


def test_hand_modelled_resources_are_declared_not_rewritten() -> None:
    """The standard operations of the payment, customer, catalog and billing resources are
    the declaration's own handlers, not route functions written again."""
    families = (
        *("customers", "charges", "refunds", "coupons", "payment_methods", "products"),
        *("tax_rates", "credit_notes", "subscription_schedules", "billing/meters", "disputes"),
        *("invoiceitems", "test_helpers/test_clocks"),
    )
    for family in families:
        standard = {
            ("GET", f"/v1/{family}"),
            ("GET", f"/v1/{family}/{{id}}"),
            ("POST", f"/v1/{family}/{{id}}"),
            ("DELETE", f"/v1/{family}/{{id}}"),
        }
        routes = [r for r in ROUTES if (r.method, r.pattern) in standard]
        assert len(routes) >= 3, family
        for route in routes:
            assert isinstance(getattr(route.handler, "__self__", None), Modelled), route
