"""Stripe's HTTP semantics: auth, parameter errors, idempotency, pagination, search, expand."""

from __future__ import annotations

import base64
import logging
from typing import Any

import httpx
import pytest

from stripe_async import (
    AuthenticationError,
    IdempotencyError,
    InvalidRequestError,
    NotFoundError,
    StripeClient,
)
from stripe_async.testing import StripeEmulator


async def _send(emulator: StripeEmulator, method: str, path: str, **kw: Any) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=emulator.transport(), base_url="https://api.stripe.com"
    ) as client:
        return await client.request(method, path, **kw)


# --- authentication -----------------------------------------------------------


async def test_missing_key_is_401_with_request_id(stripe_emulator: StripeEmulator) -> None:
    response = await _send(stripe_emulator, "GET", "/v1/customers")
    assert response.status_code == 401
    assert response.headers["request-id"].startswith("req_")
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert "did not provide an API key" in error["message"]


@pytest.mark.parametrize(
    "header", ["Bearer not_a_key", "Bearer sk_test_", "Token sk_test_abc", "Bearer sk_test_a b"]
)
async def test_malformed_keys_are_401(stripe_emulator: StripeEmulator, header: str) -> None:
    response = await _send(
        stripe_emulator, "GET", "/v1/customers", headers={"Authorization": header}
    )
    assert response.status_code == 401


async def test_basic_auth_like_curl_u(stripe_emulator: StripeEmulator) -> None:
    token = base64.b64encode(b"sk_test_emulator:").decode()
    response = await _send(
        stripe_emulator, "GET", "/v1/customers", headers={"Authorization": f"Basic {token}"}
    )
    assert response.status_code == 200


async def test_invalid_key_message_never_echoes_the_key(stripe_emulator: StripeEmulator) -> None:
    response = await _send(
        stripe_emulator,
        "GET",
        "/v1/customers",
        headers={"Authorization": "Bearer sk_tset_0123456789abcdef"},
    )
    assert response.status_code == 401
    assert "0123456789abcdef" not in response.text


async def test_live_key_is_refused(stripe_emulator: StripeEmulator) -> None:
    async with StripeClient(
        api_key="sk_live_0123456789", transport=stripe_emulator.transport(), max_retries=0
    ) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.customers.create(email="x@example.com")
    assert info.value.http_status == 401
    assert "test-mode only" in info.value.message
    assert info.value.code == "livemode_mismatch"
    assert stripe_emulator.events() == []


async def test_publishable_key_is_refused(stripe_emulator: StripeEmulator) -> None:
    response = await _send(
        stripe_emulator, "GET", "/v1/customers", headers={"Authorization": "Bearer pk_test_abc"}
    )
    assert response.status_code == 401
    assert "publishable" in response.json()["error"]["message"]


# --- parameters and lookups -----------------------------------------------------


async def test_unknown_parameter_is_named(stripe_client: StripeClient) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.customers.create(emial="typo@example.com")  # type: ignore[call-arg]
    assert info.value.http_status == 400
    assert info.value.code == "parameter_unknown"
    assert info.value.param == "emial"
    assert info.value.message == "Received unknown parameter: emial"


async def test_unknown_nested_parameter_is_named(raw: Any) -> None:
    response = await raw.post(
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 100,
            "product_data[name]": "x",
            "product_data[colour]": "red",
        },
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "product_data[colour]"


async def test_missing_required_parameter_is_named(stripe_client: StripeClient) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.create(
            currency="usd", automatic_payment_methods={"enabled": True, "allow_redirects": "never"}
        )  # type: ignore[call-arg]
    assert info.value.code == "parameter_missing"
    assert info.value.param == "amount"
    assert info.value.message == "Missing required param: amount."


async def test_missing_nested_required_parameter(raw: Any) -> None:
    response = await raw.post(
        "/v1/prices",
        {
            "currency": "usd",
            "unit_amount": 100,
            "product_data[name]": "x",
            "recurring[interval_count]": 2,
        },
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["param"]) == ("parameter_missing", "recurring[interval]")


async def test_invalid_integer_and_enum(raw: Any) -> None:
    response = await raw.post("/v1/payment_intents", {"amount": "ten", "currency": "usd"})
    assert response.json()["error"]["code"] == "parameter_invalid_integer"
    response = await raw.post(
        "/v1/payment_intents", {"amount": 100, "currency": "usd", "capture_method": "later"}
    )
    error = response.json()["error"]
    assert error["param"] == "capture_method" and "must be one of" in error["message"]


