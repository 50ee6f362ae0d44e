"""Table-driven checks shared by the per-service tests.

A `Case` is one service call and the HTTP request it must produce: verb, path,
form pairs (body for POST, query otherwise) and the model the reply parses into.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from stripe_async import StripeClient
from stripe_async.models import ListObject, SearchResult


@dataclass(frozen=True)
class Case:
    service: str
    method: str
    args: tuple[str, ...]
    kwargs: dict[str, Any]
    verb: str
    path: str
    sent: list[tuple[str, str]]
    reply: dict[str, Any]
    model: type[Any]

    @property
    def id(self) -> str:
        return f"{self.service}.{self.method}"


def sent_pairs(request: httpx.Request) -> list[tuple[str, str]]:
    """The form pairs of a request, decoded: the body of a POST, else the query."""
    raw = request.content.decode() if request.method == "POST" else request.url.query.decode()
    return parse_qsl(raw, keep_blank_values=True)


def bound(stripe: StripeClient, case: Case) -> Any:
    return getattr(getattr(stripe, case.service), case.method)


async def call(stripe: StripeClient, case: Case, *args: str, **kwargs: Any) -> Any:
    result = bound(stripe, case)(*args, **kwargs)
    return await result if inspect.isawaitable(result) else result


async def check_case(stripe: StripeClient, api: respx.MockRouter, case: Case) -> None:
    """Call the method with the case's params; assert the request and the parsed reply."""
    route = api.route(method=case.verb, path=case.path).respond(200, json=case.reply)
    result = await call(stripe, case, *case.args, **case.kwargs)
    assert route.call_count == 1
    request = route.calls.last.request
    assert sent_pairs(request) == case.sent
    assert request.headers["Authorization"] == "Bearer sk_test_resources"
    if case.verb == "POST":
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert request.headers["Idempotency-Key"]
    else:
        assert "Idempotency-Key" not in request.headers
        assert request.content == b""
    if isinstance(result, (ListObject, SearchResult)):
        assert [item.id for item in result.data] == [item["id"] for item in case.reply["data"]]
        assert all(isinstance(item, case.model) for item in result.data)
    else:
        assert isinstance(result, case.model)


async def check_idempotency_key(stripe: StripeClient, api: respx.MockRouter, case: Case) -> None:
    """A caller's idempotency key and account are sent as headers, never as params."""
    route = api.route(method=case.verb, path=case.path).respond(200, json=case.reply)
    await call(
        stripe, case, *case.args, idempotency_key="order-42", stripe_account="acct_1", **case.kwargs
    )
    request = route.calls.last.request
    assert request.headers["Idempotency-Key"] == "order-42"
    assert request.headers["Stripe-Account"] == "acct_1"
    names = {name for name, _ in sent_pairs(request)}
    assert not names & {"idempotency_key", "stripe_account"}


async def check_empty_id_rejected(stripe: StripeClient, api: respx.MockRouter, case: Case) -> None:
    """An empty or blank id raises before anything is sent (it would hit the list URL)."""
    for blank in ("", "   "):
        args = (blank, *case.args[1:])
        with pytest.raises(ValueError, match="non-empty"):
            await call(stripe, case, *args, **case.kwargs)
    assert len(api.calls) == 0


def page_of(
    obj: str, ids: list[str], has_more: bool, url: str, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A list page of minimal `obj`s (plus `fields`, for models that require more)."""
    return {
        "object": "list",
        "url": url,
        "has_more": has_more,
        "data": [{"id": i, "object": obj, **(fields or {})} for i in ids],
    }


async def check_list_paging(
    stripe: StripeClient,
    api: respx.MockRouter,
    service: str,
    method: str,
    path: str,
    obj: str,
    *args: str,
    item_fields: dict[str, Any] | None = None,
    **params: Any,
) -> None:
    """`async for` walks every page with starting_after; `await` returns only the first."""
    first = page_of(obj, ["x_1", "x_2"], True, path, item_fields)
    second = page_of(obj, ["x_3"], False, path, item_fields)

    def reply(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("starting_after")
        return httpx.Response(200, json=second if after == "x_2" else first)

    route = api.get(path).mock(side_effect=reply)
    pager = getattr(getattr(stripe, service), method)(*args, limit=2, **params)
    assert [item.id for item in await pager.to_list()] == ["x_1", "x_2", "x_3"]
    queries = [dict(sent_pairs(c.request)) for c in route.calls]
    assert queries[0] == {"limit": "2", **_flat(params)}
    assert queries[1] == {"limit": "2", "starting_after": "x_2", **_flat(params)}

    page = await getattr(getattr(stripe, service), method)(*args, limit=2, **params)
    assert [item.id for item in page.data] == ["x_1", "x_2"]
    assert page.has_more is True


async def check_search_paging(
    stripe: StripeClient, api: respx.MockRouter, service: str, path: str, obj: str
) -> None:
    """Search follows `next_page` tokens, keeping the query, until has_more is false."""

    def reply(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("page")
        more = token is None
        body = {
            "object": "search_result",
            "url": path,
            "has_more": more,
            "next_page": "tok_2" if more else None,
            "data": [{"id": "s_1" if more else "s_2", "object": obj}],
        }
        return httpx.Response(200, json=body)

    route = api.get(path).mock(side_effect=reply)
    pager = getattr(stripe, service).search(query="metadata['k']:'v'", limit=1)
    assert [item.id for item in await pager.to_list()] == ["s_1", "s_2"]
    queries = [dict(sent_pairs(c.request)) for c in route.calls]
    assert queries == [
        {"query": "metadata['k']:'v'", "limit": "1"},
        {"query": "metadata['k']:'v'", "limit": "1", "page": "tok_2"},
    ]
    with pytest.raises(ValueError, match="query"):
        getattr(stripe, service).search(query=" ")
    assert route.call_count == 2


def _flat(params: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in params.items()}


class CaseMaker:
    """Builds the `Case`s of one service, with the usual reply for each kind of method."""

    def __init__(
        self,
        service: str,
        obj: str,
        model: type[Any],
        object_id: str,
        fields: dict[str, Any] | None = None,
    ) -> None:
        self.service = service
        self.obj = obj
        self.model = model
        self.object_id = object_id
        self.fields = fields or {}

    def __call__(
        self,
        method: str,
        args: tuple[str, ...],
        kwargs: dict[str, Any],
        verb: str,
        path: str,
        sent: list[tuple[str, str]],
        *,
        model: type[Any] | None = None,
        reply: dict[str, Any] | None = None,
    ) -> Case:
        one = {"id": self.object_id, "object": self.obj, **self.fields}
        if reply is None:
            if method.startswith("list"):
                reply = page_of(self.obj, [self.object_id], False, path, self.fields)
            elif method == "search":
                reply = {"object": "search_result", "has_more": False, "data": [one]}
            elif verb == "DELETE" and model is not None:
                reply = {**one, "deleted": True}
            else:
                reply = one
        return Case(
            self.service, method, args, kwargs, verb, path, sent, reply, model or self.model
        )
