"""Errors the emulator answers with, in Stripe's `{"error": {...}}` shape."""

from __future__ import annotations

from typing import Any

DOC_BASE = "https://stripe.com/docs/error-codes/"


class EmulatorError(Exception):
    """Raised by handlers; the app turns it into Stripe's error reply.

    `saved` says whether an idempotent request that failed this way keeps the
    result (Stripe keeps card errors, which happen after the endpoint started
    work, but not parameter validation failures).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        extra: dict[str, Any] | None = None,
        saved: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.extra = dict(extra or {})
        self.saved = saved

    def body(self, request_id: str) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = DOC_BASE + self.code.replace("_", "-")
        if self.param is not None:
            error["param"] = self.param
        if self.decline_code is not None:
            error["decline_code"] = self.decline_code
        error.update(self.extra)
        error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        return {"error": error}


def invalid(message: str, *, param: str | None = None, code: str | None = None) -> EmulatorError:
    """A 400 invalid_request_error."""
    return EmulatorError(400, message, param=param, code=code)


def missing_param(param: str) -> EmulatorError:
    return EmulatorError(
        400, f"Missing required param: {param}.", code="parameter_missing", param=param
    )


def unknown_param(param: str) -> EmulatorError:
    return EmulatorError(
        400, f"Received unknown parameter: {param}", code="parameter_unknown", param=param
    )


#: What to do instead, for parameters people reach for and the emulator cannot honour.
UNSUPPORTED_HINTS = {
    "automatic_tax": "the emulator computes no tax: leave automatic_tax off (or enabled=false) "
    "in tests, and test tax against Stripe's test mode",
    "proration_behavior": "the emulator does not credit unused time when a subscription is "
    "canceled at once: keep proration_behavior='none' there, and test it against Stripe's "
    "test mode",
    "payment_behavior": "the emulator applies a change at once and has no pending updates: "
    "use allow_incomplete or default_incomplete",
    "customer_account": "use `customer` (Accounts v2 customers are not modelled)",
}


def unsupported_param(param: str, value: str | None = None) -> EmulatorError:
    """A parameter (or one `value` of it) Stripe accepts that the emulator would otherwise
    get wrong: a 400 that names it, never a reply that silently ignores it."""
    leaf = param.rpartition("[")[2].rstrip("]")
    hint = UNSUPPORTED_HINTS.get(leaf) or (
        "leave it out of calls that run on the emulator, or run this call against Stripe's "
        "test mode"
    )
    what = f"the parameter {param}" if value is None else f"{param}={value}"
    return EmulatorError(
        400,
        f"The Stripe emulator cannot honour {what}: Stripe accepts it here, but the "
        f"emulator does not model it, so it refuses rather than ignore it: {hint}.",
        code="emulator_unsupported",
        param=param,
    )


def naming_operation(error: EmulatorError, operation: str) -> EmulatorError:
    """An `emulator_unsupported` refusal also names the operation (`POST /v1/invoices`)."""
    if error.code == "emulator_unsupported" and operation not in error.message:
        error.message = f"{operation}: {error.message}"
    return error


def not_found(label: str, object_id: str, *, param: str | None = "id") -> EmulatorError:
    return EmulatorError(
        404, f"No such {label}: '{object_id}'", code="resource_missing", param=param
    )


def unexpected_state(message: str, code: str = "payment_intent_unexpected_state") -> EmulatorError:
    return EmulatorError(400, message, code=code)


#: The first path segment of every resource family in Stripe's v1 API: a URL under one of
#: these is a real Stripe endpoint, so when no route matches, the emulator says it does
#: not emulate it instead of calling the URL unknown.
STRIPE_V1_FAMILIES = frozenset(
    {
        "account",
        "account_links",
        "account_sessions",
        "accounts",
        "apple_pay",
        "application_fees",
        "apps",
        "balance",
        "balance_settings",
        "balance_transactions",
        "billing",
        "billing_portal",
        "charges",
        "checkout",
        "climate",
        "confirmation_tokens",
        "country_specs",
        "coupons",
        "credit_notes",
        "customer_sessions",
        "customers",
        "disputes",
        "entitlements",
        "ephemeral_keys",
        "events",
        "exchange_rates",
        "file_links",
        "files",
        "financial_connections",
        "forwarding",
        "identity",
        "invoice_payments",
        "invoice_rendering_templates",
        "invoiceitems",
        "invoices",
        "issuing",
        "mandates",
        "payment_attempt_records",
        "payment_intents",
        "payment_links",
        "payment_method_configurations",
        "payment_method_domains",
        "payment_methods",
        "payment_records",
        "payouts",
        "plans",
        "prices",
        "product_catalog",
        "products",
        "promotion_codes",
        "quotes",
        "radar",
        "refunds",
        "reporting",
        "reviews",
        "setup_attempts",
        "setup_intents",
        "shipping_rates",
        "sigma",
        "sources",
        "subscription_items",
        "subscription_schedules",
        "subscriptions",
        "tax",
        "tax_codes",
        "tax_ids",
        "tax_rates",
        "terminal",
        "test_helpers",
        "three_d_secure",
        "tokens",
        "topups",
        "transfers",
        "treasury",
        "webhook_endpoints",
    }
)


def unrecognized_url(method: str, path: str) -> EmulatorError:
    """Stripe's 404 for an unknown URL; under a Stripe resource family the emulator does
    not fully model, a 404 that names the endpoint and says the emulator lacks it."""
    segments = path.split("/")
    if len(segments) > 2 and segments[1] == "v1" and segments[2] in STRIPE_V1_FAMILIES:
        return EmulatorError(
            404,
            f"The Stripe emulator does not support {method} {path}: it emulates only part "
            "of Stripe's API (docs/testing.md lists what). Check the URL, or run this call "
            "against Stripe's test mode.",
        )
    return EmulatorError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
        "or we can help at https://support.stripe.com/.",
    )


def authentication(message: str, *, code: str | None = None) -> EmulatorError:
    return EmulatorError(401, message, code=code)
