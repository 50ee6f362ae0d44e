"""What users rely on: drift tolerance, expansions, typed events, quiet reprs, datetimes."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stripe_async._requester import parse_model
from stripe_async._response import StripeResponse
from stripe_async.models import (
    OBJECT_CLASSES,
    Balance,
    Card,
    Charge,
    Customer,
    DeletedCustomer,
    Event,
    Invoice,
    ListObject,
    PaymentIntent,
    PaymentMethod,
    Source,
    StripeErrorObject,
    StripeObject,
    Subscription,
    WebhookEndpoint,
    model_for,
)
from stripe_async.models.event import EVENT_OBJECT_KINDS

DATA = Path(__file__).parent / "data" / "stripe_fixtures.json"
FIXTURES: dict[str, Any] = json.loads(DATA.read_text())["resources"]


def fixture(kind: str) -> Any:
    return copy.deepcopy(FIXTURES[kind])


def event_about(obj: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": "evt_1",
        "object": "event",
        "type": f"{obj.get('object')}.updated",
        "created": 1_700_000_000,
        "livemode": False,
        "pending_webhooks": 1,
        "api_version": "2026-10-28.endive",
        "request": {"id": "req_1", "idempotency_key": "ik_1"},
        "data": {"object": obj, **extra},
    }


# -- drift -----------------------------------------------------------------------------


def test_unknown_enum_value_is_accepted() -> None:
    data = fixture("payment_intent")
    data["status"] = "requires_quantum_confirmation"
    data["capture_method"] = "telepathic"
    pi = PaymentIntent.model_validate(data)
    assert pi.status == "requires_quantum_confirmation"
    assert pi.capture_method == "telepathic"
    assert pi.to_dict() == data


def test_unknown_nested_enum_value_is_accepted() -> None:
    data = fixture("payment_method")
    data["type"] = "future_wallet"
    data["card"]["wallet"]["type"] = "future_pay"
    data["future_wallet"] = {"handle": "@me"}
    pm = PaymentMethod.model_validate(data)
    assert pm.type == "future_wallet"
    assert pm.card is not None and pm.card.wallet is not None
    assert pm.card.wallet.type == "future_pay"
    assert pm.to_dict() == data


def test_unknown_field_is_kept_and_readable() -> None:
    data = fixture("customer")
    data["loyalty_tier"] = "gold"
    data["address"]["geo"] = {"lat": 1.5, "lng": 2.5}
    customer = Customer.model_validate(data)
    assert getattr(customer, "loyalty_tier") == "gold"  # noqa: B009  (attribute access works)
    assert customer["loyalty_tier"] == "gold"
    assert customer.address is not None
    assert customer.address["geo"] == {"lat": 1.5, "lng": 2.5}
    assert customer.to_dict() == data


def test_missing_optional_objects_default_to_none() -> None:
    pi = PaymentIntent.model_validate({"id": "pi_1"})
    assert pi.next_action is None
    assert pi.last_payment_error is None
    assert pi.shipping is None
    assert pi.object == "payment_intent"
    assert pi.to_dict() == {"id": "pi_1"}


def test_empty_placeholder_objects_parse() -> None:
    customer = Customer.model_validate(fixture("customer"))
    assert customer.shipping is not None
    assert customer.shipping.address is None
    assert customer.shipping.name is None


def test_getitem_raises_key_error_for_missing_names() -> None:
    customer = Customer.model_validate({"id": "cus_1"})
    with pytest.raises(KeyError):
        customer["nope"]


# -- expansions ------------------------------------------------------------------------


def test_unexpanded_latest_charge_is_an_id() -> None:
    data = fixture("payment_intent")
    data["latest_charge"] = "ch_123"
    pi = PaymentIntent.model_validate(data)
    assert pi.latest_charge == "ch_123"


def test_expanded_latest_charge_is_a_charge() -> None:
    data = fixture("payment_intent")
    data["latest_charge"] = fixture("charge")
    pi = PaymentIntent.model_validate_json(json.dumps(data))
    assert isinstance(pi.latest_charge, Charge)
    assert pi.latest_charge.id == FIXTURES["charge"]["id"]
    details = pi.latest_charge.payment_method_details
    assert details is not None and details.card is not None
    assert details.card.last4 == "4242"
    assert details.card.checks is not None and details.card.checks.cvc_check == "pass"
    assert pi.to_dict() == data


def test_expanded_customer_and_payment_method() -> None:
    data = fixture("payment_intent")
    data["customer"] = fixture("customer")
    data["payment_method"] = fixture("payment_method")
    pi = PaymentIntent.model_validate(data)
    assert isinstance(pi.customer, Customer)
    assert isinstance(pi.payment_method, PaymentMethod)
    assert pi.payment_method.card is not None
    assert pi.payment_method.card.exp_year == 2030
    assert pi.to_dict() == data


def test_expanded_deleted_customer_is_a_customer_marked_deleted() -> None:
    data = fixture("charge")
    data["customer"] = fixture("deleted_customer")
    charge = Charge.model_validate(data)
    assert isinstance(charge.customer, Customer)
    assert charge.customer.deleted is True
    assert DeletedCustomer.model_validate(fixture("deleted_customer")).deleted is True
    assert charge.to_dict() == data


def test_expanded_live_customer_is_not_taken_for_deleted() -> None:
    data = fixture("subscription")
    data["customer"] = fixture("customer")
    sub = Subscription.model_validate(data)
    assert type(sub.customer) is Customer


def test_charge_source_is_chosen_by_its_object_kind() -> None:
    data = fixture("charge")
    assert data["source"]["object"] == "source"
    charge = Charge.model_validate(data)
    assert type(charge.source) is Source
    data["source"] = fixture("card")
    charge = Charge.model_validate(data)
    assert isinstance(charge.source, Card)
    assert charge.source.last4 == "4242"


def test_nested_lists_are_typed() -> None:
    sub = Subscription.model_validate(fixture("subscription"))
    assert sub.items is not None
    item = sub.items.data[0]
    assert item.price is not None and item.price.recurring is not None
    assert item.price.recurring.interval == "month"
    invoice = Invoice.model_validate(fixture("invoice"))
    assert invoice.lines is not None
    assert invoice.lines.data[0].period is not None
    assert invoice.status_transitions is not None
    assert invoice.status_transitions.paid_at is None


def test_last_payment_error_with_payment_method() -> None:
    data = fixture("payment_intent")
    data["last_payment_error"] = {
        "type": "card_error",
        "code": "card_declined",
        "decline_code": "insufficient_funds",
        "message": "Your card has insufficient funds.",
        "payment_method": fixture("payment_method"),
    }
    pi = PaymentIntent.model_validate(data)
    err = pi.last_payment_error
    assert isinstance(err, StripeErrorObject)
    assert err.decline_code == "insufficient_funds"
    assert isinstance(err.payment_method, PaymentMethod)


def test_next_action_redirect() -> None:
    data = fixture("payment_intent")
    data["status"] = "requires_action"
    data["next_action"] = {
        "type": "redirect_to_url",
        "redirect_to_url": {"url": "https://hooks.stripe.com/x", "return_url": "https://a.b"},
    }
    pi = PaymentIntent.model_validate(data)
    assert pi.requires_action
    assert pi.next_action is not None and pi.next_action.redirect_to_url is not None
    assert pi.next_action.redirect_to_url.url == "https://hooks.stripe.com/x"


# -- events ----------------------------------------------------------------------------


STRIPE_FIXTURES: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "data" / "fixtures3.json").read_text()
)["resources"]
EVENT_KINDS_WITH_FIXTURE = sorted(EVENT_OBJECT_KINDS & set(STRIPE_FIXTURES))


def test_most_event_object_kinds_have_a_fixture() -> None:
    assert len(EVENT_KINDS_WITH_FIXTURE) >= 70


@pytest.mark.parametrize("kind", EVENT_KINDS_WITH_FIXTURE)
def test_event_data_object_is_the_typed_resource(kind: str) -> None:
    raw = event_about(copy.deepcopy(STRIPE_FIXTURES[kind]))
    event = Event.model_validate_json(json.dumps(raw))
    assert type(event.data.object) is OBJECT_CLASSES[raw["data"]["object"]["object"]]
    assert event.to_dict() == raw


def test_event_kinds_are_known_objects() -> None:
    # An external account is a bank account or a card, told apart by its own `object`.
    assert EVENT_OBJECT_KINDS - set(OBJECT_CLASSES) == {"external_account"}


def test_event_fixture_is_a_plan_event() -> None:
    raw = fixture("event")
    event = Event.model_validate(raw)
    assert event.type == "plan.created"
    assert type(event.data.object) is OBJECT_CLASSES["plan"]
    # a field the current API dropped is still there
    assert event.data.object["aggregate_usage"] is None
    assert event.to_dict() == raw


def test_event_with_unknown_object_kind_is_a_generic_object() -> None:
    obj = {"id": "tr_1", "object": "made_up.thing", "amount": 5, "flow": {"type": "x"}}
    event = Event.model_validate(event_about(obj))
    assert type(event.data.object) is StripeObject
    assert event.data.object.id == "tr_1"
    assert event.data.object["amount"] == 5
    assert event.to_dict()["data"]["object"] == obj


def test_event_with_object_lacking_kind_still_parses() -> None:
    event = Event.model_validate(event_about({"id": "x_1"}))
    assert type(event.data.object) is StripeObject


def test_event_previous_attributes_is_a_dict() -> None:
    raw = event_about(
        fixture("subscription"), previous_attributes={"status": "trialing", "items": {"x": 1}}
    )
    event = Event.model_validate(raw)
    assert isinstance(event.data.object, Subscription)
    assert event.data.previous_attributes == {"status": "trialing", "items": {"x": 1}}
    assert not isinstance(event.request, str) and event.request is not None
    assert event.request.idempotency_key == "ik_1"


def test_event_with_legacy_string_request() -> None:
    raw = event_about(fixture("customer"))
    raw["request"] = "req_old"
    assert Event.model_validate(raw).request == "req_old"


def test_model_for() -> None:
    assert model_for("payment_intent") is PaymentIntent
    assert model_for("customer") is Customer
    assert model_for("event") is Event
    assert model_for("made_up.thing") is StripeObject
    assert model_for(None) is StripeObject


# -- secrets ---------------------------------------------------------------------------


def test_repr_hides_client_secret() -> None:
    data = fixture("payment_intent")
    secret = data["client_secret"]
    pi = PaymentIntent.model_validate(data)
    assert pi.client_secret == secret
    assert secret not in repr(pi)
    assert secret not in str(pi)
    assert "[REDACTED]" in repr(pi)


def test_repr_hides_webhook_secret() -> None:
    endpoint = WebhookEndpoint.model_validate(
        {**fixture("webhook_endpoint"), "secret": "whsec_abcdef0123456789"}
    )
    assert "whsec_abcdef0123456789" not in repr(endpoint)
    assert endpoint.secret == "whsec_abcdef0123456789"


def test_repr_hides_nested_and_unknown_secrets() -> None:
    invoice = Invoice.model_validate(
        {
            **fixture("invoice"),
            "confirmation_secret": {"client_secret": "pi_9_secret_nested", "type": "x"},
        }
    )
    assert "pi_9_secret_nested" not in repr(invoice)
    charge = Charge.model_validate(fixture("charge"))  # source (untyped) has a client_secret
    assert "client_secret='client_secret'" not in repr(charge)
    event = Event.model_validate(event_about(fixture("payment_intent")))
    assert FIXTURES["payment_intent"]["client_secret"] not in repr(event)


def test_repr_shows_only_what_was_sent() -> None:
    pi = PaymentIntent.model_validate({"id": "pi_1", "amount": 100})
    assert repr(pi) == "PaymentIntent(id='pi_1', amount=100)"


# -- conveniences ----------------------------------------------------------------------


def test_created_at_is_aware_utc() -> None:
    customer = Customer.model_validate(fixture("customer"))
    assert customer.created_at == dt.datetime(2009, 2, 13, 23, 31, 30, tzinfo=dt.timezone.utc)
    assert Customer.model_validate({"id": "cus_1"}).created_at is None


def test_current_period_end_from_items_or_legacy_field() -> None:
    sub = Subscription.model_validate(fixture("subscription"))
    item_end = FIXTURES["subscription"]["items"]["data"][0]["current_period_end"]
    assert sub.current_period_end_at == dt.datetime.fromtimestamp(item_end, dt.timezone.utc)
    assert sub.items is not None
    assert sub.items.data[0].current_period_end_at == sub.current_period_end_at
    assert sub.items.data[0].current_period_start_at == sub.current_period_start_at
    legacy = Subscription.model_validate({"id": "sub_1", "current_period_end": 1_700_000_000})
    assert legacy.current_period_end_at == dt.datetime(
        2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc
    )
    assert Subscription.model_validate({"id": "sub_2"}).current_period_end_at is None


def test_invoice_subscription_id_current_and_legacy() -> None:
    invoice = Invoice.model_validate(fixture("invoice"))
    assert invoice.subscription_id == "subscription"
    assert (
        Invoice.model_validate({"id": "in_9", "subscription": "sub_9"}).subscription_id == "sub_9"
    )
    expanded = Invoice.model_validate({"id": "in_9", "subscription": fixture("subscription")})
    assert expanded.subscription_id == FIXTURES["subscription"]["id"]


def test_balance_amount_helpers() -> None:
    balance = Balance.model_validate(
        {
            "object": "balance",
            "available": [{"amount": 700, "currency": "usd"}, {"amount": 5, "currency": "eur"}],
            "pending": [{"amount": 300, "currency": "usd"}],
        }
    )
    assert balance.available_amount("USD") == 700
    assert balance.pending_amount("usd") == 300
    assert balance.pending_amount("eur") == 0


def test_list_object_iterates_items() -> None:
    page = ListObject[Customer].model_validate(
        {"object": "list", "data": [{"id": "cus_1"}, {"id": "cus_2"}], "has_more": False}
    )
    assert [c.id for c in page] == ["cus_1", "cus_2"]
    assert len(page) == 2


# -- last_response ---------------------------------------------------------------------


def test_last_response_is_set_by_the_request_loop_and_ignored_by_equality() -> None:
    meta = StripeResponse(200, {"request-id": "req_1"}, request_id="req_1")
    body = json.dumps(fixture("customer")).encode()
    fetched = parse_model(Customer, body, meta)
    assert fetched.last_response is meta
    plain = Customer.model_validate_json(body)
    assert plain.last_response is None
    assert fetched == plain
    assert fetched != FIXTURES["customer"]  # a model never equals a plain dict
    later = StripeResponse(200, {}, request_id="req_later")
    fetched._last_response = later  # what the request loop does
    assert fetched.last_response is later
    assert fetched.to_dict() == FIXTURES["customer"]
    # nested objects never carry a reply of their own
    assert fetched.discount is not None and fetched.discount.last_response is None


def test_models_pickle_with_their_last_response() -> None:
    meta = StripeResponse(200, {}, request_id="req_2")
    fetched = parse_model(PaymentIntent, json.dumps(fixture("payment_intent")).encode(), meta)
    clone = pickle.loads(pickle.dumps(fetched))
    assert clone == fetched
    assert clone.last_response == meta


def test_parsing_one_model_imports_only_what_the_reply_holds() -> None:
    script = """
