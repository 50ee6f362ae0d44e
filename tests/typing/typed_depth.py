"""Checked by mypy (see test_typed_depth.py), never run: types hold at every depth.

As in typed_calls.py, `accepted` must type-check cleanly and every line of
`rejected` must produce exactly the error its `# type: ignore[code]` names.
"""

from __future__ import annotations

from decimal import Decimal

from stripe_async import StripeClient
from stripe_async.models import Price


async def accepted(stripe: StripeClient) -> None:
    """Nested calls written as the API reference describes them."""
    await stripe.checkout.sessions.create(
        mode="subscription",
        success_url="https://example.com/ok",
        line_items=[
            {
                "quantity": 1,
                "price_data": {
                    "currency": "usd",
                    "unit_amount_decimal": Decimal("1999.5"),
                    "recurring": {"interval": "month", "interval_count": 1},
                    "product_data": {"name": "T-shirt", "metadata": {"size": "M"}},
                },
            }
        ],
        payment_method_options={
            "card": {"request_three_d_secure": "any", "setup_future_usage": "off_session"},
        },
    )
    await stripe.payment_intents.create(
        amount=1000,
        currency="usd",
        payment_method_options={
            "card": {
                "mandate_options": {
                    "amount": 1000,
                    "amount_type": "maximum",
                    "interval": "month",
                    "reference": "order-42",
                    "start_date": 1700000000,
                }
            },
            "affirm": {},
        },
        metadata={"order": "42", "attempt": 2, "gift": True},
    )
    # The run time drops None: the types let optional scalars be None.
    await stripe.refunds.create(charge="ch_1", amount=None, reason=None)
    await stripe.customers.tax_ids.create("cus_1", type="eu_vat", value="DE123456789")
    price = await stripe.prices.retrieve("price_1")
    exact: Decimal | None = price.unit_amount_decimal
    del exact


async def rejected(stripe: StripeClient, price: Price) -> None:
    """Mistakes deep inside a params dict, and a decimal read as text."""
    await stripe.checkout.sessions.create(
        mode="subscription",
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "recurring": {"interval": "month", "interval_cont": 2},  # type: ignore[typeddict-unknown-key]
                    "product_data": {"name": "T-shirt"},
                },
            }
        ],
    )
    await stripe.checkout.sessions.create(
        mode="payment",
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "product_data": {"name": "T-shirt", "descripton": "typo"},  # type: ignore[typeddict-unknown-key]
                },
            }
        ],
    )
    await stripe.checkout.sessions.create(
        mode="payment",
        payment_method_options={
            "card": {"request_three_d_secure": True},  # type: ignore[typeddict-item]
        },
    )
    await stripe.payment_intents.create(
        amount=1000,
        currency="usd",
        payment_method_options={
            # `card` also takes "" (clears it): mypy names the key of the union's member only
            # as "incompatible types", still an error.
            "card": {"mandate_options": {"amount_typ": "fixed"}},  # type: ignore[typeddict-item]
        },
    )
    await stripe.payment_intents.create(
        amount=1000,
        currency="usd",
        metadata={"order": 4.2},  # type: ignore[dict-item]
    )
    await stripe.prices.create(currency="usd", unit_amount_decimal=1.5)  # type: ignore[arg-type]
    await stripe.customers.tax_ids.create("cus_1", type=["eu_vat"], value="DE1")  # type: ignore[arg-type]
    await stripe.payment_intents.create(amount=None, currency="usd")  # type: ignore[arg-type]
    text: str | None = price.unit_amount_decimal  # type: ignore[assignment]
    del text
