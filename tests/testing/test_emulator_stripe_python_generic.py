"""stripe-python drives the served emulator's generic resources end to end.

The official SDK (a dev dependency, an oracle of how Stripe's own clients talk to
the API) creates, retrieves, updates, lists and deletes (where the API has each)
resources that no hand-written flow models, on `python -m stripe_async emulator`
on a loopback port. Each object must come back as the SDK's class for its kind,
with Stripe's id prefix, and an update must still be there on the next retrieve.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import stripe
from served_emulator import serve_emulator

KEY = "sk_test_generic_oracle"
NOW = 1_700_000_000


@pytest.fixture(scope="module")
def client() -> Iterator[stripe.StripeClient]:
    for base in serve_emulator("--seed", "13"):
        yield stripe.StripeClient(KEY, base_addresses={"api": base}, max_network_retries=0)


@pytest.fixture(scope="module")
def parents(client: stripe.StripeClient) -> dict[str, str]:
    """The objects the creates name, made once (customers and prices are modelled)."""
    customer = client.v1.customers.create({"email": "oracle@example.com"})
    product = client.v1.products.create({"name": "Oracle"})
    price = client.v1.prices.create({"product": product.id, "unit_amount": 900, "currency": "usd"})
    recurring = client.v1.prices.create(
        {
            "product": product.id,
            "unit_amount": 900,
            "currency": "usd",
            "recurring": {"interval": "month"},
        }
    )
    meter = client.v1.billing.meters.create(
        {"display_name": "Calls", "event_name": "calls", "default_aggregation": {"formula": "sum"}}
    )
    value_list = client.v1.radar.value_lists.create({"alias": "emails", "name": "Emails"})
    return {
        "@customer": customer.id,
        "@price": price.id,
        "@recurring": recurring.id,
        "@meter": meter.id,
        "@value_list": value_list.id,
    }


ADDRESS = {"line1": "1 Main St", "city": "SF", "state": "CA", "postal_code": "94111"}

#: (service, the SDK's class, id prefix, create params, update params or None, deletes).
RESOURCES: list[tuple[str, str, str, dict[str, Any], dict[str, Any] | None, bool]] = [
    (
        "payouts",
        "Payout",
        "po_",
        {"amount": 500, "currency": "usd"},
        {"metadata": {"k": "v"}},
        False,
    ),
    (
        "payment_links",
        "PaymentLink",
        "plink_",
        {"line_items": [{"price": "@price", "quantity": 1}]},
        {"active": False},
        False,
    ),
    (
        "shipping_rates",
        "ShippingRate",
        "shr_",
        {
            "display_name": "Ground",
            "type": "fixed_amount",
            "fixed_amount": {"amount": 500, "currency": "usd"},
        },
        {"active": False},
        False,
    ),
    (
        "entitlements.features",
        "entitlements.Feature",
        "feat_",
        {"name": "Seats", "lookup_key": "seats"},
        {"name": "More seats"},
        False,
    ),
    ("tax_ids", "TaxId", "txi_", {"type": "eu_vat", "value": "DE123456789"}, None, True),
    (
        "terminal.locations",
        "terminal.Location",
        "tml_",
        {"display_name": "HQ", "address": {**ADDRESS, "country": "US"}},
        {"display_name": "Head office"},
        True,
    ),
    (
        "radar.value_lists",
        "radar.ValueList",
        "rsl_",
        {"alias": "blocked", "name": "Blocked"},
        {"name": "Blocked cards"},
        True,
    ),
    (
        "radar.value_list_items",
        "radar.ValueListItem",
        "rsli_",
        {"value_list": "@value_list", "value": "fraud@example.com"},
        None,
        True,
    ),
    ("terminal.configurations", "terminal.Configuration", "tmc_", {}, {"name": "Front"}, True),
    ("apple_pay_domains", "ApplePayDomain", "apwc_", {"domain_name": "shop.example"}, None, True),
    (
        "payment_method_domains",
        "PaymentMethodDomain",
        "pmd_",
        {"domain_name": "pay.example"},
        {"enabled": False},
        False,
    ),
    (
        "billing.alerts",
        "billing.Alert",
        "alrt_",
        {
            "alert_type": "usage_threshold",
            "title": "Many calls",
            "usage_threshold": {"gte": 100, "meter": "@meter", "recurrence": "one_time"},
        },
        None,
        False,
    ),
    (
        "billing.credit_grants",
        "billing.CreditGrant",
        "credgr_",
        {
            "customer": "@customer",
            "amount": {"type": "monetary", "monetary": {"value": 1000, "currency": "usd"}},
            "applicability_config": {"scope": {"price_type": "metered"}},
            "category": "paid",
        },
        {"metadata": {"k": "v"}},
        False,
    ),
    (
        "identity.verification_sessions",
        "identity.VerificationSession",
        "vs_",
        {"type": "document"},
        {"metadata": {"k": "v"}},
        False,
    ),
    (
        "issuing.cardholders",
        "issuing.Cardholder",
        "ich_",
        {
            "name": "Jenny Rosen",
            "type": "individual",
            "billing": {"address": {**ADDRESS, "country": "US"}},
        },
        {"email": "jenny@example.com"},
        False,
    ),
    (
        "quotes",
        "Quote",
        "qt_",
        {"customer": "@customer", "line_items": [{"price": "@recurring", "quantity": 1}]},
        {"description": "Annual"},
        False,
    ),
    (
        "topups",
        "Topup",
        "tu_",
        {"amount": 1000, "currency": "usd"},
        {"description": "Float"},
        False,
    ),
    (
        "tax.registrations",
        "tax.Registration",
        "taxreg_",
        {
            "country": "US",
            "country_options": {"us": {"state": "CA", "type": "state_sales_tax"}},
            "active_from": NOW,
        },
        None,
        False,
    ),
    (
        "reporting.report_runs",
        "reporting.ReportRun",
        "frr_",
        {
            "report_type": "balance.summary.1",
            "parameters": {"interval_start": NOW - 86400, "interval_end": NOW},
        },
        None,
        False,
    ),
    (
        "payment_method_configurations",
        "PaymentMethodConfiguration",
        "pmc_",
        {"name": "Checkout"},
        {"name": "Checkout only"},
        False,
    ),
]


def _attr(root: Any, dotted: str) -> Any:
    for name in dotted.split("."):
        root = getattr(root, name)
    return root


def _resolve(value: Any, parents: dict[str, str]) -> Any:
    if isinstance(value, str):
        return parents.get(value, value)
    if isinstance(value, list):
        return [_resolve(item, parents) for item in value]
    if isinstance(value, dict):
        return {key: _resolve(item, parents) for key, item in value.items()}
    return value


def _generic(obj: Any) -> None:
    response = obj.last_response
    assert response is not None
    assert response.headers["Stripe-Emulator-Fidelity"] == "generic", obj


@pytest.mark.parametrize(
    ("service", "cls", "prefix", "create", "update", "deletes"),
    RESOURCES,
    ids=[row[0] for row in RESOURCES],
)
def test_stripe_python_round_trip(
    client: stripe.StripeClient,
    parents: dict[str, str],
    service: str,
    cls: str,
    prefix: str,
    create: dict[str, Any],
    update: dict[str, Any] | None,
    deletes: bool,
) -> None:
    api = _attr(client.v1, service)
    kind = _attr(stripe, cls)
    made = api.create(_resolve(create, parents))
    assert type(made) is kind, (type(made), kind)
    assert made.id.startswith(prefix) and made.livemode is False
    given = _resolve(create, parents)
    for name, value in given.items():  # what the create names is what it stored
        if not isinstance(value, (dict, list)) and name in made:
            assert made[name] == value, (name, made[name], value)
    _generic(made)
    fetched = api.retrieve(made.id)
    assert type(fetched) is kind and fetched.id == made.id
    _generic(fetched)
    if update is not None:
        changed = api.update(made.id, update)
        assert type(changed) is kind
        again = api.retrieve(made.id)
        for name, value in update.items():
            got = again[name].to_dict() if name == "metadata" else again[name]
            assert got == value, (name, got)
    list_params = {"value_list": parents["@value_list"]} if "value_list" in create else {}
    listed = api.list({**list_params, "limit": 100})
    assert made.id in [o.id for o in listed.data]
    assert all(type(o) is kind for o in listed.data)
    if deletes:
        gone = api.delete(made.id)
        assert gone.id == made.id and gone.deleted is True
        with pytest.raises(stripe.InvalidRequestError) as info:
            api.retrieve(made.id)
        assert info.value.http_status == 404


def test_stripe_python_sub_resource_under_its_customer(
    client: stripe.StripeClient, parents: dict[str, str]
) -> None:
    customer = parents["@customer"]
    made = client.v1.customers.tax_ids.create(customer, {"type": "eu_vat", "value": "DE9"})
    assert type(made) is stripe.TaxId and made.customer == customer
    fetched = client.v1.customers.tax_ids.retrieve(customer, made.id)
    assert fetched.id == made.id
    listed = client.v1.customers.tax_ids.list(customer)
    assert [o.id for o in listed.data] == [made.id]
    gone = client.v1.customers.tax_ids.delete(customer, made.id)
    assert gone.deleted is True
    assert client.v1.customers.tax_ids.list(customer).data == []
