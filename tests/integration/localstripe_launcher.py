"""Run localstripe's aiohttp app on a loopback socket, with no state on disk.

Started as a child process by `localstripe_harness.LocalStripe`; runnable by hand too:

    uv run python tests/integration/localstripe_launcher.py --port 8420 \
        [--stripe-js-addon tests/examples/checkout_stripe_js_addon.js]

localstripe's own CLI binds every interface and pickles its store to the fixed path
/tmp/localstripe.pickle after each write; here the app listens on 127.0.0.1 only and
the store lives in memory, so every process starts from scratch.

`--stripe-js-addon FILE` adds what a Payment Element page needs and localstripe lacks
(its `localstripe-v3.js` only knows the Card Element and `confirmCardPayment`):
`GET /js.stripe.com/v3/payment-element.js` serves localstripe-v3.js followed by FILE;
`POST /v1/payment_intents/{id}/confirm` authenticated the way Stripe.js does it (a
publishable `key` plus the intent's `client_secret`, card details in
`payment_method_data`) creates the PaymentMethod and confirms the intent. Both stand
in for Stripe's side of the browser flow; requests with a secret key are untouched.
"""

from __future__ import annotations

import argparse
import re
import socket
from pathlib import Path
from typing import Any

from aiohttp import web
from localstripe import resources, server
from localstripe.errors import UserError

_CONFIRM_PATH = re.compile(r"^/v1/payment_intents/(pi_\w+)/confirm$")


def _keep_store_in_memory() -> None:
    # Store.dump_to_disk/try_load_from_disk hard-code /tmp/localstripe.pickle.
    resources.Store.dump_to_disk = lambda self: None  # type: ignore[method-assign]
    resources.Store.try_load_from_disk = lambda self: None  # type: ignore[method-assign]


def _confirm_with_publishable_key(data: dict[str, Any], intent_id: str) -> web.Response:
    intent = resources.PaymentIntent._api_retrieve(intent_id)
    if data.get("client_secret") != intent.client_secret:
        raise UserError(404, f"No such payment_intent: '{intent_id}'")
    method_data = data.get("payment_method_data")
    if not isinstance(method_data, dict) or method_data.get("type") != "card":
        raise UserError(400, "payment_method_data[type] must be card", {"param": "type"})
    method = resources.PaymentMethod(
        type="card",
        card=method_data.get("card"),
        billing_details=method_data.get("billing_details"),
    )
    if intent.status == "requires_payment_method":
        # A new attempt after a decline: Stripe allows it, localstripe's state
        # machine only confirms intents that never had a charge.
        intent.latest_charge = None
    intent.payment_method = method.id
    intent._confirm(on_failure_now=intent._report_failure)
    return server.json_response(intent._export())


@web.middleware
async def _publishable_confirm(request: web.Request, handler: Any) -> web.StreamResponse:
    match = _CONFIRM_PATH.match(request.path)
    if request.method != "POST" or match is None or "Authorization" in request.headers:
        return await handler(request)
    data = await server.get_post_data(request, remove_auth=False) or {}
    key = data.get("key")
    if not (isinstance(key, str) and key.startswith("pk_")):
        return await handler(request)
    try:
        return _confirm_with_publishable_key(data, match.group(1))
    except UserError as exc:
        return exc.to_response()


def _add_stripe_js_addon(app: web.Application, addon: Path) -> None:
    base_js = Path(server.__file__).with_name("localstripe-v3.js").read_text()
    script = base_js + "\n" + addon.read_text()

    async def serve(request: web.Request) -> web.Response:
        return web.Response(text=script, content_type="application/javascript")

    # Under /js.stripe.com/ so no key is needed; not ending in /js.stripe.com/v3/ so
    # the script takes its origin as the API base.
    app.router.add_get("/js.stripe.com/v3/payment-element.js", serve)
    # After error_middleware, before auth_middleware (which wants a secret key).
    app.middlewares.insert(1, _publishable_confirm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--fd", type=int, help="an inherited listening socket")
    where.add_argument("--port", type=int, help="bind 127.0.0.1:PORT")
    parser.add_argument("--stripe-js-addon", type=Path)
    args = parser.parse_args()

    _keep_store_in_memory()
    app = server.app
    if args.stripe_js_addon is not None:
        _add_stripe_js_addon(app, args.stripe_js_addon)
    if args.fd is not None:
        sock = socket.socket(fileno=args.fd)
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", args.port))
        print(f"localstripe on http://127.0.0.1:{args.port}", flush=True)
    web.run_app(app, sock=sock, print=None, access_log=None, shutdown_timeout=1.0)


if __name__ == "__main__":
    main()
