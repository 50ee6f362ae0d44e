"""A hand-modelled resource, declared once.

Each resource a flow models is one `Modelled(...)`: its kind, its path and the
parameters it honours. `routes()` gives it Stripe's standard operations (create,
list, search, retrieve, update, delete), built the same way for every resource;
what Stripe does differently for one resource is a hook on the standard operation
(a check before an update, a side effect of a delete), so its declaration says
only that. Actions (`/confirm`, `/capture`) stay routes of their own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ._errors import invalid
from ._lists import paginate
from ._params import LIST_PARAMS, SEARCH_PARAMS, STR, Kind, Obj
from ._router import Route
from ._search import search_handler
from ._state import State, assign, set_metadata

#: Makes the object from the checked create params (and emits its `.created` event).
Create = Callable[[State, dict[str, Any]], dict[str, Any]]
#: Finds the object an id names, or raises Stripe's 404.
Load = Callable[[State, str], dict[str, Any]]
#: Acts on an object for a request's params: a check Stripe makes, or a change.
Hook = Callable[[State, dict[str, Any], dict[str, Any]], None]
#: The object as replies show it (a coupon's `valid` computed now).
View = Callable[[State, dict[str, Any]], dict[str, Any]]
#: Whether an object passes a list's own filters (beyond equal-field ones).
Where = Callable[[dict[str, Any], dict[str, Any]], bool]


@dataclass(frozen=True)
class Modelled:
    """The standard operations of one hand-modelled resource, and how it differs."""

    kind: str
    #: The collection's path (objects are at `{path}/{id}`); `/v1/{kind}s` if empty.
    path: str = ""
    #: How Stripe's messages name it (`No such webhook endpoint: ...`); the kind if empty.
    label: str = ""
    create: Create | None = None
    create_params: Obj = field(default_factory=Obj)
    #: How a retrieve looks an id up (`pm_card_visa` names a test card); the store's
    #: object of the kind by default, as every other operation finds it.
    load: Load | None = None
    view: View | None = None
    #: How Stripe.js names it ("PaymentIntent"). Set, a publishable key may retrieve it
    #: with its `client_secret`, as Stripe.js does.
    stripe_js: str = ""
    #: A retrieve of a deleted object answers its tombstone (customers).
    tombstones: bool = False
    #: None: no update operation.
    update_params: Obj | None = None
    #: Params copied onto the object as given ("" unsets); None: every update param
    #: but `metadata` (merged), as a plain resource's update names its fields.
    update_fields: tuple[str, ...] | None = None
    check_update: Hook | None = None
    apply_update: Hook | None = None
    #: The flow makes the whole update itself (checks, changes, event) instead.
    replace_update: Callable[[State, dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None
    #: Runs when an update changed the object (after its event).
    after_update: Hook | None = None
    #: The field stamped with the time of a change that changed something (`updated`).
    stamp: str | None = None
    deletable: bool = False
    check_delete: Hook | None = None
    #: The flow makes the whole delete itself (what goes with the object, the event).
    replace_delete: Callable[[State, dict[str, Any]], dict[str, Any]] | None = None
    #: False: no list operation (events list themselves).
    listed: bool = True
    #: The list's filters on equal fields.
    filters: Mapping[str, Kind] = field(default_factory=dict)
    where: Where | None = None
    #: The list's other params, the ones `where` reads.
    where_params: Mapping[str, Kind] = field(default_factory=dict)
    list_label: str = ""
    #: Search query fields (None: no search operation).
    search: Mapping[str, str] | None = None
    #: The changes that send an event named after the kind (`customer.updated`).
    emits: tuple[str, ...] = ("updated", "deleted")
    #: A publishable key may create it (Stripe.js makes PaymentMethods).
    publishable_create: bool = False

    @property
    def url(self) -> str:
        """The collection's path."""
        return self.path or f"/v1/{self.kind}s"

    def routes(self) -> list[Route]:
        """The routes of every standard operation the declaration has."""
        path = self.url
        item = path + "/{id}"
        routes: list[Route] = []
        if self.create is not None:
            create = Route("POST", path, self.create, self.create_params)
            routes.append(replace(create, publishable=self.publishable_create))
        if self.listed:
            spec = Obj({**LIST_PARAMS, **self.filters, **self.where_params})
            routes.append(Route("GET", path, self.list_page, spec))
        if self.search is not None:
            handler = search_handler(self.kind, path.rsplit("/", 1)[-1], self.search)
            routes.append(Route("GET", path + "/search", handler, SEARCH_PARAMS))
        secret = Obj({"client_secret": STR}) if self.stripe_js else Obj()
        routes.append(Route("GET", item, self.retrieve, secret, publishable=bool(secret.fields)))
        if self.update_params is not None:
            routes.append(Route("POST", item, self.update, self.update_params))
        if self.deletable:
            routes.append(Route("DELETE", item, self.delete))
        return routes

    def find(self, state: State, id: str) -> dict[str, Any]:
        """The object `id` names, as replies show it (Stripe's 404 if none)."""
        obj = state.require(self.kind, id, self.label or self.kind)
        return obj if self.view is None else self.view(state, obj)

    def retrieve(self, state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
        """`GET {path}/{id}`."""
        if self.tombstones:
            deleted = state.store.deleted(id)
            if deleted is not None and deleted["object"] == self.kind:
                return deleted
        obj = self.find(state, id) if self.load is None else self.load(state, id)
        self.check_secret(state, obj, params)
        return obj

    def check_secret(self, state: State, obj: dict[str, Any], params: dict[str, Any]) -> None:
        """With a publishable key (Stripe.js) the `client_secret` param is the credential."""
        given = params.pop("client_secret", None)
        if not self.stripe_js or (given is None and not state.publishable):
            return
        if given != obj["client_secret"]:
            raise invalid(
                "The client_secret provided does not match the client_secret associated with "
                f"the {self.stripe_js}.",
                param="client_secret",
            )

    def _checked(
        self, state: State, id: str, check: Hook | None, params: dict[str, Any]
    ) -> dict[str, Any]:
        obj = self.find(state, id)
        if check is not None:
            check(state, obj, params)
        return obj

    def update(self, state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
        """`POST {path}/{id}`: checks, then plain fields, hooks, metadata merged, the event."""
        if self.replace_update is not None:
            return self.replace_update(state, self.find(state, id), params)
        obj = self._checked(state, id, self.check_update, params)
        before = copy.deepcopy(obj)
        assign(obj, params, self._plain_fields())
        if self.apply_update is not None:
            self.apply_update(state, obj, params)
        set_metadata(obj, params.get("metadata"))
        if self.stamp is not None and obj != before:
            obj[self.stamp] = state.now()
        if "updated" in self.emits:
            changed = state.emit_update(f"{self.kind}.updated", obj, before) is not None
        else:
            changed = obj != before
        if changed and self.after_update is not None:
            self.after_update(state, obj, params)
        return obj

    def _plain_fields(self) -> tuple[str, ...]:
        if self.update_fields is not None:
            return self.update_fields
        names = self.update_params.fields if self.update_params is not None else {}
        return tuple(name for name in names if name != "metadata")

    def delete(self, state: State, params: dict[str, Any], id: str) -> dict[str, Any]:
        """`DELETE {path}/{id}`: the tombstone, and the `.deleted` event."""
        obj = self._checked(state, id, self.check_delete, params)
        if self.replace_delete is not None:
            return self.replace_delete(state, obj)
        tombstone = state.store.delete(obj["id"])
        if "deleted" in self.emits:
            state.emit(f"{self.kind}.deleted", obj)
        return tombstone

    def list_page(self, state: State, params: dict[str, Any]) -> dict[str, Any]:
        """`GET {path}`: newest first, filtered, one page."""
        names = tuple(self.filters)
        rows = [
            obj if self.view is None else self.view(state, obj)
            for obj in state.store.newest_first(self.kind)
            if all(params.get(name) in (None, obj.get(name)) for name in names)
            and (self.where is None or self.where(obj, params))
        ]
        return paginate(rows, params, self.url, self.list_label or self.label or self.kind)
