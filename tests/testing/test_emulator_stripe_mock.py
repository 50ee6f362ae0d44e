"""stripe-mock mode: stateless answers for any well-formed id, parameters still checked.

`StripeEmulator(stripe_mock=True)` and `python -m stripe_async emulator --stripe-mock`
stand in for stripe-mock, which Stripe's own SDK test suites run against: any id
resolves to an object of the right type with that id, lists hold one object, and
unknown parameters are refused as Stripe refuses them.
"""

from __future__ import annotations

import collections
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import stripe
from emulator_replay import SHAPES
from served_emulator import serve_emulator

from stripe_async import StripeClient, models
from stripe_async.__main__ import build_parser
from stripe_async._encoding import encode_form
from stripe_async.testing import StripeEmulator
from stripe_async.testing._resources import Operation, kinds, operations
from stripe_async.testing._router import operation_key
from stripe_async.testing._stripe_params import OPERATION_SHAPES

KEY = "sk_test_mock"
HEADERS = {"Authorization": f"Bearer {KEY}"}
_VALUES: dict[str, Any] = {"str": "xxx", "int": 1, "bool": True, "float": 1.5, "list": ["xxx"]}


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    emulator = StripeEmulator(stripe_mock=True, seed=5)
    async with httpx.AsyncClient(
        transport=emulator.transport(), base_url="https://api.stripe.com", headers=HEADERS
    ) as client:
        yield client


async def _ok(response: Any) -> dict[str, Any]:
    reply = await response
    assert reply.status_code == 200, reply.text
    assert reply.headers["stripe-emulator-fidelity"] == "stateless"
    body: dict[str, Any] = reply.json()
    return body


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/v1/customers/cus_xxxxxxxxxxxxx", "customer"),
        ("/v1/payment_intents/pi_123", "payment_intent"),
        ("/v1/charges/ch_xxxxxxxxxxxxx", "charge"),
        ("/v1/subscriptions/sub_123", "subscription"),
        ("/v1/payouts/po_123", "payout"),
        ("/v1/tax_rates/txr_xxxxxxxxxxxxx", "tax_rate"),
    ],
)
async def test_any_placeholder_id_resolves_to_its_type(
    http: httpx.AsyncClient, path: str, kind: str
) -> None:
    obj = await _ok(http.get(path))
    assert obj["id"] == path.rsplit("/", 1)[-1] and obj["object"] == kind
    _parses(obj)
    again = await _ok(http.get(path))
    assert again["id"] == obj["id"]


async def test_sub_resources_carry_their_parent(http: httpx.AsyncClient) -> None:
    tax_id = await _ok(http.get("/v1/customers/cus_123/tax_ids/txi_123"))
    assert (tax_id["id"], tax_id["object"], tax_id["customer"]) == ("txi_123", "tax_id", "cus_123")
    page = await _ok(http.get("/v1/customers/cus_123/tax_ids"))
    assert page["url"] == "/v1/customers/cus_123/tax_ids"
    assert page["data"][0]["customer"] == "cus_123"


async def test_a_list_holds_one_object(http: httpx.AsyncClient) -> None:
    page = await _ok(http.get("/v1/customers", params={"limit": 3}))
    assert page["object"] == "list" and page["has_more"] is False
    assert page["url"] == "/v1/customers"
    [customer] = page["data"]
    assert customer["object"] == "customer" and customer["id"].startswith("cus_")


async def test_search_results_carry_the_usual_fields(http: httpx.AsyncClient) -> None:
    page = await _ok(http.get("/v1/customers/search", params={"query": "email:'a@b.c'"}))
    assert page["object"] == "search_result"
    assert (page["has_more"], page["next_page"], page["url"]) == (
        False,
        None,
        "/v1/customers/search",
    )
    assert [obj["object"] for obj in page["data"]] == ["customer"]
    counted = await _ok(
        http.get("/v1/charges/search", params={"query": "amount>1", "expand[]": "total_count"})
    )
    assert counted["total_count"] == 1


