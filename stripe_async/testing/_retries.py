"""Webhook delivery retries, in emulated time.

A delivery answered with anything but a 2xx (or not answered) is tried again on the
schedule of `BillingSettings.webhook_retry_delays`, each delay counted from the
previous attempt, on the clock of the event's objects: a test clock's advance moves
the retries of its objects' events, the emulator's clock moves the others. An
event's `pending_webhooks` counts the endpoints it was sent to that have not yet
answered one of its deliveries with a 2xx.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._flows.billing.clock import frame_now
from ._state import Outgoing, State

Pair = tuple[str, str]  # (event id, endpoint id)


@dataclass(frozen=True)
class Retry:
    due: int
    attempt: int


@dataclass
class RetryBook:
    """Scheduled retries and the (event, endpoint) pairs delivered so far."""

    scheduled: dict[Pair, Retry] = field(default_factory=dict)
    delivered: set[Pair] = field(default_factory=set)
    #: Pairs the event was sent to when it happened (what `pending_webhooks` counts).
    targeted: set[Pair] = field(default_factory=set)

    def attempted_at(self, state: State, job: Outgoing, created: int) -> int:
        if job.at is not None:
            return job.at
        if job.attempt == 0:  # a resend happens now, on the event's clock
            return frame_now(state, state.meta.get(job.event_id, {}).get("test_clock"))
        return created

    def record(self, state: State, job: Outgoing, at: int, ok: bool) -> bool:
        """Note one attempt's outcome; True when it acknowledges the event for the first
        time (its `pending_webhooks` goes down by one)."""
        pair = (job.event_id, job.endpoint_id)
        if job.attempt >= 1:
            self.targeted.add(pair)
        if ok:
            self.scheduled.pop(pair, None)
            first = pair in self.targeted and pair not in self.delivered
            self.delivered.add(pair)
            return first
        if job.attempt == 0:
            return False  # a resend that fails leaves the schedule as it was
        delays = list(state.settings.webhook_retry_delays)
        if pair not in self.delivered and job.attempt <= len(delays):
            self.scheduled[pair] = Retry(at + int(delays[job.attempt - 1]), job.attempt + 1)
        else:
            self.scheduled.pop(pair, None)
        return False

    def take_due(self, state: State) -> Outgoing | None:
        """The earliest retry due on its event's clock, taken off the schedule (a
        failure schedules the next one)."""
        best: tuple[int, Pair] | None = None
        for pair, retry in self.scheduled.items():
            frame = state.meta.get(pair[0], {}).get("test_clock")
            if retry.due <= frame_now(state, frame) and (best is None or retry.due < best[0]):
                best = (retry.due, pair)
        if best is None:
            return None
        retry = self.scheduled.pop(best[1])
        return Outgoing(best[1][0], best[1][1], attempt=retry.attempt, at=retry.due)

    def drop(self, pair: Pair) -> None:
        self.scheduled.pop(pair, None)
