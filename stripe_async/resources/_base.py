"""The shape every service shares: a path, a verb, params and a model."""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, Union

from pydantic import BaseModel, Discriminator, Tag, TypeAdapter
from typing_extensions import TypedDict

from .._requester import parse_model, path_id
from ..errors import InvalidArgumentError
from ..models._base import ListObject, SearchResult, StripeObject
from ..pagination import ListPager, SearchPager

if TYPE_CHECKING:
    from .._requester import Requester

M = TypeVar("M", bound=BaseModel)

__all__ = ["RequestOptions", "Service", "params_attr", "path_id"]


class RequestOptions(TypedDict, total=False):
    """Per-call options every method accepts beside Stripe's own parameters.

    The parameter types of every method inherit them. In a v1 method, an optional
    parameter that is not an object also takes `None`, which leaves it out of the request.
    """

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
    stripe_context: str | None
    """Sent as `Stripe-Context` (e.g. `"acct_123"`); None drops the client's for this call."""
    headers: Mapping[str, str]
    """Extra HTTP headers, sent after ours (yours win; `Authorization` is refused, use
    `api_key`; an `Idempotency-Key` header is taken as `idempotency_key`)."""


class ExpandParams(RequestOptions, total=False):
    expand: list[str]
    """Related objects to expand in the reply (e.g. `["customer"]`)."""


class Service:
    """Base of the services (`client.customers`, ...). Methods are a few lines each."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any],
        model: type[M],
        *,
        base: str = "api",
        multipart: bool = False,
    ) -> M:
        return await self._requester.request_model(
            method, path, params, model, base=base, multipart=multipart
        )

    async def _request_one_of(
        self, method: str, path: str, params: Mapping[str, Any], models: tuple[type[M], ...]
    ) -> Any:
        """A call whose reply is one of several objects, told apart by its `object` field."""
        content, meta = await self._requester.request(method, path, params)
        parser: Any = _parser(models)
        return parse_model(parser, content, meta)

    async def _request_bytes(
        self, method: str, path: str, params: Mapping[str, Any], *, base: str = "api"
    ) -> bytes:
        """A call whose reply is a file (e.g. a quote's PDF), returned as bytes."""
        content, _ = await self._requester.request(method, path, params, base=base)
        return content

    def _list_one_of(
        self, path: str, params: Mapping[str, Any], models: tuple[type[M], ...]
    ) -> ListPager[Any]:
        return self._list(path, params, one_of(models))

    def _list(
        self, path: str, params: Mapping[str, Any], item: type[M], required: tuple[str, ...] = ()
    ) -> ListPager[M]:
        for name in required:
            if not isinstance(params.get(name), str) or not params[name].strip():
                raise InvalidArgumentError(f"listing {path} needs {name}='...' (a non-empty id)")
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


@functools.cache
def one_of(models: tuple[type[BaseModel], ...]) -> Any:
    """The type of a reply that is one of `models`, told apart by its `object` field.

    Unknown kinds parse as `StripeObject`, so a new kind never fails a call.
    """
    kinds = {_kind(model): model for model in models}

    def pick(value: Any) -> str:
        kind = value.get("object") if isinstance(value, dict) else getattr(value, "object", None)
        return kind if kind in kinds else "*"

    choices = [Annotated[model, Tag(kind)] for kind, model in kinds.items()]
    choices.append(Annotated[StripeObject, Tag("*")])
    return Annotated[Union[tuple(choices)], Discriminator(pick)]


class _OneOfParser:
    """Gives a union the `model_validate_json` that `parse_model` calls."""

    def __init__(self, models: tuple[type[BaseModel], ...]) -> None:
        self.__name__ = " | ".join(model.__name__ for model in models)
        self._adapter: TypeAdapter[Any] = TypeAdapter(one_of(models))

    def model_validate_json(self, content: bytes) -> Any:
        return self._adapter.validate_json(content)


@functools.cache
def _parser(models: tuple[type[BaseModel], ...]) -> _OneOfParser:
    return _OneOfParser(models)


def _kind(model: type[BaseModel]) -> str:
    field = model.model_fields.get("object")
    default = field.default if field is not None else None
    return default if isinstance(default, str) else model.__name__.lower()


def params_attr(module: str, params_module: str, name: str) -> Any:
    """A service module's parameter TypedDict, imported the first time code names it."""
    if name not in getattr(sys.modules[module], "__all__", ()):
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    params = importlib.import_module(f"{__package__}._params.{params_module}")
    return getattr(params, name)