async def test_create_update_delete(http: httpx.AsyncClient) -> None:
    made = await _ok(
        http.post("/v1/customers", data={"email": "jenny@example.com", "metadata[plan]": "pro"})
    )
    assert made["object"] == "customer" and made["id"].startswith("cus_")
    assert made["email"] == "jenny@example.com" and made["metadata"] == {"plan": "pro"}
    other = await _ok(http.post("/v1/customers", data={}))
    assert other["id"] != made["id"]
    updated = await _ok(http.post("/v1/customers/cus_123", data={"name": "Jenny"}))
    assert (updated["id"], updated["name"]) == ("cus_123", "Jenny")
    # Stateless: the next retrieve knows nothing of that update.
    assert (await _ok(http.get("/v1/customers/cus_123")))["name"] != "Jenny"
    gone = await _ok(http.delete("/v1/customers/cus_123"))
    assert gone == {"id": "cus_123", "object": "customer", "deleted": True}
    confirmed = await _ok(http.post("/v1/payment_intents/pi_123/confirm", data={}))
    assert (confirmed["id"], confirmed["object"]) == ("pi_123", "payment_intent")
    account = await _ok(http.get("/v1/account", headers={"Stripe-Account": "acct_123"}))
    assert (account["id"], account["object"]) == ("acct_123", "account")


async def test_parameters_are_still_checked(http: httpx.AsyncClient) -> None:
    unknown = await http.post("/v1/customers", data={"emale": "typo@example.com"})
    assert unknown.status_code == 400
    error = unknown.json()["error"]
    assert (error["code"], error["param"]) == ("parameter_unknown", "emale")
    assert error["type"] == "invalid_request_error"
    on_get = await http.get("/v1/customers/cus_123", params={"colour": "red"})
    assert on_get.json()["error"]["code"] == "parameter_unknown"
    missing = await http.post("/v1/payouts", data={"currency": "usd"})
    assert missing.status_code == 400 and missing.json()["error"]["param"] == "amount"
    bad_type = await http.get("/v1/customers", params={"limit": "many"})
    assert bad_type.status_code == 400
    nowhere = await http.get("/v1/nonsense/xyz")
    assert nowhere.status_code == 404
    unauthenticated = await http.get("/v1/customers", headers={"Authorization": ""})
    assert unauthenticated.status_code == 401


async def test_state_stays_the_default() -> None:
    emulator = StripeEmulator(seed=5)
    assert emulator.stripe_mock is False
    async with httpx.AsyncClient(
        transport=emulator.transport(), base_url="https://api.stripe.com", headers=HEADERS
    ) as client:
        missing = await client.get("/v1/customers/cus_xxxxxxxxxxxxx")
        assert missing.status_code == 404


def _placeholder(param: str, kind: str | None) -> str:
    resource = kinds().get(kind or "")
    prefix = resource.prefix if resource is not None and resource.prefix else param[:3]
    return f"{prefix}_xxxxxxxxxxxxx"


def _path_of(op: Operation) -> str:
    parents = dict(op.parents)
    return re.sub(
        r"\{(\w+)\}", lambda m: _placeholder(m.group(1), parents.get(m.group(1), op.kind)), op.path
    )


def _params_of(op: Operation) -> dict[str, Any]:
    if op.op == "search":
        return {"query": "metadata['order']:'1'"}
    shape = SHAPES[OPERATION_SHAPES[operation_key(op.verb, op.path)]]
    return {name: _value(term) for name, term, required in shape if required}


def _value(term: Any) -> Any:
    """A value of the API's type for a parameter (stripe-mock checks nested keys too)."""
    if isinstance(term, str):
        return _VALUES.get(term, "xxx")
    if "lit" in term:
        return term["lit"][0]
    if "list" in term:
        return [_value(term["list"])]
    if "map" in term:
        return {"key": "value"}
    if "union" in term:
        return _value(next(m for m in term["union"] if m != {"lit": [""]}))
    fields = SHAPES[term["obj"]]
    chosen = [entry for entry in fields if entry[2]] or fields[:1]
    return {name: _value(inner) for name, inner, _ in chosen}


async def _call(client: httpx.AsyncClient, op: Operation) -> httpx.Response:
    form = encode_form(_params_of(op))
    path = _path_of(op)
    if op.verb == "POST":
        return await client.post(path, content=form)
    return await client.request(op.verb, path + ("?" + form if form else ""))


