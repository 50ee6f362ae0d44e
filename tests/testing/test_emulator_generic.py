"""Every v1 operation answers: modelled, generic with state, or a clear refusal.

The replay walks every operation in `scripts/api/v1.json` as a user would call
it: parameters built from its required ones (or what a user sends to the
hand-modelled creates), the parents its path names created first (stored with
`add_object` when only Stripe makes them), the object put in the state the call
is for (an invoice finalized before it is voided), then the call itself, against
the in-process emulator. No operation may answer "does not support"; what is not
modelled says `emulator_unsupported`; every object returned parses into its
typed model.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from emulator_replay import HEADERS, OPERATIONS, SHAPES, Outcomes, Replay, parses, replay
from served_emulator import serve_emulator

from stripe_async.testing import StripeEmulator


async def _replay(op: dict[str, Any]) -> httpx.Response:
    emulator = StripeEmulator(seed=1)
    async with httpx.AsyncClient(
        transport=emulator.transport(), base_url="https://api.stripe.com", headers=HEADERS
    ) as client:
        return await replay(Replay(client, emulator), op)


async def test_every_v1_operation_answers() -> None:
    outcomes = Outcomes()
    for op in OPERATIONS:
        outcomes.check(op, await _replay(op))
    outcomes.report()
    # Measured: 536 of 558 answer 2xx (96.1%), 20 emulator_unsupported; the other 2 are
    # errors right for the state (cancelling a refund that needs no action).
    assert outcomes.counts["2xx"] >= 0.95 * len(OPERATIONS)
    assert outcomes.counts["emulator_unsupported"] <= 20


@pytest.fixture
async def api() -> AsyncIterator[Replay]:
    emulator = StripeEmulator(seed=7)
    async with httpx.AsyncClient(
        transport=emulator.transport(), base_url="https://api.stripe.com", headers=HEADERS
    ) as client:
        yield Replay(client, emulator)


#: Generic resources: (collection, create params, id prefix).
GENERIC = [
    ("/v1/payouts", {"amount": 500, "currency": "USD"}, "po_"),
    ("/v1/payment_links", {"line_items": [{"price": "@price", "quantity": 1}]}, "plink_"),
    ("/v1/shipping_rates", {"display_name": "Ground", "type": "fixed_amount"}, "shr_"),
    ("/v1/entitlements/features", {"name": "Seats", "lookup_key": "seats"}, "feat_"),
    ("/v1/tax_ids", {"type": "eu_vat", "value": "DE123456789"}, "txi_"),
    ("/v1/terminal/locations", {"display_name": "HQ", "address": {"country": "US"}}, "tml_"),
    ("/v1/radar/value_lists", {"alias": "blocked", "name": "Blocked"}, "rsl_"),
]


@pytest.mark.parametrize(("collection", "params", "prefix"), GENERIC)
async def test_generic_crud_round_trip(
    api: Replay, collection: str, params: dict[str, Any], prefix: str
) -> None:
    made = [await api.ok("POST", collection, await api.resolve(params)) for _ in range(3)]
    missing = await api.send("GET", f"{collection}/{prefix}nope", {})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "resource_missing"
    for obj in made:
        assert obj["id"].startswith(prefix) and obj["livemode"] is False
        parses(obj)
    first, second, third = made
    response = await api.send("GET", f"{collection}/{first['id']}", {})
    assert response.json() == first
    assert response.headers["stripe-emulator-fidelity"] == "generic"
    # Newest first, limit and both cursors.
    page = await api.ok("GET", collection, {"limit": 2})
    assert [o["id"] for o in page["data"]] == [third["id"], second["id"]] and page["has_more"]
    rest = await api.ok("GET", collection, {"starting_after": second["id"]})
    assert [o["id"] for o in rest["data"]] == [first["id"]] and not rest["has_more"]
    before = await api.ok("GET", collection, {"ending_before": first["id"]})
    assert [o["id"] for o in before["data"]] == [third["id"], second["id"]]
    # Metadata merges; "" unsets one key (where the resource has metadata to update).
    if not _updates_metadata(collection):
        return
    await api.ok("POST", f"{collection}/{first['id']}", {"metadata": {"a": "1", "b": "2"}})
    updated = await api.ok("POST", f"{collection}/{first['id']}", {"metadata": {"a": ""}})
    assert updated["metadata"] == {"b": "2"}


def _updates_metadata(collection: str) -> bool:
    return any(
        op["method"] == "update"
        and op["path"].rsplit("/", 1)[0] == collection
        and any(name == "metadata" for name, _, _ in SHAPES[op["params"]])
        for op in OPERATIONS
    )


async def test_given_params_become_fields_and_delete_leaves_a_tombstone(api: Replay) -> None:
    rate = await api.ok(
        "POST", "/v1/tax_rates", {"display_name": "GST", "percentage": "10", "inclusive": False}
    )
    assert rate["display_name"] == "GST" and rate["percentage"] == 10.0
    payout = await api.ok("POST", "/v1/payouts", {"amount": 700, "currency": "EUR"})
    assert (payout["amount"], payout["currency"]) == (700, "eur")
    # A timestamp param the API also takes as "now" arrives as form text: stored as a time.
    where = {"country": "US", "country_options": {"us": {"state": "CA", "type": "state_sales_tax"}}}
    now = await api.ok("POST", "/v1/tax/registrations", {**where, "active_from": "now"})
    assert now["active_from"] == now["created"]
    later = await api.ok("POST", "/v1/tax/registrations", {**where, "active_from": 1_900_000_000})
    assert later["active_from"] == 1_900_000_000
    feature = await api.ok("POST", "/v1/entitlements/features", {"name": "A", "lookup_key": "a"})
    gone = await api.ok("POST", f"/v1/entitlements/features/{feature['id']}", {"active": False})
    assert gone["active"] is False
    tax_id = await api.ok("POST", "/v1/tax_ids", {"type": "eu_vat", "value": "DE1"})
    deleted = await api.ok("DELETE", f"/v1/tax_ids/{tax_id['id']}", {})
    assert deleted == {"id": tax_id["id"], "object": "tax_id", "deleted": True}
    assert (await api.send("GET", f"/v1/tax_ids/{tax_id['id']}", {})).status_code == 404


async def test_a_hash_param_sets_only_the_keys_it_names(api: Replay) -> None:
    account = await api.base("account")
    session = await api.ok(
        "POST",
        "/v1/account_sessions",
        {"account": account, "components": {"payments": {"enabled": True}}},
    )
    components = session["components"]
    assert components["payments"]["enabled"] is True
    assert components["payouts"]["enabled"] is False  # still there, as Stripe sends it
    parses(session)


async def test_sub_resources_live_under_their_parent(api: Replay) -> None:
    customer = await api.base("customer")
    tax_id = await api.ok(
        "POST", f"/v1/customers/{customer}/tax_ids", {"type": "eu_vat", "value": "DE2"}
    )
    assert tax_id["customer"] == customer
    listed = await api.ok("GET", f"/v1/customers/{customer}/tax_ids", {})
    assert [o["id"] for o in listed["data"]] == [tax_id["id"]]
    other = await api.ok("POST", "/v1/customers", {"email": "other@example.com"})
    empty = await api.ok("GET", f"/v1/customers/{other['id']}/tax_ids", {})
    assert empty["data"] == []
    nobody = await api.send("GET", "/v1/customers/cus_nobody/tax_ids", {})
    assert nobody.status_code == 404


async def test_actions_move_status_or_refuse(api: Replay) -> None:
    payout = await api.ok("POST", "/v1/payouts", {"amount": 500, "currency": "usd"})
    canceled = await api.ok("POST", f"/v1/payouts/{payout['id']}/cancel", {})
    assert canceled["status"] == "canceled"
    again = await api.send("POST", f"/v1/payouts/{payout['id']}/cancel", {})
    assert again.status_code == 400
    # A pending payout is not reversed (only a paid one is): Stripe's 400, not a refusal.
    pending = await api.ok("POST", "/v1/payouts", {"amount": 500, "currency": "usd"})
    early = await api.send("POST", f"/v1/payouts/{pending['id']}/reverse", {})
    assert early.status_code == 400 and early.json()["error"].get("code") is None
    assert "only reverse payouts with a status of paid" in early.json()["error"]["message"]
    refund = await api.ok("POST", "/v1/refunds", {"charge": await api.base("charge")})
    refused = await api.send("POST", f"/v1/test_helpers/refunds/{refund['id']}/expire", {})
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "emulator_unsupported"
    assert "POST /v1/test_helpers/refunds/{refund}/expire" in error["message"]
    assert refused.headers["stripe-emulator-fidelity"] == "generic"
    meter = await api.ok(
        "POST",
        "/v1/billing/meters",
        {"display_name": "M", "event_name": "m", "default_aggregation": {"formula": "sum"}},
    )
    off = await api.ok("POST", f"/v1/billing/meters/{meter['id']}/deactivate", {})
    assert off["status"] == "inactive"


async def test_modelled_routes_keep_priority_and_say_so(api: Replay) -> None:
    response = await api.send("POST", "/v1/customers", {"email": "m@example.com"})
    assert response.headers["stripe-emulator-fidelity"] == "modelled"
    failed = await api.send("GET", "/v1/customers/cus_nope", {})
    assert failed.headers["stripe-emulator-fidelity"] == "modelled"
    account = await api.ok("GET", "/v1/account", {})
    assert account["object"] == "account"
    assert (await api.ok("GET", "/v1/account", {}))["id"] == account["id"]


async def test_stripe_account_scopes_generic_objects(api: Replay) -> None:
    connected = await api.base("account")
    rate = await api.ok(
        "POST", "/v1/tax_rates", {"display_name": "VAT", "percentage": "5", "inclusive": True}
    )
    response = await api.client.get(
        f"/v1/tax_rates/{rate['id']}", headers={"Stripe-Account": connected}
    )
    assert response.status_code == 404
    listed = await api.client.get("/v1/tax_rates", headers={"Stripe-Account": connected})
    assert listed.json()["data"] == []


async def test_small_models_of_actions(api: Replay) -> None:
    reader = api.emulator.add_object("terminal.reader", action=None)
    idle = await api.send("POST", f"/v1/terminal/readers/{reader['id']}/cancel_action", {})
    assert idle.status_code == 400
    busy = await api.ok(
        "POST",
        f"/v1/terminal/readers/{reader['id']}/process_payment_intent",
        {"payment_intent": await api.base("payment_intent")},
    )
    assert busy["action"]["status"] == "in_progress"
    again = await api.send("POST", f"/v1/terminal/readers/{reader['id']}/set_reader_display", {})
    assert again.status_code in (400, 409)
    done = await api.ok(
        "POST", f"/v1/test_helpers/terminal/readers/{reader['id']}/present_payment_method", {}
    )
    assert done["action"]["status"] == "succeeded"
    parses(done)
    card = api.emulator.add_object("issuing.card", shipping={"status": "pending", "name": "A"})
    shipped = await api.ok("POST", f"/v1/test_helpers/issuing/cards/{card['id']}/shipping/ship", {})
    assert shipped["shipping"]["status"] == "shipped"
    review = api.emulator.add_object("review", open=True)
    approved = await api.ok("POST", f"/v1/reviews/{review['id']}/approve", {})
    assert approved["open"] is False and approved["closed_reason"] == "approved"


async def test_add_object_stores_what_only_stripe_makes(api: Replay) -> None:
    charge = await api.base("charge")
    dispute = api.emulator.add_object("dispute", charge=charge, status="needs_response")
    assert dispute["id"].startswith("dp_") and dispute["charge"] == charge
    parses(dispute)
    fetched = await api.ok("GET", f"/v1/disputes/{dispute['id']}", {})
    assert fetched == dispute
    closed = await api.ok("POST", f"/v1/disputes/{dispute['id']}/close", {})
    assert closed["status"] == "lost"
    listed = await api.ok("GET", "/v1/disputes", {"charge": charge})
    assert [d["id"] for d in listed["data"]] == [dispute["id"]]
    with pytest.raises(ValueError, match="no object kind"):
        api.emulator.add_object("nonsense")


async def test_generic_changes_send_stripes_events(api: Replay) -> None:
    payout = await api.ok("POST", "/v1/payouts", {"amount": 500, "currency": "usd"})
    await api.ok("POST", f"/v1/payouts/{payout['id']}/cancel", {})
    rate = await api.ok(
        "POST", "/v1/tax_rates", {"display_name": "VAT", "percentage": "5", "inclusive": False}
    )
    await api.ok("POST", f"/v1/tax_rates/{rate['id']}", {"display_name": "TVA"})
    events = {e["type"]: e for e in api.emulator.events() if e["type"].split(".")[0] != "charge"}
    assert {"payout.created", "payout.canceled", "tax_rate.created", "tax_rate.updated"} <= set(
        events
    )
    assert events["payout.canceled"]["data"]["previous_attributes"]["status"] != "canceled"
    assert events["tax_rate.updated"]["data"]["previous_attributes"] == {"display_name": "VAT"}


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """`python -m stripe_async emulator` on a 127.0.0.1 port."""
    yield from serve_emulator("--seed", "3")


async def test_the_served_emulator_answers_generic_operations(served: str) -> None:
    async with httpx.AsyncClient(base_url=served, headers=HEADERS) as client:
        replay = Replay(client, StripeEmulator())  # the in-process one stays unused
        rate = await replay.ok(
            "POST", "/v1/shipping_rates", {"display_name": "Ground", "type": "fixed_amount"}
        )
        response = await replay.send("GET", f"/v1/shipping_rates/{rate['id']}", {})
        assert response.json() == rate
        assert response.headers["stripe-emulator-fidelity"] == "generic"
        refused = await replay.send("POST", f"/v1/test_helpers/refunds/re_{'x' * 24}/expire", {})
        assert refused.status_code == 404  # no such refund: checked before the refusal
        refund = await replay.ok("POST", "/v1/refunds", {"charge": await replay.base("charge")})
        refused = await replay.send("POST", f"/v1/test_helpers/refunds/{refund['id']}/expire", {})
        assert refused.json()["error"]["code"] == "emulator_unsupported"
        modelled = await replay.send("GET", "/v1/customers", {})
        assert modelled.headers["stripe-emulator-fidelity"] == "modelled"
