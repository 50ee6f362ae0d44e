"""The request pipeline: auth, routing, parameters, idempotency, expansion, replies."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._errors import EmulatorError, authentication
from ._expand import expand
from ._form import parse_form
from ._idempotency import IdempotencyCache, Saved, fingerprint
from ._params import STR_LIST
from ._router import Router, call
from ._state import Outgoing, State
from ._store import IdMaker

_TEST_KEY = re.compile(r"^(sk|rk|pk)_test_[A-Za-z0-9_]+$")
# No CORS headers here: the served front (LocalFront) adds them for origins it lets in.
_OPTIONS_HEADERS = [("allow", "GET, POST, DELETE, OPTIONS")]


@dataclass
class Reply:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    #: Events this request produced that still have to reach webhook endpoints.
    outgoing: list[Outgoing] = field(default_factory=list)


def mask_key(key: str) -> str:
    """`sk_test_****wxyz`: enough to recognise a key, never enough to use it."""
    prefix, _, rest = key.rpartition("_")
    shown = rest[-4:] if len(rest) > 8 else ""
    return f"{prefix + '_' if prefix else ''}{'*' * 8}{shown}"


def api_key_from(headers: Mapping[str, str]) -> str:
    """The API key of a request, or Stripe's 401 (live keys are refused here)."""
    header = headers.get("authorization", "").strip()
    if not header:
        raise authentication(
            "You did not provide an API key. You need to provide your API key in the "
            "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
            "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details."
        )
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer":
        key = credentials.strip()
    elif scheme.lower() == "basic":
        try:
            key = base64.b64decode(credentials.strip(), validate=True).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            raise authentication("Invalid Basic authorization header.") from None
    else:
        raise authentication(
            "Invalid Authorization header: use 'Authorization: Bearer YOUR_SECRET_KEY'."
        )
    if key.startswith(("sk_live_", "rk_live_", "pk_live_")):
        raise authentication(
            "The Stripe emulator is test-mode only: live-mode keys are refused. Use a test "
            "key such as sk_test_emulator.",
            code="livemode_mismatch",
        )
    if not _TEST_KEY.match(key):
        raise authentication(f"Invalid API Key provided: {mask_key(key)}")
    return key


class EmulatorApp:
    """Turns one HTTP request into one reply; synchronous and run under a lock."""

    def __init__(
        self, state: State, router: Router, request_ids: IdMaker, *, any_account: bool = False
    ) -> None:
        self.state = state
        #: Take any `Stripe-Account` id (stripe-mock mode keeps no accounts to check).
        self.any_account = any_account
        self.router = router
        self.request_ids = request_ids
        self.idempotency = IdempotencyCache()

    def handle(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> Reply:
        method = method.upper()
        request_id = "req_" + self.request_ids.token(14)
        version = headers.get("stripe-version") or self.state.api_version
        base_headers = [
            ("content-type", "application/json"),
            ("request-id", request_id),
            ("stripe-version", version),
        ]
        idem_key = headers.get("idempotency-key") if method == "POST" else None
        if idem_key is not None:
            base_headers.append(("idempotency-key", idem_key))
        state = self.state
        state.request_id, state.idempotency_key = request_id, idem_key
        state.outbox = []
        owner = ""
        raw: dict[str, Any] = {}
        if method == "OPTIONS":  # a preflight carries no key; LocalFront adds any CORS
            return Reply(204, b"", [("request-id", request_id), *_OPTIONS_HEADERS])
        try:
            if path.startswith("/v2/"):  # JSON bodies, its own routes: see _v2.py
                from ._v2 import serve_v2

                base_headers.append(("stripe-emulator-fidelity", "modelled"))
                status, payload = serve_v2(
                    self, method, path, query, headers, body, api_key_from, base_headers
                )
                return Reply(status, _dump(payload), base_headers, state.outbox)
            owner = api_key_from(headers)
            route, path_args = self.router.match(method, path)
            # Every reply of a route says how faithful it is, errors included.
            base_headers.append(("stripe-emulator-fidelity", route.fidelity))
            state.publishable = owner.startswith("pk_")
            if state.publishable and not route.publishable:
                raise authentication(
                    "This API call cannot be made with a publishable API key. Please use a "
                    "secret API key (sk_test_...)."
                )
            self._enter_account(owner, headers.get("stripe-account"))
            # Idempotency keys are per account, as on Stripe.
            owner = f"{owner}:{state.store.scope or ''}"
            raw = parse_form(query)
            if method == "POST":
                raw.update(parse_form(body.decode("utf-8", "replace")))
            endpoint = f"{method} {path}"
            if idem_key is not None:
                saved = self.idempotency.lookup(owner, idem_key, endpoint, raw, state.now())
                if saved is not None:
                    headers_out = [
                        *base_headers,
                        ("idempotent-replayed", "true"),
                        ("original-request", saved.request_id),
                    ]
                    return Reply(saved.status, saved.body, headers_out)
            expand_paths = STR_LIST.coerce(raw.get("expand", []), "expand")
            params = route.params.coerce({k: v for k, v in raw.items() if k != "expand"}, "")
            state.expand = expand_paths
            if state.on_request is not None:
                state.on_request(state, route.pattern, params, path_args)
            result = call(route, state, params, path_args)
            payload = expand(state, result, expand_paths)
            reply = Reply(route.status, _dump(payload), base_headers, state.outbox)
            if idem_key is not None:
                self._save(owner, idem_key, endpoint, raw, reply, request_id)
            return reply
        except EmulatorError as error:
            reply = Reply(error.status, _dump(error.body(request_id)), base_headers, state.outbox)
            if idem_key is not None and error.saved:
                self._save(owner, idem_key, f"{method} {path}", raw, reply, request_id)
            return reply
        finally:
            state.store.scope = state.test_clock = None
            state.request_id = state.idempotency_key = None
            state.publishable = False
            state.outbox = []

    def _enter_account(self, key: str, account: str | None) -> None:
        """`Stripe-Account: acct_...`: act as that connected account (its objects only)."""
        if not account:
            return
        store = self.state.store
        if self.any_account:
            store.scope = account
            return
        found = store.find(account)
        if found is None or found["object"] != "account" or store.owner(account) is not None:
            raise EmulatorError(
                403,
                f"The provided key '{mask_key(key)}' does not have access to account "
                f"'{account}' (or that account does not exist). Application access may have "
                "been revoked.",
                code="account_invalid",
            )
        store.scope = account

    def _save(
        self, owner: str, key: str, endpoint: str, raw: Any, reply: Reply, request_id: str
    ) -> None:
        # The emulator's own clock, as at the lookup: a test clock's time is not the key's.
        saved = Saved(
            endpoint, fingerprint(raw), reply.status, reply.body, request_id, self.state.clock()
        )
        self.idempotency.save(owner, key, saved)


def _dump(payload: Any) -> bytes:
    return json.dumps(payload, indent=2).encode("utf-8")
