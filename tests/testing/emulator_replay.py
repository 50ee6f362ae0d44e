"""The replay of every v1 operation, shared by the in-process and the served tests.

For each operation in `scripts/api/v1.json` it builds parameters as a user would
(the required ones, or what a user sends to the hand-modelled creates), creates
the parents its path names, puts the object in the state the call is for, then
makes the call. `Replay` talks to any `httpx.AsyncClient`: one on the emulator's
transport, or one on a served emulator's loopback port.
"""

from __future__ import annotations

import collections
import itertools
import json
import re
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel

from stripe_async import models
from stripe_async._encoding import encode_form
from stripe_async.models._base import _NullTolerated
from stripe_async.testing import StripeEmulator
from stripe_async.testing._resources import operations

V1 = json.loads((Path(__file__).parents[2] / "scripts" / "api" / "v1.json").read_text())
SHAPES = V1["shapes"]
OPERATIONS = [op for service in V1["services"] for op in service["operations"]]
HEADERS = {
    "Authorization": "Bearer sk_test_replay",
    "Content-Type": "application/x-www-form-urlencoded",
}

#: Values a user would pass for parameters of these names.
PLAIN = {
    "currency": "usd",
    "amount": 1000,
    "email": "replay@example.com",
    "country": "US",
    "url": "https://example.com/hook",
    "success_url": "https://example.com/ok",
    "return_url": "https://example.com/back",
    "refresh_url": "https://example.com/again",
    "cancel_url": "https://example.com/no",
    "payment_method": "pm_card_visa",
    "source": "tok_visa",
    "enabled_events": ["*"],
    "interval": "month",
    "percentage": "5",
    "display_name": "Replay",
    "name": "Replay",
    "event_name": "api_calls",
    "quantity": 1,
    "unit_amount": 1000,
}


