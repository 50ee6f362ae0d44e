"""The shape every service shares: a path, a verb, params and a model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from typing_extensions import TypedDict

from .._requester import path_id
from ..errors import InvalidArgumentError
from ..models._base import ListObject, SearchResult
from ..pagination import ListPager, SearchPager

if TYPE_CHECKING:
    from .._requester import Requester

M = TypeVar("M", bound=BaseModel)

__all__ = ["RequestOptions", "Service", "path_id"]


class RequestOptions(TypedDict, total=False):
    """Per-call options every method accepts beside Stripe's own parameters."""

    idempotency_key: str
    """POST only: reuse to make a retried call safe; a UUID4 is made when omitted."""
    stripe_account: str
    """Act on a connected account (Connect)."""
    stripe_version: str
    """Override the API version for this call."""
    timeout: float
    """Seconds before the attempt gives up."""
    max_retries: int
    """Retries for this call (connection errors, 409, 429, 5xx)."""
    api_key: str
    """Use another key for this call."""


class ExpandParams(RequestOptions, total=False):
    expand: list[str]
    """Related objects to expand in the reply (e.g. `["customer"]`)."""


class Service:
    """Base of the services (`client.customers`, ...). Methods are a few lines each."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def _request(
        self, method: str, path: str, params: Mapping[str, Any], model: type[M]
    ) -> M:
        return await self._requester.request_model(method, path, params, model)

    def _list(self, path: str, params: Mapping[str, Any], item: type[M]) -> ListPager[M]:
        model = ListObject[item]  # type: ignore[valid-type]

        async def fetch(page_params: dict[str, Any]) -> ListObject[M]:
            return await self._requester.request_model("GET", path, page_params, model)

        return ListPager(fetch, params)

    def _search(self, path: str, params: Mapping[str, Any], item: type[M]) -> SearchPager[M]:
        if not isinstance(params.get("query"), str) or not params["query"].strip():
            raise InvalidArgumentError(
                "search needs a non-empty query, e.g. query=\"email:'a@b.co'\""
            )
        model = SearchResult[item]  # type: ignore[valid-type]

        async def fetch(page_params: dict[str, Any]) -> SearchResult[M]:
            return await self._requester.request_model("GET", path, page_params, model)

        return SearchPager(fetch, params)
