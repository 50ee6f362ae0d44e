"""Base models shared by every resource: lenient to API drift, quiet about secrets."""

from __future__ import annotations

import datetime as _dt
import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from .._response import StripeResponse

__all__ = [
    "ABSENT",
    "DeletedObject",
    "ListObject",
    "Present",
    "SearchResult",
    "StripeModel",
    "StripeObject",
    "lazy_model",
    "timestamp",
]

_HIDDEN_IN_REPR = frozenset({"client_secret", "secret", "number", "cvc"})

ABSENT: Any = None
"""Default of a field the API always sends: typed without `None`, it is None only when a
reply lacks it (API drift), so such a reply still parses instead of failing the call."""


class _NullTolerated:
    """Annotation metadata: also accept `null`, natively (no Python call per value)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.nullable_schema(handler(source))


_V = TypeVar("_V")
Present = Annotated[_V, _NullTolerated()]
"""`Present[int]` is `int` to a type checker: the API documents the field as always sent
and never null. At run time a reply with `null` there (API drift, or a Stripe look-alike
such as localstripe) still parses, like one without the field (see `ABSENT`)."""


def timestamp(value: int | None) -> _dt.datetime | None:
    """Unix seconds (as Stripe sends them) to an aware UTC datetime; None stays None."""
    if value is None:
        return None
    return _dt.datetime.fromtimestamp(value, tz=_dt.timezone.utc)


class StripeModel(BaseModel):
    """Base of every Stripe model.

    Unknown fields are kept (`extra="allow"`) so a newer API version never breaks
    parsing; fields named `client_secret` or `secret` never appear in `repr`.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        arbitrary_types_allowed=False,
        # Built on first use: importing a module of models costs little until one is parsed.
        defer_build=True,
    )

    _hidden_in_repr: ClassVar[frozenset[str]] = _HIDDEN_IN_REPR
    if TYPE_CHECKING:
        # Set by the request loop; stored by `_LastResponseSlot` below, not by pydantic.
        _last_response: StripeResponse | None

    @property
    def last_response(self) -> StripeResponse | None:
        """The HTTP reply this object came from (request id, headers), when fetched."""
        private = self.__pydantic_private__
        if private is None:
            return None
        value = private.get("_last_response")
        return value if isinstance(value, StripeResponse) else None

    def __repr_args__(self) -> Any:
        # Only what Stripe sent (or the caller set): a PaymentIntent has ~50 mostly-null fields.
        declared = type(self).__pydantic_fields__
        fields_set = self.__pydantic_fields_set__
        for name, value in super().__repr_args__():
            if name in declared and name not in fields_set:
                continue
            if name in self._hidden_in_repr and value is not None:
                yield name, "[REDACTED]"
            else:
                yield name, value

    def __eq__(self, other: object) -> bool:
        # Equality is about the data, not about which HTTP reply (last_response) it came from.
        if not isinstance(other, BaseModel):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.__dict__ == other.__dict__
            and self.__pydantic_extra__ == other.__pydantic_extra__
        )

    def __getitem__(self, key: str) -> Any:
        """Dict-style access (`obj["id"]`), handy when porting code from the official SDK."""
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def to_dict(self) -> dict[str, Any]:
        """The object as Stripe sent it (JSON types, only the fields present)."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


class _LastResponseSlot:
    """`obj._last_response = meta` without a pydantic private attribute.

    A `PrivateAttr` makes pydantic call a Python `model_post_init` for every
    instance, nested ones included, which costs more than parsing a small object.
    This descriptor keeps the value in `__pydantic_private__` only when it is set
    (the request loop does that once per response).
    """

    def __get__(self, obj: StripeModel | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return obj.last_response

    def __set__(self, obj: StripeModel, value: StripeResponse | None) -> None:
        private = obj.__pydantic_private__
        if private is None:
            object.__setattr__(obj, "__pydantic_private__", {"_last_response": value})
        else:
            private["_last_response"] = value


# Set after class creation: inside the class body pydantic would turn it into a PrivateAttr.
StripeModel._last_response = _LastResponseSlot()  # type: ignore[assignment]


class StripeObject(StripeModel):
    """An object with an id and an `object` kind; also the model for kinds we do not type."""

    id: str | None = None
    object: str | None = None

    @property
    def created_at(self) -> _dt.datetime | None:
        """`created` (unix seconds) as an aware UTC datetime, when the object has one."""
        created = getattr(self, "created", None)
        return timestamp(created) if isinstance(created, int) else None


class DeletedObject(StripeObject):
    """What Stripe returns for a deleted object: `{"id", "object", "deleted": true}`."""

    id: str
    object: str | None = None
    deleted: Literal[True] | bool = True


T = TypeVar("T")


class ListObject(StripeModel, Generic[T]):
    """One page of a list endpoint."""

    object: Literal["list"] | str = "list"
    data: list[T]
    has_more: bool = False
    url: str | None = None

    def __iter__(self) -> Iterator[T]:  # type: ignore[override]  # items, not fields
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


class SearchResult(StripeModel, Generic[T]):
    """One page of a search endpoint; follow `next_page` for the next one."""

    object: Literal["search_result"] | str = "search_result"
    data: list[T]
    has_more: bool = False
    next_page: str | None = None
    url: str | None = None
    total_count: int | None = None

    def __iter__(self) -> Iterator[T]:  # type: ignore[override]  # items, not fields
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def _incomplete_models() -> list[type[BaseModel]]:
    pending: list[type[BaseModel]] = [StripeModel]
    seen: set[type[BaseModel]] = set()
    incomplete: list[type[BaseModel]] = []
    while pending:
        cls = pending.pop(0)
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        if not cls.__pydantic_complete__:
            incomplete.append(cls)
    return incomplete


def rebuild_models(namespace: Mapping[str, Any]) -> None:
    """Resolve the forward references between resource modules (they refer to each other).

    Every `StripeModel` subclass still incomplete is rebuilt with `namespace`, so a model
    is usable no matter which of its modules a user imports first.
    """
    types_namespace = dict(namespace)
    # A rebuild can create generic classes (`ListObject[Subscription]`) while one of their
    # arguments is still unbuilt; another pass completes those.
    for _ in range(3):
        incomplete = _incomplete_models()
        if not incomplete:
            return
        # Resources first: their schemas then serve every sub-object and list rebuilt after
        # them; that takes about a third of the time of the opposite order.
        incomplete.sort(key=lambda cls: not issubclass(cls, StripeObject))
        for cls in incomplete:
            if not cls.__pydantic_complete__:
                cls.model_rebuild(_types_namespace=types_namespace)


def _object_kind(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("object")
    default = field.default if field is not None else None
    return default if isinstance(default, str) else None


def lazy_model(module: str, name: str, kind: str | None = None) -> type:
    """A run-time stand-in for the model `name` of `stripe_async.models.<module>`.

    Models refer to each other (a payment intent's charge, a charge's customer...);
    importing and building all of them for one reply would cost far more than the
    reply. The stand-in imports and builds the real model the first time a reply
    holds one, and rejects an object of another kind so unions pick the right model.
    `kind` is the model's `object` kind: an object of another kind is then refused
    before the model is imported (a charge's `source` tries `Account` first).
    """
    # (model, its `object` kind or None, its validator), filled on first use.
    ready: list[tuple[type[BaseModel], str | None, Callable[[Any], Any]]] = []

    def prepare() -> tuple[type[BaseModel], str | None, Callable[[Any], Any]]:
        model = getattr(importlib.import_module(f"stripe_async.models.{module}"), name)
        model.model_rebuild()  # build it now: the validator below is then the real one
        ready.append((model, _object_kind(model), model.__pydantic_validator__.validate_python))
        return ready[0]

    def validate(value: Any) -> Any:
        # On every nested object of every reply: kept to a few cheap checks.
        model, expected, run = ready[0] if ready else prepare()
        if type(value) is dict:
            if expected is not None:
                kind = value.get("object")
                if kind is not None and kind != expected:
                    raise ValueError(f"an object of kind {kind!r}, not {expected!r}")
            return run(value)
        if isinstance(value, model):
            return value
        return model.model_validate(value)

    def validate_lazily(value: Any) -> Any:
        # An expandable field's id (`"customer": "cus_..."`) reaches this choice of the
        # union too (pydantic tries it on JSON strings): refuse it before importing and
        # building the model, which an id never needs.
        if not ready:
            if not isinstance(value, (Mapping, BaseModel)):
                raise ValueError(f"not a {name} object")
            other = value.get("object") if isinstance(value, Mapping) else None
            if kind is not None and other is not None and other != kind:
                raise ValueError(f"an object of kind {other!r}, not {kind!r}")
        return validate(value)

    def schema(_source: Any, _handler: GetCoreSchemaHandler) -> CoreSchema:
        # In a JSON schema an object of another kind is an open JSON object.
        return core_schema.no_info_plain_validator_function(
            validate_lazily, json_schema_input_schema=core_schema.dict_schema()
        )

    return type(name, (), {"__get_pydantic_core_schema__": staticmethod(schema)})
