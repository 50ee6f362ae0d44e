"""OpenTelemetry: one CLIENT span per attempt, on the caller's provider, under their span."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx
from client_support import TEST_KEY, RecordingSleep
from loop_backends import on_both_loops
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from stripe_async import CardError, StripeClient

SECRET_VALUES = (TEST_KEY, "4242", "pi_1_secret_abc", "a@b.co")


@pytest.fixture
def traced() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def no_secret_in(spans: object) -> None:
    for span in spans:  # type: ignore[attr-defined]
        values = [span.name, *map(str, span.attributes.values())]
        for value in values:
            for secret in SECRET_VALUES:
                assert secret not in value, (span.name, value)


@on_both_loops
async def test_one_span_per_attempt_under_the_callers_span(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = traced
    tracer = provider.get_tracer("shop")
    with respx.mock(base_url="https://api.stripe.com") as mock:
        route = mock.post("/v1/payment_intents/pi_1ABC/confirm")
        route.side_effect = [
            httpx.Response(503, json={"error": {"type": "api_error"}}),
            httpx.Response(
                200,
                json={
                    "id": "pi_1ABC",
                    "object": "payment_intent",
                    "client_secret": "pi_1_secret_abc",
                },
                headers={"Request-Id": "req_123"},
            ),
        ]
        async with StripeClient(
            TEST_KEY, rate_limit=None, sleep=RecordingSleep(), tracer_provider=provider
        ) as client:
            with tracer.start_as_current_span("checkout") as parent:
                await client.payment_intents.confirm(
                    "pi_1ABC", payment_method="pm_card_visa", idempotency_key="confirm-1"
                )
    spans = [s for s in exporter.get_finished_spans() if s.name != "checkout"]
    assert len(spans) == 2
    for span in spans:
        assert span.kind is SpanKind.CLIENT
        assert span.parent is not None
        assert span.parent.span_id == parent.get_span_context().span_id
        assert span.name == "POST /v1/payment_intents/{id}/confirm"
        attributes = span.attributes
        assert attributes["http.request.method"] == "POST"
        assert attributes["url.full"] == "https://api.stripe.com/v1/payment_intents/pi_1ABC/confirm"
        assert attributes["url.template"] == "/v1/payment_intents/{id}/confirm"
        assert attributes["server.address"] == "api.stripe.com"
        assert attributes["server.port"] == 443
        assert attributes["stripe.idempotency_key"] == "confirm-1"
    first, second = spans
    assert first.attributes["http.response.status_code"] == 503
    assert first.attributes["error.type"] == "503"
    assert first.status.status_code is StatusCode.ERROR
    assert "http.request.resend_count" not in first.attributes
    assert second.attributes["http.response.status_code"] == 200
    assert second.attributes["http.request.resend_count"] == 1
    assert second.attributes["stripe.request_id"] == "req_123"
    assert "error.type" not in second.attributes
    no_secret_in(spans)


async def test_a_failed_call_and_a_network_failure_mark_their_spans(
    traced: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = traced
    with respx.mock(base_url="https://api.stripe.com") as mock:
        mock.post("/v1/customers").mock(side_effect=httpx.ConnectError("refused"))
        mock.post("/v1/charges").respond(
            402, json={"error": {"type": "card_error", "message": "card 4242424242424242 declined"}}
        )
        async with StripeClient(
            TEST_KEY, rate_limit=None, max_retries=0, tracer_provider=provider
        ) as client:
            with pytest.raises(Exception):
                await client.customers.create(email="a@b.co")
            with pytest.raises(CardError):
                await client.charges.create(amount=100, currency="usd")
    network, declined = exporter.get_finished_spans()
    assert "http.response.status_code" not in network.attributes
    assert network.attributes["error.type"] == "APIConnectionError"
    assert declined.attributes["error.type"] == "402"
    assert all(span.status.status_code is StatusCode.ERROR for span in (network, declined))
    no_secret_in([network, declined])


async def test_no_spans_unless_asked(
    traced: tuple[TracerProvider, InMemorySpanExporter], api: respx.MockRouter
) -> None:
    _, exporter = traced
    api.get("/v1/balance").respond(200, json={"object": "balance"})
    async with StripeClient(TEST_KEY, rate_limit=None) as client:
        await client.balance.retrieve()
    assert exporter.get_finished_spans() == ()


def test_tracing_true_uses_the_global_provider_and_nothing_is_imported_otherwise() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom stripe_async import StripeClient\n"
        "StripeClient('sk_test_x')\nassert 'opentelemetry' not in sys.modules, 'imported'\n"
        "c = StripeClient('sk_test_x', tracing=True)\nassert 'opentelemetry' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