async def test_unknown_object_is_404_resource_missing(stripe_client: StripeClient) -> None:
    with pytest.raises(NotFoundError) as info:
        await stripe_client.customers.retrieve("cus_nope")
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.message == "No such customer: 'cus_nope'"
    assert info.value.param == "id"


async def test_unrecognized_url(raw: Any) -> None:
    response = await raw.get("/v1/nothing_here")
    assert response.status_code == 404
    assert "Unrecognized request URL (GET: /v1/nothing_here)" in response.json()["error"]["message"]
    assert response.headers["request-id"].startswith("req_")


async def test_every_reply_has_a_request_id_and_version(raw: Any) -> None:
    ok = await raw.post("/v1/customers", {"email": "a@example.com"})
    bad = await raw.post("/v1/customers", {"nope": "1"})
    ids = {ok.headers["request-id"], bad.headers["request-id"]}
    assert len(ids) == 2 and all(i.startswith("req_") for i in ids)
    assert ok.headers["stripe-version"]


async def test_deleted_customer_is_still_retrievable_as_deleted(
    stripe_client: StripeClient,
) -> None:
    customer = await stripe_client.customers.create(email="gone@example.com")
    deleted = await stripe_client.customers.delete(customer.id)
    assert deleted.deleted is True and deleted.id == customer.id
    again = await stripe_client.customers.retrieve(customer.id)
    assert again.to_dict().get("deleted") is True
    page = await stripe_client.customers.list()
    assert customer.id not in [c.id for c in page.data]


