"""StripeEmulator: an in-memory, stateful, test-mode Stripe, as an httpx transport and ASGI app."""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from typing import Any, Literal
from urllib.parse import quote

import httpx

from .. import API_VERSION
from ._app import EmulatorApp, Reply
from ._delivery import ASGIApp, Delivery, Dispatcher, chosen_secret, sign
from ._errors import EmulatorError
from ._flows.billing import portal
from ._flows.billing.clock import finish_advances, frame_of
from ._flows.checkout.sessions import complete
from ._flows.connect import accounts
from ._flows.payments.payment_intents import authenticate
from ._flows.payments.setup_intents import authenticate_setup
from ._generic import add_object, generic_routes
from ._retries import RetryBook
from ._router import Route, Router
from ._routes import ROUTES, install
from ._routes.time_helpers import move_emulator_clock
from ._settings import LIVE_WEBHOOK_RETRIES, BillingSettings, FinalFailure
from ._state import Outgoing, State
from ._stateless import stand_in, stateless_routes
from ._store import ClockFn, FrozenClock, IdMaker, wall_clock
from ._v2_events import delivery_of

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

WebhookMode = Literal["inline", "manual"]


@functools.cache
def _all_routes() -> tuple[Route, ...]:
    """The hand-written routes, then the generic ones for every other v1 operation."""
    return (*ROUTES, *generic_routes(ROUTES))


@functools.cache
def _stateless_router() -> Router:
    return Router(stateless_routes())


