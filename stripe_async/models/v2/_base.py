"""What every v2 reply shares: a page that links to the next one, a deleted object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from .._base import ListObject as _V1ListObject
from .._base import StripeObject

T = TypeVar("T")

#: The key under which a v2 pager carries the next page's URL between fetches.
NEXT_PAGE_URL = "__next_page_url"

__all__ = ["NEXT_PAGE_URL", "DeletedObject", "ListObject"]


class ListObject(_V1ListObject[T], Generic[T]):
    """One page of a v2 list: follow `next_page_url` (Stripe's page token) for the next."""

    next_page_url: str | None = None
    previous_page_url: str | None = None

    def next_page_params(self, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """Params for the page after this one (the caller's options kept), or None. Pure.

        The URL already carries the filters and the page token, so the caller's
        own list params are not sent again; a URL seen before ends the walk.
        """
        url = self.next_page_url
        if not url or not url.startswith("/v2/") or url == params.get(NEXT_PAGE_URL):
            return None
        from ..._requester import OPTION_NAMES

        kept = {key: value for key, value in params.items() if key in OPTION_NAMES}
        return {**kept, NEXT_PAGE_URL: url}


class DeletedObject(StripeObject):
    """What a v2 DELETE returns: the id and the kind of object that is gone."""

    id: str
    object: str | None = None
