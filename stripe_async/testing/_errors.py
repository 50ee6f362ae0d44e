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


def not_found(label: str, object_id: str, *, param: str | None = "id") -> EmulatorError:
    return EmulatorError(
        404, f"No such {label}: '{object_id}'", code="resource_missing", param=param
    )


def unexpected_state(message: str, code: str = "payment_intent_unexpected_state") -> EmulatorError:
    return EmulatorError(400, message, code=code)


def unrecognized_url(method: str, path: str) -> EmulatorError:
    return EmulatorError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
        "or we can help at https://support.stripe.com/.",
    )


def authentication(message: str, *, code: str | None = None) -> EmulatorError:
    return EmulatorError(401, message, code=code)