async def test_update_and_metadata_semantics(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = await stripe_client.customers.create(
        email="a@example.com", metadata={"plan": "gold", "ref": "x"}
    )
    updated = await stripe_client.customers.update(
        customer.id, metadata={"ref": "", "team": "blue"}, description="VIP"
    )
    assert updated.metadata == {"plan": "gold", "team": "blue"}
    cleared = await stripe_client.customers.update(customer.id, metadata="")
    assert cleared.metadata == {}
    event = stripe_emulator.events("customer.updated")[0]
    assert event["data"]["previous_attributes"]["description"] is None
    assert event["data"]["previous_attributes"]["metadata"] == {"plan": "gold", "ref": "x"}


# --- idempotency ----------------------------------------------------------------


async def test_idempotent_replay(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    first = await stripe_client.customers.create(email="once@example.com", idempotency_key="k1")
    second = await stripe_client.customers.create(email="once@example.com", idempotency_key="k1")
    assert first.id == second.id
    assert second.last_response is not None and second.last_response.idempotent_replayed
    assert first.last_response is not None and not first.last_response.idempotent_replayed
    assert len(stripe_emulator.events("customer.created")) == 1


async def test_idempotency_key_reused_with_other_params(stripe_client: StripeClient) -> None:
    await stripe_client.customers.create(email="once@example.com", idempotency_key="k2")
    with pytest.raises(IdempotencyError) as info:
        await stripe_client.customers.create(email="other@example.com", idempotency_key="k2")
    assert info.value.http_status == 400
    assert info.value.type == "idempotency_error"
    assert "same parameters" in info.value.message


async def test_idempotency_key_reused_on_another_endpoint(stripe_client: StripeClient) -> None:
    await stripe_client.customers.create(idempotency_key="k3")
    with pytest.raises(IdempotencyError, match="same endpoint"):
        await stripe_client.payment_intents.create(
            amount=100,
            currency="usd",
            idempotency_key="k3",
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )


async def test_card_errors_are_replayed_but_validation_errors_are_not(
    stripe_client: StripeClient, raw: Any
) -> None:
    data = {
        "amount": 1000,
        "currency": "usd",
        "payment_method": "pm_card_chargeDeclined",
        "confirm": "true",
        "return_url": "https://example.com/return",
    }
    first = await raw.post("/v1/payment_intents", data, headers={"Idempotency-Key": "d1"})
    second = await raw.post("/v1/payment_intents", data, headers={"Idempotency-Key": "d1"})
    assert first.status_code == second.status_code == 402
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json() == second.json()
    bad = await raw.post("/v1/customers", {"nope": "1"}, headers={"Idempotency-Key": "d2"})
    assert bad.status_code == 400
    good = await raw.post("/v1/customers", {"nope": "1"}, headers={"Idempotency-Key": "d2"})
    assert "idempotent-replayed" not in good.headers


# --- pagination -------------------------------------------------------------------


async def test_pagination_forwards_and_backwards(stripe_client: StripeClient) -> None:
    made = [await stripe_client.customers.create(email=f"c{i}@example.com") for i in range(7)]
    newest_first = [c.id for c in reversed(made)]
    page = await stripe_client.customers.list(limit=3)
    assert [c.id for c in page.data] == newest_first[:3] and page.has_more
    assert page.url == "/v1/customers"
    page2 = await stripe_client.customers.list(limit=3, starting_after=page.data[-1].id)
    assert [c.id for c in page2.data] == newest_first[3:6] and page2.has_more
    page3 = await stripe_client.customers.list(limit=3, starting_after=page2.data[-1].id)
    assert [c.id for c in page3.data] == newest_first[6:] and not page3.has_more
    back = await stripe_client.customers.list(limit=2, ending_before=page3.data[0].id)
    assert [c.id for c in back.data] == newest_first[4:6] and back.has_more
    back2 = await stripe_client.customers.list(limit=5, ending_before=back.data[0].id)
    assert [c.id for c in back2.data] == newest_first[:4] and not back2.has_more
    every = [c.id async for c in stripe_client.customers.list(limit=2)]
    assert every == newest_first


@pytest.mark.parametrize("limit", ["0", "101", "-1", "many"])
async def test_limit_must_be_1_to_100(raw: Any, limit: str) -> None:
    response = await raw.get("/v1/customers", {"limit": limit})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "limit"


async def test_cursor_errors(raw: Any) -> None:
    await raw.ok("POST", "/v1/customers", {})
    response = await raw.get("/v1/customers", {"starting_after": "cus_unknown"})
    assert response.status_code == 404
    assert response.json()["error"]["param"] == "starting_after"
    response = await raw.get("/v1/customers", {"starting_after": "a", "ending_before": "b"})
    assert response.status_code == 400


async def test_list_filters_by_email_and_created(raw: Any, stripe_emulator: StripeEmulator) -> None:
    await raw.ok("POST", "/v1/customers", {"email": "x@example.com"})
    stripe_emulator.clock.advance(60)  # type: ignore[attr-defined]
    later = await raw.ok("POST", "/v1/customers", {"email": "y@example.com"})
    found = await raw.ok("GET", "/v1/customers", {"email": "y@example.com"})
    assert [c["id"] for c in found["data"]] == [later["id"]]
    recent = await raw.ok("GET", "/v1/customers", {"created[gt]": later["created"] - 1})
    assert [c["id"] for c in recent["data"]] == [later["id"]]


# --- search -----------------------------------------------------------------------


async def _search(raw: Any, path: str, query: str, **extra: Any) -> Any:
    return await raw.get(path, {"query": query, **extra})


async def test_search_customers(raw: Any) -> None:
    a = await raw.ok(
        "POST",
        "/v1/customers",
        {"email": "ann@example.com", "name": "Ann Lee", "metadata[tier]": "gold"},
    )
    b = await raw.ok(
        "POST",
        "/v1/customers",
        {"email": "bob@example.com", "name": "Bob", "metadata[tier]": "silver"},
    )

    async def ids(query: str) -> list[str]:
        response = await _search(raw, "/v1/customers/search", query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["object"] == "search_result" and body["url"] == "/v1/customers/search"
        return [c["id"] for c in body["data"]]

    assert await ids("email:'ANN@example.com'") == [a["id"]]
    assert await ids("metadata['tier']:'silver'") == [b["id"]]
    assert await ids('name~"lee"') == [a["id"]]
    assert await ids("email:'ann@example.com' OR email:'bob@example.com'") == [b["id"], a["id"]]
    assert await ids("email:'ann@example.com' AND metadata['tier']:'silver'") == []
    assert await ids("-metadata['tier']:'gold'") == [b["id"]]
    assert await ids(f"created>={a['created']} AND name:'Bob'") == [b["id"]]


async def test_search_numeric_comparisons(stripe_client: StripeClient, raw: Any) -> None:
    for amount in (500, 1500, 2500):
        await stripe_client.payment_intents.create(
            amount=amount,
            currency="usd",
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )

    async def amounts(query: str) -> list[int]:
        body = (await _search(raw, "/v1/payment_intents/search", query)).json()
        return sorted(p["amount"] for p in body["data"])

    assert await amounts("amount>1000") == [1500, 2500]
    assert await amounts("amount<1500") == [500]
    assert await amounts("amount>=1500 AND amount<=1500") == [1500]
    assert await amounts("status:'requires_payment_method' AND -amount:500") == [1500, 2500]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("email:'a' AND name:'b' OR phone:'c'", "cannot combine"),
        ("colour:'red'", "unsupported search field"),
        ("email", "could not parse"),
        ("email:'a' AND", "could not parse"),
        ("name~'ab'", "could not parse"),
    ],
)
async def test_search_errors(raw: Any, query: str, fragment: str) -> None:
    response = await _search(raw, "/v1/customers/search", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "query"
    assert fragment in error["message"]


async def test_search_pages_and_total_count(raw: Any) -> None:
    for i in range(5):
        await raw.ok(
            "POST",
            "/v1/payment_intents",
            {"amount": 1000 + i, "currency": "usd", "metadata[batch]": "b1"},
        )
    first = (
        await _search(
            raw,
            "/v1/payment_intents/search",
            "metadata['batch']:'b1'",
            limit=2,
            **{"expand[]": "total_count"},
        )
    ).json()
    assert len(first["data"]) == 2 and first["has_more"] and first["total_count"] == 5
    seen = [p["id"] for p in first["data"]]
    page = first
    while page["has_more"]:
        page = (
            await _search(
                raw,
                "/v1/payment_intents/search",
                "metadata['batch']:'b1'",
                limit=2,
                page=page["next_page"],
            )
        ).json()
        seen += [p["id"] for p in page["data"]]
    assert len(set(seen)) == 5 and page["next_page"] is None


# --- expand -------------------------------------------------------------------------


async def test_expand_nested_and_in_lists(raw: Any) -> None:
    customer = await raw.ok("POST", "/v1/customers", {"email": "e@example.com"})
    await raw.ok(
        "POST",
        "/v1/payment_intents",
        {
            "amount": 1000,
            "currency": "usd",
            "customer": customer["id"],
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "payment_method_types[]": "card",
        },
    )
    charges = await raw.ok(
        "GET", "/v1/charges", {"expand[]": ["data.customer", "data.payment_intent"]}
    )
    charge = charges["data"][0]
    assert charge["customer"]["email"] == "e@example.com"
    assert charge["payment_intent"]["object"] == "payment_intent"
    response = await raw.get(f"/v1/customers/{customer['id']}", {"expand[]": "email"})
    assert response.status_code == 400
    assert "param" not in response.json()["error"]  # Stripe names no param here


async def test_publishable_key_confirms_with_the_client_secret(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    """What Stripe.js does in a browser: only the client_secret authorizes the call."""
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    pk = {"Authorization": "Bearer pk_test_browser"}
    wrong = await _send(
        stripe_emulator,
        "POST",
        f"/v1/payment_intents/{pi.id}/confirm",
        headers=pk,
        data={"payment_method": "pm_card_visa", "client_secret": "pi_x_secret_y"},
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["param"] == "client_secret"
    missing = await _send(stripe_emulator, "GET", f"/v1/payment_intents/{pi.id}", headers=pk)
    assert missing.status_code == 400
    pm = await _send(
        stripe_emulator,
        "POST",
        "/v1/payment_methods",
        headers=pk,
        data={"type": "card", "card[token]": "tok_visa"},
    )
    assert pm.status_code == 200
    confirmed = await _send(
        stripe_emulator,
        "POST",
        f"/v1/payment_intents/{pi.id}/confirm",
        headers=pk,
        data={"payment_method": pm.json()["id"], "client_secret": pi.client_secret},
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "succeeded"
    refused = await _send(
        stripe_emulator, "POST", "/v1/refunds", headers=pk, data={"payment_intent": pi.id}
    )
    assert refused.status_code == 401


async def test_cors_preflight(stripe_emulator: StripeEmulator) -> None:
    response = await _send(stripe_emulator, "OPTIONS", "/v1/payment_intents/pi_1/confirm")
    assert response.status_code == 204
    # Never `*`: the served front answers preflights, for the origins it lets in
    # (tests/testing/test_emulator_served_local.py).
    assert "access-control-allow-origin" not in response.headers
    assert "POST" in response.headers["allow"]


@pytest.mark.parametrize(("method", "path"), [("DELETE", "/v1/customers/cus_1/x")])
async def test_stripe_endpoints_not_emulated_say_so(raw: Any, method: str, path: str) -> None:
    response = await raw.client.request(method, path)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith(f"The Stripe emulator does not support {method} {path}:")
    assert "Unrecognized" not in error["message"]


async def test_logs_show_the_emulator_not_stripe(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    async with StripeClient.for_emulator(StripeEmulator(seed=3)) as stripe:
        await stripe.customers.create(email="log@example.com")
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert lines and all("https://stripe-emulator.invalid/v1/customers" in line for line in lines)
    assert not any("api.stripe.com" in line for line in lines)
