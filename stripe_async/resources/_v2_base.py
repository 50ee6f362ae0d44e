"""What the v2 services add to the v1 shape: Stripe-Context and `next_page_url` lists.

The request loop sends a `/v2/` path's body as JSON and gives DELETE an
idempotency key too, so a v2 method is as thin as a v1 one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from .._requester import parse_model
from ..errors import InvalidArgumentError
from ..models._base import StripeObject
from ..models.v2._base import NEXT_PAGE_URL, ListObject
from ..pagination import ListPager
from ._base import RequestOptions, Service

M = TypeVar("M", bound=BaseModel)

__all__ = ["V2RequestOptions", "V2Service"]


class V2RequestOptions(RequestOptions, total=False):
    """Per-call options of a v2 method: those of every method (`stripe_context`,
    `headers`, `idempotency_key`, ...)."""


class V2Service(Service):
    """Base of the v2 services (`client.v2.core.event_destinations`, ...)."""

    def _list_v2(self, path: str, params: Mapping[str, Any], item: type[M]) -> ListPager[M]:
        model = ListObject[item]  # type: ignore[valid-type]

        async def fetch(page_params: dict[str, Any]) -> ListObject[M]:
            page_params = dict(page_params)  # the walk keeps its own copy to compare with
            following = page_params.pop(NEXT_PAGE_URL, None)
            if following is None:
                return await self._requester.request_model("GET", path, page_params, model)
            if not isinstance(following, str) or not following.startswith(path):
                raise InvalidArgumentError(f"a page of {path} links outside it: {following!r}")
            return await self._requester.request_model("GET", following, page_params, model)

        return ListPager(fetch, params)

    async def _request_none(
        self, method: str, path: str, params: Mapping[str, Any], *, base: str = "api"
    ) -> None:
        """A call whose reply carries nothing (the meter event stream)."""
        await self._requester.request(method, path, params, base=base)

    async def _request_object(
        self, method: str, path: str, params: Mapping[str, Any], *, base: str = "api"
    ) -> StripeObject:
        content, meta = await self._requester.request(method, path, params, base=base)
        return parse_model(StripeObject, content, meta)