import json, sys
from stripe_async.models import PaymentIntent
data = json.loads(sys.argv[1])
PaymentIntent.model_validate(data)
loaded = {m for m in sys.modules if m.startswith("stripe_async.models.")}
print(json.dumps(sorted(loaded)))
"""
    data = {**fixture("payment_intent"), "latest_charge": "ch_1"}
    out = subprocess.run(
        [sys.executable, "-c", script, json.dumps(data)], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(out.stdout))
    assert "stripe_async.models.payment_intent" in loaded
    assert "stripe_async.models.charge" not in loaded  # latest_charge is an id here
    assert "stripe_async.models.checkout.session" not in loaded
    assert len(loaded) < 12


def test_period_and_status_transition_datetimes() -> None:
    invoice = Invoice.model_validate(
        {"id": "in_1", "status_transitions": {"paid_at": 1_700_000_000, "finalized_at": None}}
    )
    assert invoice.status_transitions is not None
    assert invoice.status_transitions.paid_at_datetime == dt.datetime(
        2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc
    )
    assert invoice.status_transitions.finalized_at_datetime is None
    line = Invoice.model_validate(fixture("invoice")).lines
    assert line is not None
    period = line.data[0].period
    assert period is not None and period.start_at is not None and period.end_at is not None
    assert period.start_at.timestamp() == 1721954054


def test_subscription_period_start_and_trial_end() -> None:
    sub = Subscription.model_validate(fixture("subscription"))
    start = FIXTURES["subscription"]["items"]["data"][0]["current_period_start"]
    assert sub.current_period_start_at == dt.datetime.fromtimestamp(start, dt.timezone.utc)
    assert sub.trial_end_at == dt.datetime.fromtimestamp(1234567890, dt.timezone.utc)
    legacy = Subscription.model_validate({"id": "sub_1", "current_period_start": 0})
    assert legacy.current_period_start_at == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


# -- generated models ------------------------------------------------------------------


def test_a_reply_lacking_an_always_present_field_still_parses() -> None:
    # `amount` is typed `int` (the API always sends it); drift must not fail the call.
    pi = PaymentIntent.model_validate({"id": "pi_1", "object": "payment_intent"})
    assert pi.amount is None  # type: ignore[comparison-overlap]
    assert pi.to_dict() == {"id": "pi_1", "object": "payment_intent"}


def test_card_number_and_cvc_are_hidden_from_repr() -> None:
    from stripe_async.models import issuing

    card = issuing.Card.model_validate(
        {"id": "ic_1", "object": "issuing.card", "number": "4242424242424242", "cvc": "123"}
    )
    text = repr(card)
    assert "4242424242424242" not in text and "123" not in text
    assert card.number == "4242424242424242"


def test_namespaced_models_and_earlier_names_import_lazily() -> None:
    from stripe_async import models

    assert models.checkout.Session.__module__ == "stripe_async.models.checkout.session"
    assert models.billing_portal.Configuration.__name__ == "Configuration"
    assert models.NextAction is models.payment_intent.PaymentIntentNextAction
    assert "checkout" in dir(models) and "Session" in dir(models.checkout)
    with pytest.raises(AttributeError):
        _ = models.NoSuchModel


def test_models_have_a_json_schema() -> None:
    schema = PaymentIntent.model_json_schema()
    if "$ref" in schema:  # the model refers to itself (a payment intent's nested intents)
        schema = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    amount = schema["properties"]["amount"]
    assert {"type": "integer"} in amount.get("anyOf", [amount])
    assert "object" in Event.model_json_schema()["$defs"]["EventData"]["properties"]


def test_every_exported_name_resolves() -> None:
    import importlib

    from stripe_async import models

    for name in models.__all__:
        value = getattr(models, name)
        if isinstance(value, type(models)):  # a namespace package
            for inner in value.__all__:
                assert getattr(value, inner).__name__ == inner
    assert len(models.__all__) >= 160
    assert importlib.import_module("stripe_async.models.treasury").TransactionEntry


def test_event_with_a_malformed_object_kind_is_a_validation_error_not_a_crash() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Event.model_validate(event_about({"id": "x_1", "object": ["not", "a", "kind"]}))
