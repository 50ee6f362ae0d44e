"""What the request loop tells callers about the HTTP reply behind an object."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StripeResponse:
    """Status, headers and ids of the reply that produced a model (`obj.last_response`)."""

    http_status: int
    headers: dict[str, str] = field(repr=False)
    request_id: str | None = None
    idempotency_key: str | None = None

    @property
    def idempotent_replayed(self) -> bool:
        """True when Stripe replayed a stored reply for a reused idempotency key."""
        return self.headers.get("idempotent-replayed", "").lower() == "true"

    @property
    def stripe_version(self) -> str | None:
        """The API version Stripe used to render the reply."""
        return self.headers.get("stripe-version")
