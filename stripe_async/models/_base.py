"""Base models shared by every resource: lenient to API drift, quiet about secrets."""

from __future__ import annotations

import datetime as _dt
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr

from .._response import StripeResponse

__all__ = [
    "DeletedObject",
    "ListObject",
    "SearchResult",
    "StripeModel",
    "StripeObject",
]

_HIDDEN_IN_REPR = frozenset({"client_secret", "secret"})


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
        defer_build=False,
    )

    _last_response: StripeResponse | None = PrivateAttr(default=None)
    _hidden_in_repr: ClassVar[frozenset[str]] = _HIDDEN_IN_REPR

    @property
    def last_response(self) -> StripeResponse | None:
        """The HTTP reply this object came from (request id, headers), when fetched."""
        return self._last_response

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            if name in self._hidden_in_repr and value is not None:
                yield name, "[REDACTED]"
            else:
                yield name, value

    def __getitem__(self, key: str) -> Any:
        """Dict-style access (`obj["id"]`), handy when porting code from the official SDK."""
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def to_dict(self) -> dict[str, Any]:
        """The object as Stripe sent it (JSON types, only the fields present)."""
        return self.model_dump(mode="json", exclude_unset=True)


class StripeObject(StripeModel):
    """An object with an id and an `object` kind; also the model for kinds we do not type."""

    id: str | None = None
    object: str | None = None

    @property
    def created_at(self) -> _dt.datetime | None:
        """`created` (unix seconds) as an aware UTC datetime, when the object has one."""
        created = getattr(self, "created", None)
        if isinstance(created, int):
            return _dt.datetime.fromtimestamp(created, tz=_dt.timezone.utc)
        return None


class DeletedObject(StripeModel):
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

    def __iter__(self) -> Any:  # iterate items, not pydantic fields
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

    def __iter__(self) -> Any:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)