async def _replay(client: httpx.AsyncClient) -> collections.Counter[str]:
    outcomes: collections.Counter[str] = collections.Counter()
    for op in operations():
        response = await _call(client, op)
        reads = op.verb == "GET" and op.op in ("retrieve", "list", "search", "singleton_retrieve")
        if response.is_success:
            outcomes["2xx"] += 1
            outcomes["reads 2xx"] += reads
            body = response.json()
            items = body["data"] if body.get("object") in ("list", "search_result") else [body]
            assert items and all(item["object"] == op.kind for item in items), op.path
            for item in items:
                if not item.get("deleted"):
                    _parses(item)  # every object fits our typed model, no unknown fields
            if op.op in ("retrieve", "update") or "{" in op.path.rsplit("/", 1)[-1]:
                assert items[0]["id"] == _path_of(op).rsplit("/", 1)[-1], op.path
        else:
            assert not reads, (op.verb, op.path, response.text)
            assert response.json()["error"]["code"] == "emulator_unsupported", response.text
            outcomes["emulator_unsupported"] += 1
        outcomes["reads"] += reads
    return outcomes


async def test_every_operation_answers_placeholder_ids(http: httpx.AsyncClient) -> None:
    outcomes = await _replay(http)
    print(dict(outcomes), "of", len(operations()))
    # Measured: 557 of 558 answer 2xx (every GET retrieve, list and search among them);
    # `GET /v1/quotes/{quote}/pdf` answers a PDF, which the emulator does not make.
    assert outcomes["reads 2xx"] == outcomes["reads"] >= 230
    assert outcomes["2xx"] >= len(operations()) - 1


def _parses(obj: dict[str, Any]) -> None:
    model = models.model_for(obj["object"])
    assert model is not None, obj["object"]
    parsed = model.model_validate(obj)
    assert not parsed.model_extra, (obj["object"], sorted(parsed.model_extra or {}))


def test_the_cli_serves_port_12111_by_default() -> None:
    args = build_parser().parse_args(["emulator", "--stripe-mock"])
    assert (args.port, args.stripe_mock, args.host) == (12111, True, "127.0.0.1")
    assert build_parser().parse_args(["emulator"]).stripe_mock is False


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """`python -m stripe_async emulator --stripe-mock` on a free loopback port."""
    yield from serve_emulator("--stripe-mock")


async def test_the_served_stripe_mock_mode(served: str) -> None:
    async with httpx.AsyncClient(base_url=served, headers=HEADERS) as client:
        outcomes = await _replay(client)
        assert outcomes["reads 2xx"] == outcomes["reads"]
        refused = await client.get("/v1/customers", headers={"Host": "evil.example"})
        assert refused.status_code == 400  # the loopback-only front still guards it
    async with StripeClient(api_key=KEY, base_url=served, max_retries=0) as ours:
        intent = await ours.payment_intents.retrieve("pi_123")
        assert intent.id == "pi_123"


def test_stripe_python_against_stripe_mock_mode(served: str) -> None:
    client = stripe.StripeClient(KEY, base_addresses={"api": served}, max_network_retries=0)
    customer = client.v1.customers.retrieve("cus_xxxxxxxxxxxxx")
    assert isinstance(customer, stripe.Customer) and customer.id == "cus_xxxxxxxxxxxxx"
    made = client.v1.customers.create({"email": "sdk@example.com", "metadata": {"a": "1"}})
    assert made.email == "sdk@example.com" and made.metadata["a"] == "1"
    listed = client.v1.payment_intents.list({"limit": 3})
    assert len(listed.data) == 1 and isinstance(listed.data[0], stripe.PaymentIntent)
    found = client.v1.customers.search({"query": "email:'sdk@example.com'"})
    assert found.object == "search_result" and len(found.data) == 1
    deleted = client.v1.customers.delete("cus_123")
    assert deleted.deleted is True and deleted.id == "cus_123"
    captured = client.v1.payment_intents.capture("pi_123")
    assert captured.id == "pi_123"
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.customers.create({"emale": "typo@example.com"})  # type: ignore[typeddict-unknown-key]
    assert info.value.code == "parameter_unknown"


async def test_expand_makes_up_the_object_an_id_names(http: httpx.AsyncClient) -> None:
    charge = await _ok(
        http.post(
            "/v1/charges/ch_123",
            data={"customer": "cus_123", "expand[]": "customer"},
        )
    )
    assert (charge["customer"]["id"], charge["customer"]["object"]) == ("cus_123", "customer")
    subscription = await _ok(http.get("/v1/subscriptions/sub_1", params={"expand[]": "customer"}))
    assert subscription["customer"]["object"] == "customer"
    refused = await http.get("/v1/customers/cus_1", params={"expand[]": "metadata"})
    assert refused.status_code == 400
