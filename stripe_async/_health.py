"""HealthStatus: what `health_check()` returns (its own module, built on first use)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

__all__ = ["HealthStatus"]


class HealthStatus(BaseModel):
    """The result of `health_check()`: safe to serve from a health endpoint (no secrets).

    `degraded` means the probe never left this process: the client-side rate limit
    had no free slot within the timeout (this process is saturated; Stripe may be fine).
    """

    status: Literal["ok", "degraded", "down"]
    latency_ms: float
    api_version: str
    livemode: bool | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"