#: What a user sends to the hand-modelled creates (whose rules go beyond the required list).
CREATES: dict[str, dict[str, Any]] = {
    "/v1/payment_records/report_payment": {
        "amount_requested": {"currency": "usd", "value": 1000},
        "initiated_at": 1_700_000_000,
        "payment_method_details": {"type": "custom", "custom": {"display_name": "Gift card"}},
    },
    "/v1/accounts": {"type": "express", "capabilities": {"transfers": {"requested": True}}},
    "/v1/charges": {"amount": 1000, "currency": "usd", "source": "tok_visa", "capture": False},
    "/v1/coupons": {"percent_off": 10},
    "/v1/test_helpers/test_clocks": {"frozen_time": 1_700_000_000},
    "/v1/prices": {"unit_amount": 1000, "currency": "usd", "product": "@product"},
    "/v1/plans": {"amount": 1000, "currency": "usd", "interval": "month", "product": "@product"},
    "/v1/invoices": {"customer": "@customer"},
    "/v1/credit_notes": {"invoice": "@invoice", "amount": 50},
    "/v1/subscription_schedules": {
        "customer": "@customer",
        "phases": [{"items": [{"price": "@recurring"}]}],
    },
    "/v1/invoices/create_preview": {"customer": "@customer"},
    "/v1/invoiceitems": {"customer": "@customer", "amount": 100, "currency": "usd"},
    "/v1/refunds": {"charge": "@charge"},
    "/v1/payment_methods": {"type": "card", "card": {"token": "tok_visa"}},
    "/v1/checkout/sessions": {
        "mode": "payment",
        "line_items": [{"price": "@price", "quantity": 1}],
        "success_url": "https://example.com/ok",
    },
    "/v1/billing_portal/configurations": {"features": {"invoice_history": {"enabled": True}}},
    "/v1/billing_portal/sessions": {"customer": "@customer"},
    "/v1/promotion_codes": {"promotion": {"type": "coupon", "coupon": "@coupon"}},
    "/v1/subscriptions": {"customer": "@customer", "items": [{"price": "@recurring"}]},
    # The emulator does not prorate: a user adding an item says so.
    "/v1/subscription_items": {
        "subscription": "@subscription",
        "price": "@recurring",
        "proration_behavior": "none",
    },
    "/v1/account_links": {
        "account": "@account",
        "type": "account_onboarding",
        "refresh_url": "https://example.com/r",
        "return_url": "https://example.com/b",
    },
    "/v1/payment_intents": {"amount": 1000, "currency": "usd", "payment_method_types": ["card"]},
    "/v1/setup_intents": {"payment_method_types": ["card"]},
    "/v1/transfers": {"amount": 100, "currency": "usd", "destination": "@account"},
    "/v1/issuing/cards": {
        "cardholder": "@cardholder",
        "currency": "usd",
        "type": "physical",
        "shipping": {"name": "Replay", "address": {"line1": "1 Main St", "country": "US"}},
    },
}
#: Calls on a fresh object that need it in the state the call is for.
CALLS: dict[str, dict[str, Any]] = {
    "/v1/test_helpers/test_clocks/{test_clock}/advance": {"frozen_time": 1_700_086_400},
    "/v1/payment_intents/{intent}/confirm": {"payment_method": "pm_card_visa"},
    "/v1/setup_intents/{intent}/confirm": {"payment_method": "pm_card_visa"},
    "/v1/payment_methods/{payment_method}/attach": {"customer": "@customer"},
    "/v1/invoices/{invoice}/add_lines": {"lines": [{"amount": 100, "description": "x"}]},
    "/v1/payment_intents/{intent}/increment_authorization": {"amount": 2000},
    "get /v1/credit_notes/preview": {"invoice": "@invoice", "amount": 50},
    "get /v1/credit_notes/preview/lines": {"invoice": "@invoice", "amount": 50},
    "/v1/billing/meter_events": {
        "event_name": "api_calls",
        "payload": {"stripe_customer_id": "@customer", "value": "1"},
    },
    "/v1/billing/meter_event_adjustments": {
        "event_name": "api_calls",
        "type": "cancel",
        "cancel": {"identifier": "replay"},
    },
    "get /v1/billing/meters/{id}/event_summaries": {
        "customer": "@customer",
        "start_time": 1_699_990_000,
        "end_time": 1_700_000_000,
    },
    "/v1/subscription_items/{item}": {"proration_behavior": "none"},
    "/v1/accounts/{account}/reject": {"reason": "fraud"},
    "/v1/tax/transactions/create_from_calculation": {
        "calculation": "@tax_calculation",
        "reference": "@unique",
    },
    "/v1/tax/transactions/create_reversal": {
        "mode": "full",
        "original_transaction": "@tax_transaction",
        "reference": "@unique",
    },
    "/v1/test_helpers/issuing/transactions/create_force_capture": {
        "amount": 1000,
        "card": "@issuing_card",
    },
    "/v1/test_helpers/issuing/transactions/create_unlinked_refund": {
        "amount": 1000,
        "card": "@issuing_card",
    },
}
#: Fields of objects only Stripe makes, as Stripe would have made them for the call.
STORED: dict[str, dict[str, Any]] = {
    # Granted at the Financial Connections session that linked it.
    "financial_connections.account": {"permissions": ["balances", "ownership", "transactions"]},
}
#: Calls that first need the object in the state they act on: the action to take before.
BEFORE: dict[str, tuple[str, dict[str, Any]]] = {
    "/v1/invoices/{invoice}/void": ("finalize", {}),
    "/v1/invoices/{invoice}/mark_uncollectible": ("finalize", {}),
    "/v1/billing/alerts/{id}/activate": ("deactivate", {}),
    "/v1/payment_intents/{intent}/capture": (
        "confirm",
        {"payment_method": "pm_card_visa", "capture_method": "manual"},
    ),
    "/v1/payment_intents/{intent}/increment_authorization": (
        "confirm",
        {"payment_method": "pm_card_visa", "capture_method": "manual"},
    ),
    "/v1/payment_methods/{payment_method}/detach": ("attach", {"customer": "@customer"}),
    "/v1/billing/meters/{id}/reactivate": ("deactivate", {}),
    "/v1/invoice_rendering_templates/{template}/unarchive": ("archive", {}),
    "/v1/terminal/readers/{reader}/cancel_action": ("set_reader_display", {"type": "cart"}),
    "/v1/accounts/{account}/unreject": ("reject", {"reason": "fraud"}),
    "/v1/payment_records/{id}/report_payment_attempt": (
        "report_payment_attempt_failed",
        {"failed_at": 1_700_000_100},
    ),
    "/v1/payment_records/{id}/report_refund": (
        "report_payment_attempt_guaranteed",
        {"guaranteed_at": 1_700_000_100},
    ),
    "/v1/test_helpers/treasury/inbound_transfers/{id}/return": ("succeed", {}),
}
#: Parameters naming an object the replay makes once.
BASES = frozenset(
    {"customer", "product", "price", "account", "coupon", "invoice", "payment_intent", "charge"}
    | {"destination", "subscription"}
)
SEARCH = {"query": "metadata['order']:'1'"}
#: The kind each operation returns, and the creates that make each kind.
RETURNS = {id(op): (op["returns"] or {}).get("name") for op in OPERATIONS}


