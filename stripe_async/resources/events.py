"""/v1/events"""

from __future__ import annotations

from typing_extensions import Unpack

from ..models import Event
from ..pagination import ListPager
from ._base import Service, path_id
from ._params.events import EventListParams, EventRetrieveParams

__all__ = ["EventListParams", "EventRetrieveParams", "EventsService"]

_PATH = "/v1/events"


class EventsService(Service):
    """Events of the last 30 days (the same objects webhooks deliver)."""

    async def retrieve(self, id: str, **params: Unpack[EventRetrieveParams]) -> Event:
        """Fetch an event by id (e.g. to re-check a webhook's payload)."""
        return await self._request("GET", f"{_PATH}/{path_id(id)}", params, Event)

    def list(self, **params: Unpack[EventListParams]) -> ListPager[Event]:
        """Events, newest first (filter with `type=` or `types=[...]`)."""
        return self._list(_PATH, params, Event)
