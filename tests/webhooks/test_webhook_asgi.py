"""The ASGI receiver, driven through httpx's ASGI transport and raw ASGI messages."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from webhook_helpers import SECRET, event_body, signed

from stripe_async import API_VERSION, HealthStatus, StripeClient
from stripe_async.models import Event
from stripe_async.webhooks import ClaimResult, InMemoryEventStore, WebhookRouter, create_app

WEBHOOK = "/webhooks/stripe"
HEALTH = "/health/integrations/stripe"


class FakeClient:
    """Anything with `async health_check()` will do; this one counts the probes."""

    def __init__(self, *reports: HealthStatus | Exception) -> None:
        self.reports = list(reports)
        self.probes = 0
        self.closed = False

    async def health_check(self) -> HealthStatus:
        self.probes += 1
        report = self.reports[min(self.probes, len(self.reports)) - 1]
        if isinstance(report, Exception):
            raise report
        return report

    async def aclose(self) -> None:
        self.closed = True


OK = HealthStatus(status="ok", latency_ms=12.5, api_version=API_VERSION, livemode=False)


def http(app: Any, base: str = "http://testserver") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base)


def post(client: httpx.AsyncClient, body: bytes, header: str | None, path: str = WEBHOOK) -> Any:
    headers = {"content-type": "application/json"}
    if header is not None:
        headers["stripe-signature"] = header
    return client.post(path, content=body, headers=headers)


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
def router(calls: list[str]) -> WebhookRouter:
    router = WebhookRouter(SECRET)

    @router.on("payment_intent.succeeded")
    async def record(event: Event) -> None:
        calls.append(event.id)

    @router.on("invoice.payment_failed")
    async def broken(event: Event) -> None:
        raise RuntimeError("secret internals sk_test_should_not_leak")

    return router


async def test_valid_delivery_is_acknowledged_and_handled(
    router: WebhookRouter, calls: list[str]
) -> None:
    body = event_body(event_id="evt_ok")
    async with http(create_app(router)) as client:
        response = await post(client, body, signed(body))
    assert response.status_code == 200
    assert response.json() == {"received": True}
    assert response.headers["content-type"] == "application/json"
    assert calls == ["evt_ok"]


async def test_bad_signature_bad_json_or_no_header_is_400_without_running_handlers(
    router: WebhookRouter, calls: list[str]
) -> None:
    body = event_body()
    async with http(create_app(router)) as client:
        wrong = await post(client, body, signed(body, secret="whsec_attacker"))
        tampered = await post(client, body + b" ", signed(body))
        missing = await post(client, body, None)
        not_json = await post(client, b"{oops", signed(b"{oops"))
    for response in (wrong, tampered, missing, not_json):
        assert response.status_code == 400
        assert SECRET not in response.text
    assert "signature" in wrong.json()["error"].lower()
    assert "JSON" in not_json.json()["error"]
    assert calls == []


async def test_handler_failure_is_500_then_redelivery_runs_it_again(calls: list[str]) -> None:
    router = WebhookRouter(SECRET)
    attempts: list[str] = []

    @router.on("*")
    async def flaky(event: Event) -> None:
        attempts.append(event.id)
        if len(attempts) == 1:
            raise RuntimeError("database down: password=hunter2")

    body = event_body(event_id="evt_retry")
    async with http(create_app(router)) as client:
        failed = await post(client, body, signed(body))
        retried = await post(client, body, signed(body))
        duplicate = await post(client, body, signed(body))
    assert failed.status_code == 500
    assert "hunter2" not in failed.text
    assert retried.status_code == 200 and duplicate.status_code == 200
    assert attempts == ["evt_retry", "evt_retry"]


async def test_duplicate_deliveries_are_acknowledged_once_handled(
    router: WebhookRouter, calls: list[str]
) -> None:
    body = event_body(event_id="evt_twice")
    async with http(create_app(router)) as client:
        responses = [await post(client, body, signed(body)) for _ in range(3)]
        other = event_body(event_id="evt_other")
        responses.append(await post(client, other, signed(other)))
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert calls == ["evt_twice", "evt_other"]


async def test_concurrent_duplicates_over_http_run_once() -> None:
    router = WebhookRouter(SECRET)
    calls: list[str] = []

    @router.on("*")
    async def slow(event: Event) -> None:
        calls.append(event.id)
        await asyncio.sleep(0.05)

    body = event_body(event_id="evt_concurrent")
    async with http(create_app(router)) as client:
        responses = await asyncio.gather(*(post(client, body, signed(body)) for _ in range(4)))
    assert [r.status_code for r in responses] == [200] * 4
    assert calls == ["evt_concurrent"]


async def test_body_over_the_limit_is_413(router: WebhookRouter, calls: list[str]) -> None:
    body = event_body()
    async with http(create_app(router, max_body_bytes=len(body) - 1)) as client:
        too_big = await post(client, body, signed(body))
    async with http(create_app(router, max_body_bytes=len(body))) as client:
        just_fits = await post(client, body, signed(body))
    assert too_big.status_code == 413
    assert just_fits.status_code == 200
    assert len(calls) == 1


async def run_raw(
    app: Any, scope: dict[str, Any], messages: AsyncIterator[dict[str, Any]]
) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return await messages.__anext__()

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def http_scope(method: str = "POST", path: str = WEBHOOK, **headers: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
    }


async def test_oversized_chunked_body_stops_being_read_at_the_limit(router: WebhookRouter) -> None:
    chunk = b"x" * 65_536
    read = 0

    async def endless() -> AsyncIterator[dict[str, Any]]:
        nonlocal read
        while True:  # a client streaming forever, without Content-Length
            read += 1
            yield {"type": "http.request", "body": chunk, "more_body": True}

    app = create_app(router, max_body_bytes=1_048_576)
    sent = await asyncio.wait_for(
        run_raw(app, http_scope(stripe_signature="t=1,v1=00"), endless()), timeout=5
    )
    assert sent[0]["status"] == 413
    assert read == 1_048_576 // len(chunk) + 1  # stopped at the first chunk past the limit


async def test_declared_content_length_over_the_limit_is_refused_unread(
    router: WebhookRouter,
) -> None:
    read = 0

    async def messages() -> AsyncIterator[dict[str, Any]]:
        nonlocal read
        read += 1
        yield {"type": "http.request", "body": b"{}", "more_body": False}

    scope = http_scope(content_length=str(10**9), stripe_signature="t=1,v1=00")
    sent = await run_raw(create_app(router), scope, messages())
    assert sent[0]["status"] == 413 and read == 0


async def test_client_disconnect_mid_body_sends_nothing(router: WebhookRouter) -> None:
    async def messages() -> AsyncIterator[dict[str, Any]]:
        yield {"type": "http.request", "body": b"{", "more_body": True}
        yield {"type": "http.disconnect"}

    assert await run_raw(create_app(router), http_scope(), messages()) == []


async def test_wrong_method_is_405_and_unknown_path_is_404(router: WebhookRouter) -> None:
    async with http(create_app(router, client=FakeClient(OK))) as client:
        get_webhook = await client.get(WEBHOOK)
        post_health = await client.post(HEALTH)
        unknown = await client.get("/elsewhere")
    assert get_webhook.status_code == 405 and get_webhook.headers["allow"] == "POST"
    assert post_health.status_code == 405 and post_health.headers["allow"] == "GET"
    assert unknown.status_code == 404


async def test_health_is_503_without_a_client(router: WebhookRouter) -> None:
    async with http(create_app(router)) as client:
        reply = await client.get(HEALTH)
    assert reply.status_code == 503
    assert reply.json() == {"status": "down", "error": "no Stripe client configured"}


async def test_custom_paths(router: WebhookRouter, calls: list[str]) -> None:
    app = create_app(router, client=FakeClient(OK), webhook_path="/in", health_path="/up")
    body = event_body(event_id="evt_custom")
    async with http(app) as client:
        assert (await post(client, body, signed(body), path="/in")).status_code == 200
        assert (await client.get("/up")).status_code == 200
        assert (await post(client, body, signed(body))).status_code == 404
    assert calls == ["evt_custom"]


async def test_health_ok_is_cached_for_a_few_seconds(router: WebhookRouter) -> None:
    fake = FakeClient(OK)
    async with http(create_app(router, client=fake)) as client:
        replies = [await client.get(HEALTH) for _ in range(5)]
        await asyncio.gather(*(client.get(HEALTH) for _ in range(5)))
    assert {r.status_code for r in replies} == {200}
    assert replies[0].json() == {
        "status": "ok",
        "latency_ms": 12.5,
        "api_version": API_VERSION,
        "livemode": False,
    }
    assert fake.probes == 1


async def test_health_cache_expires(router: WebhookRouter) -> None:
    down = HealthStatus(status="down", latency_ms=1.0, api_version=API_VERSION, error="timeout")
    fake = FakeClient(down, OK)
    async with http(create_app(router, client=fake, health_cache_seconds=0.05)) as client:
        first = await client.get(HEALTH)
        await asyncio.sleep(0.06)
        second = await client.get(HEALTH)
    assert (first.status_code, second.status_code) == (503, 200)
    assert fake.probes == 2


async def test_health_down_is_503_without_secrets(router: WebhookRouter) -> None:
    down = HealthStatus(
        status="down",
        latency_ms=3.0,
        api_version=API_VERSION,
        error="AuthenticationError: Invalid API Key provided: sk_test_abcdefghijklmnop",
    )
    async with http(create_app(router, client=FakeClient(down))) as client:
        reply = await client.get(HEALTH)
    assert reply.status_code == 503
    assert reply.json()["status"] == "down"
    assert "AuthenticationError" in reply.json()["error"]
    assert "sk_test_abcdefghijklmnop" not in reply.text


async def test_health_client_that_raises_is_reported_down(router: WebhookRouter) -> None:
    failing = FakeClient(ConnectionError("cannot reach api with key sk_live_abcdefghijkl"))
    async with http(create_app(router, client=failing)) as client:
        reply = await client.get(HEALTH)
    assert reply.status_code == 503
    assert "ConnectionError" in reply.json()["error"]
    assert "sk_live_abcdefghijkl" not in reply.text


async def test_health_with_a_real_stripe_client(router: WebhookRouter) -> None:
    seen: list[httpx.Request] = []

    def stripe_api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"object": "balance", "livemode": False, "available": []})

    stripe = StripeClient(api_key="sk_test_health123", transport=httpx.MockTransport(stripe_api))
    async with stripe, http(create_app(router, client=stripe)) as client:
        reply = await client.get(HEALTH)
    assert reply.status_code == 200
    assert reply.json()["status"] == "ok" and reply.json()["livemode"] is False
    assert seen[0].url.path == "/v1/balance"
    assert "sk_test_health123" not in reply.text


async def test_lifespan_startup_and_shutdown_close_the_client_when_asked(
    router: WebhookRouter,
) -> None:
    async def lifespan() -> AsyncIterator[dict[str, Any]]:
        yield {"type": "lifespan.startup"}
        yield {"type": "lifespan.shutdown"}

    for close, expected in ((False, False), (True, True)):
        fake = FakeClient(OK)
        app = create_app(router, client=fake, close_client=close)
        sent = await run_raw(app, {"type": "lifespan", "asgi": {"version": "3.0"}}, lifespan())
        assert [m["type"] for m in sent] == [
            "lifespan.startup.complete",
            "lifespan.shutdown.complete",
        ]
        assert fake.closed is expected


async def test_mounted_in_starlette(router: WebhookRouter, calls: list[str]) -> None:
    async def home(request: Any) -> PlainTextResponse:
        return PlainTextResponse("shop")

    app = Starlette(
        routes=[
            Route("/", home),
            Mount("/stripe", app=create_app(router, client=FakeClient(OK))),
        ]
    )
    body = event_body(event_id="evt_mounted")
    async with http(app) as client:
        received = await post(client, body, signed(body), path="/stripe/webhooks/stripe")
        health = await client.get("/stripe/health/integrations/stripe")
        home_page = await client.get("/")
    assert received.status_code == 200 and received.json() == {"received": True}
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert home_page.text == "shop"
    assert calls == ["evt_mounted"]


def test_invalid_app_settings_are_refused(router: WebhookRouter) -> None:
    with pytest.raises(ValueError):
        create_app(router, max_body_bytes=0)
    with pytest.raises(TypeError):
        create_app(router, max_body_bytes=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="webhook_path"):
        create_app(router, webhook_path="webhooks")


async def test_websocket_connections_are_closed(router: WebhookRouter) -> None:
    async def nothing() -> AsyncIterator[dict[str, Any]]:
        yield {"type": "websocket.connect"}

    sent = await run_raw(create_app(router), {"type": "websocket", "path": "/"}, nothing())
    assert sent == [{"type": "websocket.close", "code": 1000}]


async def test_a_delivery_held_by_another_worker_is_409_then_200_once_done() -> None:
    store = InMemoryEventStore()  # shared by two apps: two workers on one store
    busy, idle = WebhookRouter(SECRET, store=store), WebhookRouter(SECRET, store=store)
    started, finish = asyncio.Event(), asyncio.Event()
    runs: list[str] = []

    async def slow(event: Event) -> None:
        runs.append(event.id)
        started.set()
        await finish.wait()

    busy.add_handler("*", slow)
    idle.add_handler("*", slow)
    body = event_body()
    async with http(create_app(busy)) as one, http(create_app(idle)) as two:
        first = asyncio.create_task(post(one, body, signed(body)))
        await started.wait()
        held = await post(two, body, signed(body))
        finish.set()
        assert (await first).status_code == 200
        again = await post(two, body, signed(body))
    assert held.status_code == 409 and held.headers["retry-after"] == "5"
    assert again.status_code == 200 and runs == [json.loads(body)["id"]]


async def test_store_unavailable_is_503_and_nothing_runs(caplog: pytest.LogCaptureFixture) -> None:
    class DownStore:
        async def claim(self, event_id: str, token: str) -> ClaimResult:
            raise ConnectionError("redis://:password@redis:6379 refused")

        async def complete(self, event_id: str, token: str) -> None:
            raise AssertionError("never reached")

        async def release(self, event_id: str, token: str) -> None:
            raise AssertionError("never reached")

    router = WebhookRouter(SECRET, store=DownStore())
    runs: list[str] = []
    router.add_handler("*", runs.append)
    body = event_body()
    async with http(create_app(router)) as client:
        reply = await post(client, body, signed(body))
    assert reply.status_code == 503 and reply.json() == {"error": "event store unavailable"}
    assert runs == [] and "password" not in caplog.text and "ConnectionError" in caplog.text


async def test_a_stalled_body_is_408_after_the_body_timeout(router: WebhookRouter) -> None:
    async def stalls() -> AsyncIterator[dict[str, Any]]:
        yield {"type": "http.request", "body": b'{"id": ', "more_body": True}
        await asyncio.sleep(3600)
        yield {"type": "http.request", "body": b"", "more_body": False}  # pragma: no cover

    app = create_app(router, body_timeout=0.2)
    sent = await asyncio.wait_for(run_raw(app, http_scope(), stalls()), timeout=5)
    assert sent[0]["status"] == 408 and (b"connection", b"close") in sent[0]["headers"]


async def test_a_trickled_body_is_cut_off_at_the_deadline(
    router: WebhookRouter, calls: list[str]
) -> None:
    body = event_body()
    pieces = 0

    async def trickle() -> AsyncIterator[dict[str, Any]]:
        nonlocal pieces
        for offset in range(len(body)):  # one byte at a time, slowly
            pieces += 1
            await asyncio.sleep(0.02)
            more = offset + 1 < len(body)
            yield {"type": "http.request", "body": body[offset : offset + 1], "more_body": more}

    app = create_app(router, body_timeout=0.3)
    scope = http_scope(stripe_signature=signed(body))
    sent = await asyncio.wait_for(run_raw(app, scope, trickle()), timeout=5)
    assert sent[0]["status"] == 408 and calls == [] and pieces < len(body)


def test_body_timeout_must_be_a_positive_number(router: WebhookRouter) -> None:
    with pytest.raises(ValueError, match="body_timeout"):
        create_app(router, body_timeout=0)
    with pytest.raises(TypeError, match="body_timeout"):
        create_app(router, body_timeout="10")  # type: ignore[arg-type]


async def test_deliveries_past_the_cap_are_503_while_health_still_answers() -> None:
    release = asyncio.Event()
    started: list[str] = []
    router = WebhookRouter(SECRET)

    async def slow(event: Event) -> None:
        started.append(event.id)
        await release.wait()

    router.add_handler("*", slow)
    app = create_app(router, client=FakeClient(OK), max_concurrent_deliveries=2)
    async with http(app) as client:
        bodies = [event_body(event_id=f"evt_cap_{i}") for i in range(3)]
        held = [asyncio.create_task(post(client, b, signed(b))) for b in bodies[:2]]
        while len(started) < 2:
            await asyncio.sleep(0.01)
        refused = await post(client, bodies[2], signed(bodies[2]))
        health = await client.get(HEALTH)
        release.set()
        assert [r.status_code for r in await asyncio.gather(*held)] == [200, 200]
        assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
        assert refused.json() == {"error": "receiver busy"} and health.status_code == 200
        # The slots come back: the refused event is handled on its retry.
        again = await post(client, bodies[2], signed(bodies[2]))
        assert again.status_code == 200 and started[-1] == "evt_cap_2"


def test_max_concurrent_deliveries_must_be_a_positive_int(router: WebhookRouter) -> None:
    with pytest.raises(ValueError, match="max_concurrent_deliveries"):
        create_app(router, max_concurrent_deliveries=0)
    with pytest.raises(TypeError, match="max_concurrent_deliveries"):
        create_app(router, max_concurrent_deliveries=True)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", WEBHOOK, 405), ("POST", HEALTH, 405), ("POST", "/other", 404)],
)
async def test_a_reply_before_the_body_is_read_closes_the_connection(
    router: WebhookRouter, method: str, path: str, status: int
) -> None:
    async def nothing() -> AsyncIterator[dict[str, Any]]:  # pragma: no cover
        yield {"type": "http.disconnect"}

    app = create_app(router, client=FakeClient(OK))
    with_body = http_scope(method, path, content_length="10")
    sent = await run_raw(app, with_body, nothing())
    assert sent[0]["status"] == status and (b"connection", b"close") in sent[0]["headers"]
    chunked = await run_raw(app, http_scope(method, path, transfer_encoding="chunked"), nothing())
    assert (b"connection", b"close") in chunked[0]["headers"]
    without = await run_raw(app, http_scope(method, path, content_length="0"), nothing())
    assert (b"connection", b"close") not in without[0]["headers"]


async def test_an_oversized_body_reply_closes_the_connection(router: WebhookRouter) -> None:
    async def nothing() -> AsyncIterator[dict[str, Any]]:  # pragma: no cover
        yield {"type": "http.disconnect"}

    app = create_app(router, max_body_bytes=10)
    sent = await run_raw(app, http_scope(content_length="11"), nothing())
    assert sent[0]["status"] == 413 and (b"connection", b"close") in sent[0]["headers"]
