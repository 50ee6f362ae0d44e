"""Disputes from Stripe's createDispute test cards: events, funds, evidence, close."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async import StripeClient
from stripe_async.errors import InvalidRequestError
from stripe_async.testing import StripeEmulator


async def _disputed(stripe_client: StripeClient, card: str = "pm_card_createDispute") -> Any:
    pi = await stripe_client.payment_intents.create(
        amount=4200,
        currency="usd",
        payment_method=card,
        confirm=True,
        allowed_payment_method_types=["card"],
    )
    assert pi.status == "succeeded"  # the payment goes through, then is contested
    return pi


async def test_create_dispute_card_opens_a_dispute_and_withdraws_funds(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await _disputed(stripe_client)
    [dispute] = (await stripe_client.disputes.list(payment_intent=pi.id)).data
    assert dispute.id.startswith("dp_")
    assert (dispute.status, dispute.reason, dispute.amount) == (
        "needs_response",
        "fraudulent",
        4200,
    )
    assert dispute.charge == pi.latest_charge and dispute.payment_intent == pi.id
    assert dispute.evidence_details.due_by > dispute.created
    [withdrawal] = dispute.balance_transactions
    assert (withdrawal.amount, withdrawal.type, withdrawal.reporting_category) == (
        -4200,
        "adjustment",
        "dispute",
    )
    charge = await stripe_client.charges.retrieve(str(pi.latest_charge))
    assert charge.disputed is True
    types = [e["type"] for e in stripe_emulator.events()]
    created = types.index("charge.dispute.created")
    assert types.index("charge.succeeded") < created < types.index("charge.dispute.funds_withdrawn")
    again = await stripe_client.disputes.retrieve(dispute.id)
    assert again.id == dispute.id


async def test_evidence_staged_then_submitted_then_closed(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await _disputed(stripe_client)
    [dispute] = (await stripe_client.disputes.list(charge=str(pi.latest_charge))).data
    staged = await stripe_client.disputes.update(
        dispute.id,
        evidence={"customer_name": "Jenny Rosen", "product_description": "A T-shirt"},
        submit=False,
    )
    assert staged.status == "needs_response"
    assert staged.evidence_details.has_evidence is True
    assert staged.evidence_details.submission_count == 0
    submitted = await stripe_client.disputes.update(
        dispute.id, evidence={"uncategorized_text": "Delivered on time"}
    )
    assert submitted.status == "under_review"
    assert submitted.evidence.customer_name == "Jenny Rosen"
    assert submitted.evidence_details.submission_count == 1
    updated = stripe_emulator.events("charge.dispute.updated")[-1]
    assert updated["data"]["previous_attributes"]["status"] == "needs_response"
    closed = await stripe_client.disputes.close(dispute.id)
    assert closed.status == "lost"
    assert stripe_emulator.events("charge.dispute.closed")
    with pytest.raises(InvalidRequestError):
        await stripe_client.disputes.close(dispute.id)
    with pytest.raises(InvalidRequestError):
        await stripe_client.disputes.update(dispute.id, evidence={"customer_name": "x"})
    kept = await stripe_client.disputes.update(dispute.id, metadata={"case": "7"})
    assert kept.metadata == {"case": "7"}


async def test_winning_evidence_reinstates_the_funds(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await _disputed(stripe_client)
    [dispute] = (await stripe_client.disputes.list()).data
    won = await stripe_client.disputes.update(
        dispute.id, evidence={"uncategorized_text": "winning_evidence"}
    )
    assert won.status == "won"
    assert [t.amount for t in won.balance_transactions] == [-4200, 4200]
    assert stripe_emulator.events("charge.dispute.funds_reinstated")
    other = await _disputed(stripe_client)
    [lost] = (await stripe_client.disputes.list(payment_intent=other.id)).data
    lost = await stripe_client.disputes.update(
        lost.id, evidence={"uncategorized_text": "losing_evidence"}
    )
    assert lost.status == "lost" and len(lost.balance_transactions) == 1
    assert pi.id != other.id


async def test_inquiry_withdraws_nothing(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await _disputed(stripe_client, "pm_card_createDisputeInquiry")
    [dispute] = (await stripe_client.disputes.list(payment_intent=pi.id)).data
    assert dispute.status == "warning_needs_response" and dispute.balance_transactions == []
    assert not stripe_emulator.events("charge.dispute.funds_withdrawn")
    closed = await stripe_client.disputes.close(dispute.id)
    assert closed.status == "warning_closed"


async def test_ordinary_cards_are_not_disputed(stripe_client: StripeClient) -> None:
    await _disputed(stripe_client, "pm_card_visa")
    assert (await stripe_client.disputes.list()).data == []
