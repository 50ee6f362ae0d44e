"""Registering handlers: known types and wildcards only, several at once, newer on request."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from webhook_helpers import SECRET, event_body, signed

from stripe_async.errors import InvalidArgumentError, StripeError
from stripe_async.models import Event, EventType
from stripe_async.webhooks import EventTypePattern, WebhookRouter, construct_event, event_is


def delivery(event_type: str, event_id: str = "evt_1") -> tuple[bytes, str]:
    body = event_body(event_type, event_id=event_id)
    return body, signed(body)


def test_the_literal_holds_every_event_type_of_the_release() -> None:
    types = get_args(EventType)
    assert len(types) == len(set(types)) == 275
    assert {"invoice.paid", "customer.subscription.updated", "checkout.session.completed"} <= set(
        types
    )
    patterns = set(get_args(EventTypePattern))
    assert {"*", "invoice.*", "customer.*", "customer.subscription.*"} <= patterns
    assert all(p == "*" or any(t.startswith(p[:-1]) for t in types) for p in patterns)


@pytest.mark.parametrize("typo", ["invoice.pay", "invoice.paid ", "invoices.*", "customer.sub.*"])
def test_a_misspelt_type_is_refused_when_registered(typo: str) -> None:
    router = WebhookRouter(SECRET)
    with pytest.raises(InvalidArgumentError, match="allow_unknown=True") as caught:
        router.on(typo)  # type: ignore[call-overload]
    assert isinstance(caught.value, StripeError)
    with pytest.raises(InvalidArgumentError):
        router.add_handler(typo, lambda event: None)
    with pytest.raises(InvalidArgumentError):
        router.on("invoice.paid", typo)  # type: ignore[call-overload]
    assert router.handlers_for(typo.strip()) == []


def test_the_refusal_names_the_closest_known_types() -> None:
    router = WebhookRouter(SECRET)
    with pytest.raises(InvalidArgumentError, match=r"'invoice\.paid'"):
        router.on("invoice.pay")  # type: ignore[call-overload]


async def test_a_newer_type_registers_with_allow_unknown_and_parses() -> None:
    router = WebhookRouter(SECRET)
    seen: list[Event[Any]] = []

    @router.on("invoice.reticulated", allow_unknown=True)
    def newer(event: Event[Any]) -> None:
        seen.append(event)

    router.add_handler("reticulation.*", newer, allow_unknown=True)
    result = await router.dispatch(*delivery("invoice.reticulated"))
    assert result.handlers_run == 1
    assert str(seen[0].type) == "invoice.reticulated"  # a newer type: compared as a string
    assert not seen[0].type_is_known
    event = construct_event(*delivery("reticulation.started"), SECRET)
    assert (event.type, event.type_is_known) == ("reticulation.started", False)
    assert router.handlers_for("reticulation.started") == [newer]


async def test_several_types_register_one_handler_that_runs_once_per_event() -> None:
    router = WebhookRouter(SECRET)
    calls: list[str] = []

    @router.on("invoice.paid", "invoice.*", "customer.subscription.deleted")
    async def billing(event: Event[Any]) -> None:
        calls.append(event.type)

    await router.dispatch(*delivery("invoice.paid", "evt_1"))
    await router.dispatch(*delivery("customer.subscription.deleted", "evt_2"))
    await router.dispatch(*delivery("invoice.finalized", "evt_3"))
    await router.dispatch(*delivery("customer.subscription.created", "evt_4"))
    assert calls == ["invoice.paid", "customer.subscription.deleted", "invoice.finalized"]
    assert router.handlers_for("invoice.paid") == [billing]


async def test_a_wildcard_runs_for_each_type_under_it() -> None:
    router = WebhookRouter(SECRET)
    calls: list[str] = []

    @router.on("customer.subscription.*")
    async def subscriptions(event: Event[Any]) -> None:
        calls.append(event.type)

    await router.dispatch(*delivery("customer.subscription.updated", "evt_1"))
    await router.dispatch(*delivery("customer.updated", "evt_2"))
    assert calls == ["customer.subscription.updated"]


def test_event_is_matches_types_and_wildcards_and_refuses_typos() -> None:
    event = construct_event(*delivery("customer.subscription.updated"), SECRET)
    assert event_is(event, "customer.subscription.updated")
    assert event_is(event, "customer.subscription.*")
    assert event_is(event, "invoice.paid", "customer.*")
    assert not event_is(event, "invoice.paid")
    assert not event_is(event, "invoice.reticulated", allow_unknown=True)
    with pytest.raises(InvalidArgumentError, match="allow_unknown=True"):
        event_is(event, "customer.subscription.updatd")  # type: ignore[call-overload]
