"""Edge cases of the pieces: form parsing, parameter kinds, search syntax, updates, CLI."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from stripe_async import StripeClient
from stripe_async.testing import StripeEmulator, cli
from stripe_async.testing._errors import EmulatorError
from stripe_async.testing._form import parse_form
from stripe_async.testing._params import BOOL, CREATED, METADATA, Decimal, Int, ListOf, Obj, Str
from stripe_async.testing._search import parse_query


def test_form_parsing_of_brackets() -> None:
    parsed = parse_form(
        "items[0][price]=p1&items[1][price]=p2&expand[]=a&expand[]=b&metadata[1]=x&name=Jo+Ann"
    )
    assert parsed == {
        "items": {"0": {"price": "p1"}, "1": {"price": "p2"}},
        "expand": ["a", "b"],
        "metadata": {"1": "x"},
        "name": "Jo Ann",
    }
    assert ListOf(Obj({"price": Str()})).coerce(parsed["items"], "items") == [
        {"price": "p1"},
        {"price": "p2"},
    ]
    assert METADATA.coerce(parsed["metadata"], "metadata") == {"1": "x"}


@pytest.mark.parametrize(
    "text", ["[a]=1", "a[b=1", "a=1&a[b]=2", "a[b]=1&a=2", "a[][b]=1&a[x]=2", "a[b][]=1&a[b][c]=2"]
)
def test_form_parsing_rejects_malformed_keys(text: str) -> None:
    with pytest.raises(EmulatorError):
        parse_form(text)


def test_parameter_kinds() -> None:
    assert Int(minimum=1).coerce("7", "n") == 7
    assert Int().coerce("", "n") is None
    with pytest.raises(EmulatorError, match="greater than or equal to 1"):
        Int(minimum=1).coerce("0", "n")
    with pytest.raises(EmulatorError, match="less than or equal to 5"):
        Int(maximum=5).coerce("6", "n")
    assert BOOL.coerce("true", "b") is True and BOOL.coerce("false", "b") is False
    with pytest.raises(EmulatorError, match="Invalid boolean"):
        BOOL.coerce("yes", "b")
    assert Decimal().coerce("12.5", "d") == "12.5"
    with pytest.raises(EmulatorError):
        Decimal().coerce("nan", "d")
    with pytest.raises(EmulatorError):
        Decimal().coerce("abc", "d")
    assert CREATED.coerce("5", "created") == 5
    assert CREATED.coerce({"gte": "5"}, "created") == {"gte": 5}
    with pytest.raises(EmulatorError):
        CREATED.coerce({"after": "5"}, "created")
    with pytest.raises(EmulatorError, match="Invalid hash"):
        Obj({}).coerce(["x"], "o")
    with pytest.raises(EmulatorError, match="Invalid array"):
        ListOf(Str()).coerce({"a": "x"}, "l")
    assert ListOf(Str()).coerce("one", "l") == ["one"]
    with pytest.raises(EmulatorError, match="at most 3"):
        Str(max_length=3).coerce("abcd", "s")
    with pytest.raises(EmulatorError, match="must be a string"):
        Str().coerce({"a": "b"}, "s")
    with pytest.raises(EmulatorError, match="50 keys"):
        METADATA.coerce({str(i): "v" for i in range(51)}, "metadata")
    with pytest.raises(EmulatorError):
        METADATA.coerce({"k" * 41: "v"}, "metadata")
    with pytest.raises(EmulatorError):
        METADATA.coerce({"k": "v" * 501}, "metadata")
    with pytest.raises(EmulatorError):
        METADATA.coerce({"k": {"nested": "x"}}, "metadata")


def test_query_parser() -> None:
    joiner, clauses = parse_query("amount>=100 AND metadata[\"k\"]:'v' AND -status:null")
    assert joiner == "AND"
    assert [(c.field, c.op, c.value, c.negated) for c in clauses] == [
        ("amount", ">=", 100.0, False),
        ("metadata", ":", "v", False),
        ("status", ":", None, True),
    ]
    assert parse_query("name:'O\\'Brien'")[1][0].value == "O'Brien"
    for bad in ("", "amount>'x'", "email:unquoted", "name['k']:'v'", "a:'b' c:'d'", "email:'x' ~"):
        with pytest.raises(EmulatorError):
            parse_query(bad)


async def test_search_null_and_invalid_page(raw: Any) -> None:
    with_name = await raw.ok("POST", "/v1/customers", {"name": "Named"})
    without = await raw.ok("POST", "/v1/customers", {})
    body = await raw.ok("GET", "/v1/customers/search", {"query": "name:null"})
    assert [c["id"] for c in body["data"]] == [without["id"]]
    body = await raw.ok("GET", "/v1/customers/search", {"query": "-name:null"})
    assert [c["id"] for c in body["data"]] == [with_name["id"]]
    response = await raw.get("/v1/customers/search", {"query": "name:null", "page": "bogus!"})
    assert response.json()["error"]["param"] == "page"


async def test_customer_update_paths(raw: Any, stripe_emulator: StripeEmulator) -> None:
    customer = await raw.ok("POST", "/v1/customers", {"email": "u@example.com"})
    pm = await raw.ok(
        "POST", "/v1/payment_methods/pm_card_visa/attach", {"customer": customer["id"]}
    )
    updated = await raw.ok(
        "POST",
        f"/v1/customers/{customer['id']}",
        {
            "invoice_settings[default_payment_method]": pm["id"],
            "address[city]": "Paris",
            "source": "tok_visa",
        },
    )
    assert updated["invoice_settings"]["default_payment_method"] == pm["id"]
    assert updated["address"]["city"] == "Paris" and updated["default_source"].startswith("card_")
    response = await raw.post(
        f"/v1/customers/{customer['id']}",
        {"invoice_settings[default_payment_method]": "pm_unknown"},
    )
    assert response.json()["error"]["param"] == "invoice_settings[default_payment_method]"
    response = await raw.post(f"/v1/customers/{customer['id']}", {"default_source": "card_nope"})
    assert response.status_code == 404
    # Detaching the default clears it, with a customer.updated event.
    await raw.ok("POST", f"/v1/payment_methods/{pm['id']}/detach")
    after = await raw.ok("GET", f"/v1/customers/{customer['id']}")
    assert after["invoice_settings"]["default_payment_method"] is None
    response = await raw.post("/v1/customers", {"invoice_settings[default_payment_method]": "pm_x"})
    assert response.status_code == 400


async def test_payment_method_update_and_errors(raw: Any) -> None:
    pm = await raw.ok("POST", "/v1/payment_methods", {"type": "card", "card[token]": "tok_visa"})
    updated = await raw.ok(
        "POST",
        f"/v1/payment_methods/{pm['id']}",
        {
            "billing_details[address][city]": "Lyon",
            "billing_details[email]": "pm@example.com",
            "card[exp_year]": 2040,
            "metadata[k]": "v",
        },
    )
    assert updated["billing_details"]["address"]["city"] == "Lyon"
    assert updated["billing_details"]["email"] == "pm@example.com"
    assert updated["card"]["exp_year"] == 2040 and updated["metadata"] == {"k": "v"}
    for data, code in (
        ({"card[token]": "tok_visa"}, "parameter_missing"),
        ({"type": "card"}, "parameter_missing"),
        ({"type": "card", "card[token]": "tok_nope"}, "resource_missing"),
    ):
        response = await raw.post("/v1/payment_methods", data)
        assert response.json()["error"]["code"] == code
    response = await raw.post(f"/v1/payment_methods/{pm['id']}/detach")
    assert response.json()["error"]["code"] == "payment_method_unexpected_state"
    response = await raw.get("/v1/payment_methods/pm_missing")
    assert response.status_code == 404


async def test_payment_intent_update_rules(stripe_client: StripeClient, raw: Any) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    updated = await raw.ok(
        "POST",
        f"/v1/payment_intents/{pi.id}",
        {"amount": 1200, "currency": "EUR", "description": "d"},
    )
    assert (updated["amount"], updated["currency"]) == (1200, "eur")
    await stripe_client.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    response = await raw.post(f"/v1/payment_intents/{pi.id}", {"amount": 5000})
    assert response.json()["error"]["code"] == "payment_intent_unexpected_state"
    ok = await raw.ok("POST", f"/v1/payment_intents/{pi.id}", {"metadata[order]": "42"})
    assert ok["metadata"] == {"order": "42"}
    response = await raw.get(f"/v1/payment_intents/{pi.id}", {"client_secret": "wrong"})
    assert response.status_code == 400
    response = await raw.post(
        "/v1/payment_intents",
        {
            "amount": 1000,
            "currency": "usd",
            "payment_method_types[]": "card",
            "automatic_payment_methods[enabled]": "true",
        },
    )
    assert response.json()["error"]["code"] == "parameters_exclusive"


async def test_attached_payment_method_needs_its_customer(
    stripe_client: StripeClient, raw: Any
) -> None:
    customer = await raw.ok("POST", "/v1/customers", {})
    pm = await raw.ok(
        "POST", "/v1/payment_methods/pm_card_visa/attach", {"customer": customer["id"]}
    )
    response = await raw.post(
        "/v1/payment_intents", {"amount": 1000, "currency": "usd", "payment_method": pm["id"]}
    )
    assert response.json()["error"]["param"] == "payment_method"


async def test_invoice_updates(raw: Any) -> None:
    customer = await raw.ok("POST", "/v1/customers", {"payment_method": "pm_card_visa"})
    pm_id = (await raw.ok("GET", f"/v1/customers/{customer['id']}/payment_methods"))["data"][0][
        "id"
    ]
    invoice = await raw.ok(
        "POST",
        "/v1/invoices",
        {"customer": customer["id"], "default_payment_method": pm_id, "auto_advance": "true"},
    )
    assert invoice["automatically_finalizes_at"] == invoice["created"] + 3600
    updated = await raw.ok(
        "POST",
        f"/v1/invoices/{invoice['id']}",
        {"collection_method": "send_invoice", "days_until_due": 10, "footer": "Thanks"},
    )
    assert updated["collection_method"] == "send_invoice" and updated["footer"] == "Thanks"
    response = await raw.post("/v1/invoices", {"customer": customer["id"], "days_until_due": 3})
    assert response.json()["error"]["param"] == "days_until_due"
    response = await raw.post(
        "/v1/invoices", {"customer": customer["id"], "default_payment_method": "pm_other"}
    )
    assert response.json()["error"]["param"] == "default_payment_method"
    item = await raw.ok(
        "POST",
        "/v1/invoiceitems",
        {"customer": customer["id"], "invoice": invoice["id"], "amount": 300, "currency": "usd"},
    )
    item = await raw.ok("POST", f"/v1/invoiceitems/{item['id']}", {"amount": 400})
    refreshed = await raw.ok("GET", f"/v1/invoices/{invoice['id']}")
    assert refreshed["total"] == 400
    await raw.ok("DELETE", f"/v1/invoiceitems/{item['id']}")
    assert (await raw.ok("GET", f"/v1/invoices/{invoice['id']}"))["total"] == 0
    finalized = await raw.ok("POST", f"/v1/invoices/{invoice['id']}/finalize")
    assert finalized["status"] == "paid"  # nothing to pay
    again = await raw.post(f"/v1/invoices/{invoice['id']}/finalize")
    assert again.json()["error"]["code"] == "invoice_not_editable"
    late = await raw.post(
        "/v1/invoiceitems", {"customer": customer["id"], "invoice": invoice["id"], "amount": 1}
    )
    assert late.json()["error"]["code"] == "invoice_not_editable"


async def test_product_and_price_updates(raw: Any, stripe_emulator: StripeEmulator) -> None:
    product = await raw.ok("POST", "/v1/products", {"name": "P", "id": "prod_custom"})
    assert product["id"] == "prod_custom"
    dup = await raw.post("/v1/products", {"name": "P", "id": "prod_custom"})
    assert dup.json()["error"]["code"] == "resource_already_exists"
    price = await raw.ok(
        "POST",
        "/v1/prices",
        {"product": product["id"], "currency": "usd", "unit_amount_decimal": "12.5"},
    )
    assert price["unit_amount_decimal"] == "12.5"
    other = await raw.ok(
        "POST", "/v1/prices", {"product_data[name]": "Q", "currency": "usd", "unit_amount": 5}
    )
    response = await raw.post(f"/v1/products/{product['id']}", {"default_price": other["id"]})
    assert response.status_code == 400
    ok = await raw.ok("POST", f"/v1/products/{product['id']}", {"default_price": price["id"]})
    assert ok["default_price"] == price["id"]
    inactive = await raw.ok(
        "POST", f"/v1/prices/{price['id']}", {"active": "false", "nickname": "old"}
    )
    assert inactive["active"] is False
    listed = await raw.ok("GET", "/v1/prices", {"active": "false"})
    assert [p["id"] for p in listed["data"]] == [price["id"]]
    plan = await raw.ok(
        "POST",
        "/v1/plans",
        {"amount": 100, "currency": "usd", "interval": "week", "product": product["id"]},
    )
    updated = await raw.ok(
        "POST", f"/v1/plans/{plan['id']}", {"nickname": "weekly", "trial_period_days": 3}
    )
    assert updated["nickname"] == "weekly" and updated["trial_period_days"] == 3
    bare = await raw.ok("POST", "/v1/products", {"name": "Bare"})
    assert (await raw.ok("DELETE", f"/v1/products/{bare['id']}"))["deleted"] is True
    assert stripe_emulator.events("product.deleted")


def test_cli_runs_uvicorn_on_loopback(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    code = cli.run_emulator(argparse.Namespace(host="127.0.0.1", port=12345, seed=3))
    assert code == 0
    [call] = calls
    # The emulator behind the front that answers this machine only.
    assert isinstance(call["app"].app, StripeEmulator) and call["app"].app.seed == 3
    assert (call["host"], call["port"]) == ("127.0.0.1", 12345)
    assert "http://127.0.0.1:12345" in capsys.readouterr().out
    assert cli.run_emulator(argparse.Namespace(host="localhost", port=1, seed=None)) == 0
    assert cli.run_emulator(argparse.Namespace(host="example.com", port=1, seed=None)) == 0
    assert "not a loopback address" in capsys.readouterr().err
    bad_origin = argparse.Namespace(host="localhost", port=1, seed=None, allow_origin=["x"])
    assert cli.run_emulator(bad_origin) == 2


def test_emulator_rejects_unknown_delivery_mode() -> None:
    with pytest.raises(ValueError):
        StripeEmulator(webhook_delivery="later")  # type: ignore[arg-type]