#: The kind of object each path's GET answers with (for objects only Stripe makes).
KIND_AT = {
    re.sub(r"\{\w+\}", "{}", op.path): op.kind
    for op in operations()
    if op.verb == "GET" and op.kind
}


_UNIQUE = itertools.count(1)


class Replay:
    def __init__(
        self,
        client: httpx.AsyncClient,
        emulator: StripeEmulator | None = None,
        *,
        webhook_url: str = PLAIN["url"],
    ) -> None:
        """`emulator` is the in-process one, when there is one to store objects in;
        `webhook_url` is where endpoints point (a served emulator delivers to loopback only)."""
        self.client = client
        self.plain = {**PLAIN, "url": webhook_url}
        self._emulator = emulator
        self.made: dict[str, str] = {}

    @property
    def emulator(self) -> StripeEmulator:
        assert self._emulator is not None, "a served emulator has no in-process handle"
        return self._emulator

    async def send(self, verb: str, path: str, params: dict[str, Any]) -> httpx.Response:
        form = encode_form(params)
        if verb == "GET":
            return await self.client.get(path + ("?" + form if form else ""))
        if verb == "DELETE":
            return await self.client.delete(path + ("?" + form if form else ""))
        return await self.client.post(path, content=form)

    async def ok(self, verb: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        response = await self.send(verb, path, params)
        assert response.is_success, (verb, path, response.text)
        body: dict[str, Any] = response.json()
        return body

    async def base(self, name: str) -> str:
        """A customer, product, price, account ... made once per emulator."""
        if name not in self.made:
            if name == "customer":
                obj = await self.ok(
                    "POST",
                    "/v1/customers",
                    {
                        "email": "replay@example.com",
                        "payment_method": "pm_card_visa",
                        "invoice_settings": {"default_payment_method": "pm_card_visa"},
                    },
                )
            elif name == "product":
                obj = await self.ok("POST", "/v1/products", {"name": "Replay"})
            elif name == "price":
                obj = await self.ok(
                    "POST",
                    "/v1/prices",
                    {"product": await self.base("product"), "unit_amount": 1000, "currency": "usd"},
                )
            elif name == "account":
                obj = await self.ok(
                    "POST",
                    "/v1/accounts",
                    {"type": "express", "capabilities": {"transfers": {"requested": True}}},
                )
                if self._emulator is not None:
                    await self._emulator.complete_onboarding(obj["id"])
                else:  # the served emulator's own route, as a test in any language uses
                    await self.ok("POST", f"/_emulator/accounts/{obj['id']}/onboard", {})
            elif name == "recurring":
                obj = await self.ok(
                    "POST",
                    "/v1/prices",
                    {
                        "product": await self.base("product"),
                        "unit_amount": 1000,
                        "currency": "usd",
                        "recurring": {"interval": "month"},
                    },
                )
            elif name == "subscription":
                obj = await self.ok(
                    "POST",
                    "/v1/subscriptions",
                    {
                        "customer": await self.base("customer"),
                        "items": [{"price": await self.base("recurring")}],
                    },
                )
            elif name == "cardholder":
                obj = await self.ok(
                    "POST",
                    "/v1/issuing/cardholders",
                    {
                        "name": "Replay",
                        "type": "individual",
                        "billing": {"address": {"line1": "1 Main St", "country": "US"}},
                    },
                )
            elif name == "coupon":
                obj = await self.ok("POST", "/v1/coupons", {"percent_off": 10})
            elif name == "invoice":
                obj = await self.ok(
                    "POST", "/v1/invoices", {"customer": await self.base("customer")}
                )
            elif name == "payment_intent":
                obj = await self.ok(
                    "POST",
                    "/v1/payment_intents",
                    {
                        "amount": 1000,
                        "currency": "usd",
                        "payment_method": "pm_card_visa",
                        "confirm": True,
                        "payment_method_types": ["card"],
                    },
                )
            elif name == "charge":
                obj = await self.ok(
                    "POST", "/v1/charges", {"amount": 1000, "currency": "usd", "source": "tok_visa"}
                )
            elif name == "issuing_card":
                obj = await self.made_by("/v1/issuing/cards")
            elif name == "tax_calculation":
                obj = await self.made_by("/v1/tax/calculations")
            elif name == "tax_transaction":
                obj = await self.made_by("/v1/tax/transactions/create_from_calculation")
            else:
                raise KeyError(name)
            self.made[name] = obj["id"]
        return self.made[name]

    async def value(self, name: str, term: Any, depth: int = 0) -> Any:
        plain_id = term == "str" or (isinstance(term, dict) and "union" in term)
        if name in BASES and plain_id:
            return await self.base("account" if name == "destination" else name)
        if name in self.plain and not (isinstance(term, dict) and "obj" in term):
            return self.plain[name]
        if isinstance(term, str):
            return {"str": "replay", "int": 1, "bool": True, "float": 1.5}.get(term, "replay")
        if "lit" in term:
            return term["lit"][0]
        if "list" in term:
            return [await self.value(name, term["list"], depth + 1)]
        if "map" in term:
            return {"key": "value"}
        if "union" in term:
            members = [m for m in term["union"] if m != {"lit": [""]}]
            return await self.value(name, members[0], depth)
        if "obj" in term:
            return await self.params(SHAPES[term["obj"]], depth + 1)
        return "replay"

    async def resolve(self, value: Any) -> Any:
        if value == "@unique":  # a reference no other call used (the served state is shared)
            return f"order_{next(_UNIQUE)}"
        if isinstance(value, str) and value.startswith("@"):
            return await self.base(value[1:])
        if isinstance(value, list):
            return [await self.resolve(item) for item in value]
        if isinstance(value, dict):
            return {key: await self.resolve(item) for key, item in value.items()}
        return value

    async def params_of(self, op: dict[str, Any]) -> dict[str, Any]:
        if op["pager"] == "search":
            return dict(SEARCH)
        given = CREATES.get(op["path"]) if op["verb"] == "post" else None
        if given is None:
            # A GET's params are keyed by its verb too: most paths share theirs with a POST.
            given = CALLS.get(op["path"] if op["verb"] != "get" else f"get {op['path']}")
        if given is not None:
            result: dict[str, Any] = await self.resolve(given)
            return result
        return await self.params(SHAPES[op["params"]])

    async def params(self, shape: list[Any], depth: int = 0) -> dict[str, Any]:
        chosen = [(name, term) for name, term, required in shape if required]
        if depth and not chosen and shape:
            chosen = [(shape[0][0], shape[0][1])]  # a hash that needs something in it
        return {
            name: await self.value(name, term, depth) for name, term in chosen if name != "expand"
        }

    async def path(self, op: dict[str, Any]) -> str:
        """The op's path with each parameter naming an object made for it."""
        template = op["path"].split("/")
        segments = list(template)
        for i, segment in enumerate(template):
            if segment.startswith("{"):
                made = await self.object_at("/".join(template[:i]), segment[1:-1], segments[:i])
                segments[i] = made
        return "/".join(segments)

    async def object_at(self, collection: str, param: str, concrete: list[str]) -> str:
        # A test helper acts on the object of the same path without `test_helpers/`.
        plain = collection.replace("/v1/test_helpers/", "/v1/")
        kind = next(
            (
                RETURNS[id(op)]
                for op in OPERATIONS
                if op["path"] in (f"{collection}/{{{param}}}", f"{plain}/{{{param}}}")
                and op["verb"] == "get"
            ),
            None,
        )
        # The create at the collection, or any create of the same kind (a test helper).
        creates = [
            op for op in OPERATIONS if same(op["path"], collection) and op["method"] == "create"
        ]
        creates += [
            op
            for op in OPERATIONS
            if op["method"] == "create" and kind is not None and RETURNS[id(op)] == kind
        ]
        for op in creates:
            try:
                path = await self.path(op)
                if same(op["path"], collection):  # the same parents as the call
                    path = "/".join(concrete)
                obj = await self.ok("POST", path, await self.params_of(op))
                return str(obj["id"])
            except AssertionError:
                continue
        for op in OPERATIONS:
            if same(op["path"], plain) and op["verb"] == "get" and op["pager"] == "list":
                try:
                    page = await self.ok(
                        "GET", "/".join(concrete).replace("/v1/test_helpers/", "/v1/"), {}
                    )
                except AssertionError:
                    break
                if page["data"]:
                    return str(page["data"][0]["id"])
        # Only Stripe makes it (a dispute, a review): store one, as a test would.
        made_kind = KIND_AT.get(re.sub(r"\{\w+\}", "{}", plain) + "/{}")
        if made_kind is not None:
            template = collection.split("/")
            parents = {
                segment[1:-1]: value
                for segment, value in zip(template, concrete, strict=True)
                if segment.startswith("{")
            }
            return await self.store(made_kind, {**STORED.get(made_kind, {}), **parents})
        return f"x_{param}"

    async def store(self, kind: str, fields: dict[str, Any]) -> str:
        """An object only Stripe makes (or moves to a state), stored as a test stores it."""
        if self._emulator is not None:
            return str(self._emulator.add_object(kind, **fields)["id"])
        stored = await self.ok("POST", f"/_emulator/objects/{kind}", fields)
        return str(stored["id"])

    async def made_by(self, path: str) -> dict[str, Any]:
        """What the create at `path` makes from the params the replay builds for it."""
        op = next(op for op in OPERATIONS if op["path"] == path and op["verb"] == "post")
        return await self.ok("POST", path, await self.params_of(op))


async def replay(replay: Replay, op: dict[str, Any]) -> httpx.Response:
    """Make `op`'s call as a user would, its parents and prior state first."""
    await replay.base("charge")  # a payment leaves balance transactions and events
    if op["path"].startswith("/v1/credit_notes"):
        # A credit note needs an open invoice with something on it.
        invoice = await replay.base("invoice")
        item = {"customer": await replay.base("customer"), "invoice": invoice, "amount": 100}
        await replay.send("POST", "/v1/invoiceitems", {**item, "currency": "usd"})
        await replay.send("POST", f"/v1/invoices/{invoice}/finalize", {})
    if op["path"].startswith("/v1/billing/meter_event"):
        # An event counts toward an active meter of its name (and an adjustment cancels one).
        meter = {"display_name": "Replay", "event_name": "api_calls"}
        await replay.send(
            "POST", "/v1/billing/meters", {**meter, "default_aggregation": {"formula": "sum"}}
        )
        usage = {"stripe_customer_id": await replay.base("customer"), "value": "1"}
        await replay.send(
            "POST",
            "/v1/billing/meter_events",
            {"event_name": "api_calls", "identifier": "replay", "payload": usage},
        )
    path = await replay.path(op)
    params = await replay.params_of(op)
    if op["path"].startswith("/v1/invoices/{invoice}/"):
        # Something to bill: a 0.00 invoice is paid the moment it is finalized.
        invoice = path.split("/")[3]
        item = {"customer": await replay.base("customer"), "invoice": invoice, "amount": 100}
        await replay.send("POST", "/v1/invoiceitems", {**item, "currency": "usd"})
        if "{line_item_id}" in op["path"]:
            lines = await replay.ok("GET", f"/v1/invoices/{invoice}/lines", {})
            path = f"/v1/invoices/{invoice}/lines/{lines['data'][0]['id']}"
    if op["path"] == "/v1/customers/{customer}/payment_methods/{payment_method}":
        # A customer's payment method is one attached to that customer.
        customer, method = path.split("/")[3], path.split("/")[5]
        await replay.ok("POST", f"/v1/payment_methods/{method}/attach", {"customer": customer})
    if op["path"] == "/v1/payment_intents/{intent}/apply_customer_balance":
        # Only a PaymentIntent paid from a cash balance takes one.
        intent = await replay.ok(
            "POST",
            "/v1/payment_intents",
            {
                "amount": 1000,
                "currency": "usd",
                "customer": await replay.base("customer"),
                "payment_method_types": ["customer_balance"],
            },
        )
        path = f"/v1/payment_intents/{intent['id']}/apply_customer_balance"
    if op["path"] == "/v1/payouts/{payout}/reverse":
        # Only a paid payout is reversed, and Stripe pays it on its arrival date.
        payout = await replay.store("payout", {"status": "paid", "amount": 1000})
        path = f"/v1/payouts/{payout}/reverse"
    if op["path"].startswith("/v1/payment_records/{id}/"):
        # A record is what a payment reported to Stripe makes.
        record = await replay.made_by("/v1/payment_records/report_payment")
        path = path.replace(path.split("/")[3], record["id"])
    if re.fullmatch(
        r"/v1/financial_connections/accounts/\{account\}/\w*(refresh|subscribe)", op["path"]
    ):
        # A linked account, not one an earlier call disconnected (a served state is shared).
        kind = "financial_connections.account"
        account = await replay.store(kind, {**STORED[kind], "status": "active"})
        path = path.replace(path.split("/")[4], account)
    if op["path"] in ("/v1/apps/secrets/find", "/v1/apps/secrets/delete"):
        # A secret of that name and scope, set before it is looked up.
        await replay.ok("POST", "/v1/apps/secrets", {**params, "payload": "s3cret"})
    if any(segment.startswith("x_") for segment in path.split("/")):
        pass  # no object to put in a state: the call answers that it has none
    elif op["path"] in BEFORE:
        verb, given = BEFORE[op["path"]]
        # Not `ok`: on a served emulator shared by every call, the object may be there already.
        await replay.send("POST", path.rsplit("/", 1)[0] + "/" + verb, await replay.resolve(given))
    elif "/test_helpers/terminal/readers/" in op["path"]:
        # A reader's test helpers finish the action it is taking.
        reader = path.replace("/test_helpers/", "/").rsplit("/", 1)[0]
        await replay.ok("POST", reader + "/set_reader_display", {"type": "cart"})
    return await replay.send(op["verb"].upper(), path, params)


class Outcomes:
    """What the replayed operations answered, each answer checked as it is counted."""

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self.others: list[str] = []
        self.kinds: set[str] = set()

    def check(self, op: dict[str, Any], response: httpx.Response) -> None:
        body = response.json()
        assert "does not support" not in response.text, (op["path"], response.text)
        assert response.headers["stripe-emulator-fidelity"] in ("generic", "modelled")
        if response.is_success:
            self.counts["2xx"] += 1
            items = body.get("data") if body.get("object") in ("list", "search_result") else [body]
            for obj in items or []:
                if isinstance(obj, dict) and "object" in obj:
                    parses(obj)
                    self.kinds.add(obj["object"])
        elif body["error"].get("code") == "emulator_unsupported":
            self.counts["emulator_unsupported"] += 1
            assert op["path"] in body["error"]["message"]
        else:
            assert response.status_code in (400, 404, 409), response.text
            assert body["error"]["type"] == "invalid_request_error" and body["error"]["message"]
            self.counts["other"] += 1
            message = body["error"]["message"][:90]
            self.others.append(f"{op['verb']} {op['path']}: {response.status_code} {message}")

    def report(self) -> None:
        print(dict(self.counts), "of", len(OPERATIONS), "objects of", len(self.kinds), "kinds")
        print("\n".join(self.others))


def same(path: str, other: str) -> bool:
    """One path whatever its parameters are called (`{id}` or `{fee}`)."""
    return re.sub(r"\{\w+\}", "{}", path) == re.sub(r"\{\w+\}", "{}", other)


def always_sent(model: type[Any]) -> list[str]:
    return [
        field.alias or name
        for name, field in model.model_fields.items()
        if any(isinstance(meta, _NullTolerated) for meta in field.metadata)
    ]


def parses(obj: dict[str, Any]) -> None:
    """`obj` parses into the typed model of its kind, nothing unknown, nothing missing."""
    whole = "deleted" in models.model_for(obj["object"]).model_fields and len(obj) > 3
    if obj.get("deleted") is True and not whole:  # (an apps.secret is deleted whole)
        # Stripe's tombstone: only these three keys (a deleted discount also names its parents).
        tombstone = models.DeletedObject.model_validate(obj)
        extra = set(tombstone.model_extra or {}) - {"customer", "subscription", "invoice"}
        assert not extra, (obj["object"], sorted(extra))
        return
    model = models.model_for(obj["object"])
    assert model is not models.StripeObject, ("no typed model", obj["object"])
    parsed = model.model_validate(obj)
    wrong = _unknown_or_missing(parsed, obj["object"])
    assert not wrong, wrong


def _unknown_or_missing(value: Any, where: str) -> list[str]:
    """Fields no model declares (`+`) and always-present ones left out (`-`), at any depth."""
    if isinstance(value, list):
        return [bad for i, item in enumerate(value) for bad in _unknown_or_missing(item, where)]
    if isinstance(value, dict):
        return [bad for item in value.values() for bad in _unknown_or_missing(item, where)]
    if not isinstance(value, BaseModel):
        return []
    found = [f"+{where}.{name}" for name in value.model_extra or {}]
    for name, field in type(value).model_fields.items():
        item = getattr(value, name)
        key = field.alias or name
        if item is None and any(isinstance(meta, _NullTolerated) for meta in field.metadata):
            found.append(f"-{where}.{key}")
        found += _unknown_or_missing(item, f"{where}.{key}")
    return found