class StripeEmulator:
    """A test-mode Stripe in memory.

    ```python
    emulator = StripeEmulator(seed=42)               # seeded ids, frozen clock
    async with StripeClient.for_emulator(emulator) as stripe:
        pi = await stripe.payment_intents.create(amount=1000, currency="usd",
                                                 payment_method="pm_card_visa", confirm=True,
                                                 return_url="https://example.com/done")
    ```

    - `seed`: ids (and request ids) come from a seeded generator, and unless a
      `clock` is given time is frozen at 2023-11-14T22:13:20Z; two runs that make
      the same calls get identical objects.
    - `clock`: a callable returning unix seconds (`FrozenClock()` lets tests move time).
    - `webhook_delivery`: "inline" delivers a request's events to webhook endpoints
      before the reply returns; "manual" queues them for `await deliver_pending()`.
    - `webhook_hosts`: host names besides loopback that deliveries may reach (say a
      compose service, `"app"`); by default only loopback URLs and ASGI apps from
      `register_asgi_endpoint()` receive events.
    - `check_webhook_urls`: refuse, with a 400 at creation, endpoint URLs no delivery
      would reach (the served emulator does; in process an ASGI app may be registered
      for a URL after its endpoint is created).
    - `webhook_secret`: the `whsec_...` secret every webhook endpoint gets (its
      `secret` at creation) and every delivery is signed with, so a
      `WebhookRouter(os.environ["STRIPE_WEBHOOK_SECRET"])` built at import verifies
      them. Defaults to `STRIPE_WEBHOOK_SECRET` when set (its first entry), else a
      random secret per endpoint. A value not starting `whsec_` is a ValueError.
    - `payment_retry_days`, `after_final_failure`, `upcoming_renewal_days`: the
      Dashboard's billing settings: days between retries of a failed subscription
      payment (each after the previous attempt; default 3, 5, 7), what the subscription
      becomes when the last one fails ("canceled", "unpaid" or "past_due"), and how many
      days before a renewal `invoice.upcoming` is sent (3).
    - `webhook_retry_delays`: seconds between delivery attempts of an event an endpoint
      did not acknowledge with a 2xx (default: 1, 2, 4, 8, 16 and 32 hours, within
      Stripe's three days); `()` never retries.
    - `stripe_mock`: answer as stripe-mock does, keeping nothing: any id resolves to
      an object of its operation's type with that id, a create returns a fresh one, a
      list or search holds one object; parameters are still checked against the API.
      No hand-written flow (payments, billing, Checkout) takes part.

    It is also an ASGI app (`python -m stripe_async emulator` serves it) and only
    ever answers test-mode keys.
    """

    def __init__(
        self,
        *,
        seed: int | None = None,
        clock: ClockFn | None = None,
        api_version: str = API_VERSION,
        webhook_delivery: WebhookMode = "inline",
        webhook_timeout: float = 10.0,
        webhook_hosts: Iterable[str] = (),
        check_webhook_urls: bool = False,
        webhook_secret: str | None = None,
        stripe_mock: bool = False,
        payment_retry_days: Sequence[int] = (3, 5, 7),
        after_final_failure: FinalFailure = "canceled",
        upcoming_renewal_days: int = 3,
        webhook_retry_delays: Sequence[int] = LIVE_WEBHOOK_RETRIES,
    ) -> None:
        if webhook_delivery not in ("inline", "manual"):
            raise ValueError('webhook_delivery must be "inline" or "manual"')
        secret = chosen_secret(webhook_secret)
        if clock is None:
            clock = FrozenClock() if seed is not None else wall_clock
        self.seed = seed
        self.clock = clock
        self.webhook_delivery: WebhookMode = webhook_delivery
        settings = BillingSettings(
            payment_retry_days=tuple(payment_retry_days),
            after_final_failure=after_final_failure,
            upcoming_renewal_days=upcoming_renewal_days,
            webhook_retry_delays=tuple(webhook_retry_delays),
        )
        self._state = State(
            ids=IdMaker(seed),
            clock=clock,
            api_version=api_version,
            webhook_secret=secret,
            settings=settings,
        )
        self.stripe_mock = stripe_mock
        request_ids = IdMaker(seed, stream="requests")
        if stripe_mock:
            self._state.stand_in = stand_in(self._state)
            self._app = EmulatorApp(self._state, _stateless_router(), request_ids, any_account=True)
        else:
            install(self._state)
            self._app = EmulatorApp(self._state, Router(_all_routes()), request_ids)
        self._dispatcher = Dispatcher(webhook_timeout, webhook_hosts)
        if check_webhook_urls:
            self._state.webhook_url_refusal = self._dispatcher.refusal
        self._lock = threading.RLock()
        self._pending: list[Outgoing] = []
        self._retries = RetryBook()
        #: Test clocks advanced by requests, made ready once no delivery is in flight.
        self._finishing: set[str] = set()
        self._in_flight = 0
        #: Every delivery attempt so far, oldest first.
        self.deliveries: list[Delivery] = []

    # --- plugging in ----------------------------------------------------------

    #: Where `StripeClient.for_emulator()` sends requests: a reserved name that never
    #: resolves, so httpx's log lines show the call went to the emulator, not Stripe.
    base_url = "https://stripe-emulator.invalid"

    def transport(self) -> httpx.AsyncBaseTransport:
        """An httpx transport that answers from this emulator, in process."""
        return EmulatorTransport(self)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point (HTTP and lifespan)."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(scope["path"])
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        reply = self.handle(
            scope["method"],
            path,
            scope.get("query_string", b"").decode("latin-1"),
            headers,
            b"".join(chunks),
        )
        await send(
            {
                "type": "http.response.start",
                "status": reply.status,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers],
            }
        )
        await send({"type": "http.response.body", "body": reply.body})
        await self._settle(reply.outgoing)

    def handle(
        self,
        method: str,
        path: str,
        query: str,
        headers: MutableMapping[str, str] | dict[str, str],
        body: bytes,
    ) -> Reply:
        """Answer one request synchronously (events are queued, not yet delivered)."""
        with self._lock:
            reply = self._app.handle(method, path, query, headers, body)
            self._finishing.update(self._state.advanced)
            self._state.advanced.clear()
            return reply

    # --- webhooks -------------------------------------------------------------

    def register_asgi_endpoint(self, url: str, app: ASGIApp) -> None:
        """Deliver events for webhook endpoints with this exact `url` to `app`, in process."""
        self._dispatcher.asgi_apps[url] = app

    async def _after(self, outgoing: list[Outgoing]) -> None:
        if not outgoing:
            return
        if self.webhook_delivery == "inline":
            await self._deliver(outgoing)
        else:
            self._pending.extend(outgoing)

    async def _settle(self, outgoing: list[Outgoing]) -> None:
        """After a request: deliver its events, make the retries now due, and finish
        any test clock advance (its `ready` event comes last)."""
        await self._after(outgoing)
        await self._retry_due()
        with self._lock:
            if self._in_flight or not self._finishing:
                return  # the request whose delivery is still in flight finishes them
            clocks, self._finishing = sorted(self._finishing), set()
            done = self._out_of_band(lambda state: finish_advances(state, clocks))
        await self._after(done)

    async def _retry_due(self) -> list[Delivery]:
        made: list[Delivery] = []
        for _ in range(10_000):  # bounded: every retry moves its schedule on or ends it
            with self._lock:
                job = self._retries.take_due(self._state)
            if job is None:
                break
            made.extend(await self._deliver([job]))
        return made

    async def deliver_pending(self) -> list[Delivery]:
        """Deliver every queued event (webhook_delivery="manual"); return the attempts."""
        jobs, self._pending = self._pending, []
        return await self._deliver(jobs)

    @property
    def pending_deliveries(self) -> int:
        return len(self._pending)

    async def _deliver(self, jobs: list[Outgoing]) -> list[Delivery]:
        results = []
        for job in jobs:
            with self._lock:
                event = self._state.store.find(job.event_id)
                endpoint = self._state.store.find(job.endpoint_id)
                secret = self._state.secrets.get(job.endpoint_id)
                if event is None or endpoint is None or secret is None:
                    continue  # the endpoint was deleted meanwhile
                if endpoint["status"] != "enabled":
                    # A disabled endpoint gets nothing more, retries included.
                    self._retries.drop((job.event_id, job.endpoint_id))
                    continue
                payload, url = delivery_of(event, endpoint)  # v1 snapshot or v2 thin
                # A v2 event's `created` is an RFC 3339 string: its first attempt is now.
                created = event["created"]
                if not isinstance(created, int):
                    created = int(self._state.now())
                at = self._retries.attempted_at(self._state, job, created)
                self._in_flight += 1
            try:
                status, error = await self._dispatcher.post(url, payload, sign(payload, secret))
            finally:
                with self._lock:
                    self._in_flight -= 1
            delivery = Delivery(
                event["id"], event["type"], endpoint["id"], url, status, error, job.attempt, at
            )
            with self._lock:
                acknowledged = self._retries.record(self._state, job, at, delivery.ok)
                if acknowledged and "pending_webhooks" in event:  # v2 events keep no count
                    event["pending_webhooks"] = max(0, event["pending_webhooks"] - 1)
                self.deliveries.append(delivery)
            results.append(delivery)
        return results

    # --- test helpers ---------------------------------------------------------

    def get(self, object_id: str) -> dict[str, Any] | None:
        """A copy of any stored object by id (None when unknown)."""
        with self._lock:
            obj = self._state.store.find(object_id)
            return copy.deepcopy(obj) if obj is not None else None

    def add_object(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Store an object Stripe makes on its own, for a test to act on: a dispute, a
        review, a mandate, an Issuing transaction. `kind` is its `object` value
        ("dispute", "issuing.transaction"); fields not given get a plausible value.

        ```python
        dispute = emulator.add_object("dispute", charge=charge_id, status="needs_response")
        ```
        """
        with self._lock:
            return copy.deepcopy(add_object(self._state, kind, fields))

    def events(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """Copies of the events so far, in every account, oldest first (optionally of one
        type); a connected account's events carry `account`."""
        with self._lock:
            return [
                copy.deepcopy(e)
                for e in self._state.store.everything("event")
                if event_type is None or e["type"] == event_type
            ]

    def webhook_secret(self, endpoint_id: str) -> str:
        """The signing secret of a webhook endpoint (Stripe shows it once, at creation)."""
        return self._state.secrets[endpoint_id]

    @property
    def fixed_webhook_secret(self) -> str | None:
        """The secret every endpoint shares (`webhook_secret=` or the environment), if any."""
        return self._state.webhook_secret

    async def advance_clock(self, seconds: int) -> int:
        """Move the emulator's FrozenClock forward `seconds`, running on the way whatever
        falls due for objects on no test clock, each at its own time (trials end,
        subscriptions renew, invoices are finalized and retried, webhook deliveries are
        retried, Checkout Sessions expire). The same as `POST /_emulator/clock/advance`.
        Objects on a test clock move with it instead. Returns the new time."""
        if not isinstance(self.clock, FrozenClock):
            raise TypeError(
                "advance_clock needs the emulator's FrozenClock: create the emulator with "
                "seed=... or clock=FrozenClock()"
            )
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        target = self.clock.now + int(seconds)
        await self._run_time(lambda state: move_emulator_clock(state, target))
        return self.clock.now

    async def run_billing(self) -> None:
        """Run what has fallen due by the emulator's current time (after moving a clock
        given as `clock=` by hand, or with the wall clock)."""
        await self._run_time(lambda state: move_emulator_clock(state, state.now()))

    async def _run_time(self, action: Callable[[State], Any]) -> None:
        with self._lock:
            outgoing = self._out_of_band(action)
        await self._settle(outgoing)

    async def complete_checkout(
        self,
        session: str,
        *,
        payment_method: str = "pm_card_visa",
        email: str | None = None,
        name: str | None = None,
        promotion_code: str | None = None,
        three_d_secure: bool = True,
    ) -> dict[str, Any]:
        """Complete an open Checkout Session as the customer would on the Checkout page.

        Pays with the test card `payment_method` (or saves it, in setup mode), entering
        `promotion_code` when the session allows codes; a 3D Secure challenge is passed
        unless `three_d_secure=False`. Creates what Stripe creates (Customer,
        PaymentIntent, Subscription and its first Invoice, or SetupIntent) and sends
        `checkout.session.completed`. A declined card or failed challenge leaves the
        session `open`. Returns the session as a dict.
        """
        return await self._as_customer(
            lambda state: complete(
                state,
                state.require("checkout.session", session, "checkout.session"),
                payment_method=payment_method,
                email=email,
                name=name,
                promotion_code=promotion_code,
                three_d_secure=three_d_secure,
            ),
            within=session,
        )

    async def complete_3ds(self, intent: str, *, succeed: bool = True) -> dict[str, Any]:
        """Answer the 3D Secure challenge of a `requires_action` PaymentIntent (`pi_...`) or
        SetupIntent (`seti_...`), as the customer would in the browser. Returns the updated
        intent as a dict (read `result["status"]`)."""
        if intent.startswith("seti_"):
            return await self._as_customer(
                lambda state: authenticate_setup(
                    state, state.require("setup_intent", intent, "setup_intent"), succeed
                ),
                within=intent,
            )
        return await self._as_customer(
            lambda state: authenticate(
                state, state.require("payment_intent", intent, "payment_intent"), succeed
            ),
            within=intent,
        )

    async def portal_cancel(
        self, session: str, subscription: str, *, reason: str | None = None
    ) -> dict[str, Any]:
        """In the customer portal of `session` (a `bps_...`), the customer cancels
        `subscription`: at period end or at once, as the portal configuration says."""
        return await self._as_customer(
            lambda state: portal.cancel(state, session, subscription, reason), within=session
        )

    async def portal_switch_price(
        self, session: str, subscription: str, price: str, *, quantity: int | None = None
    ) -> dict[str, Any]:
        """The customer switches `subscription` to `price` (offered by the configuration)."""
        return await self._as_customer(
            lambda state: portal.switch_price(state, session, subscription, price, quantity),
            within=session,
        )

    async def portal_update_payment_method(
        self, session: str, payment_method: str = "pm_card_mastercard"
    ) -> dict[str, Any]:
        """The customer adds a card and makes it their default (customer and subscriptions).
        Returns the customer."""
        return await self._as_customer(
            lambda state: portal.update_payment_method(state, session, payment_method),
            within=session,
        )

    async def complete_onboarding(self, account: str) -> dict[str, Any]:
        """The connected account's owner finishes the onboarding an account link opens:
        requirements are met and requested capabilities become active."""
        return await self._as_customer(
            lambda state: accounts.finish_onboarding(
                state, state.require("account", account, "account")
            )
        )

    async def _as_customer(
        self, action: Callable[[State], dict[str, Any]], *, within: str | None = None
    ) -> dict[str, Any]:
        """Run a test helper's action in the account that owns `within` (an object id),
        as the customer's browser would; an emulator error becomes a ValueError."""
        box: list[dict[str, Any]] = []
        store = self._state.store
        with self._lock:
            store.scope = store.owner(within) if within else None
            found = store.find(within) if within else None
            # As the customer's browser: on their test clock's time when they have one.
            self._state.test_clock = frame_of(self._state, found) if found else None
            try:
                outgoing = self._out_of_band(lambda state: box.append(action(state)))
            except EmulatorError as error:
                raise ValueError(error.message) from None
            finally:
                store.scope = self._state.test_clock = None
            result = copy.deepcopy(box[0])
        await self._settle(outgoing)
        return result

    def _out_of_band(self, action: Callable[[State], Any]) -> list[Outgoing]:
        state = self._state
        state.outbox = []
        try:
            action(state)
            return state.outbox
        finally:
            state.outbox = []


class EmulatorTransport(httpx.AsyncBaseTransport):
    """Routes httpx requests straight into a StripeEmulator (no sockets)."""

    def __init__(self, emulator: StripeEmulator) -> None:
        self.emulator = emulator

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        raw = request.url.raw_path.decode("ascii")
        path, _, query = raw.partition("?")
        headers = {k.lower(): v for k, v in request.headers.items()}
        reply = self.emulator.handle(request.method, path, query, headers, body)
        await self.emulator._settle(reply.outgoing)
        return httpx.Response(
            reply.status, headers=reply.headers, content=reply.body, request=request
        )
