"""The list envelope shared by every list endpoint, and the error envelope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from hfdash.models._parse import ModelError, as_list, as_object, opt_bool, opt_str, parser

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    has_more: bool
    next_token: str | None


@dataclass(frozen=True, slots=True)
class PageHead:
    """A list body read as far as its cursor, its items not yet parsed: `M` asks for the next page
    in between, so the server builds it while this one's items are parsed and applied."""

    raw_items: list[object]
    has_more: bool
    next_token: str | None


def parse_head(body: object) -> PageHead:
    """`{data: [...], has_more, next_token}`; no field is required: like the hyperframes CLI, a missing
    `data` reads as an empty list and a missing `has_more` as false (contract §1)."""
    obj = as_object(body, "$")
    raw_items = obj.get("data")
    return PageHead(
        raw_items=[] if raw_items is None else as_list(raw_items, "data"),
        has_more=opt_bool(obj, "has_more", "$", False),
        next_token=opt_str(obj, "next_token", "$") or None,
    )


def parse_items(head: PageHead, parse_item: Callable[[object, str], T]) -> Page[T]:
    items = tuple(parse_item(item, f"data[{index}]") for index, item in enumerate(head.raw_items))
    return Page(items=items, has_more=head.has_more, next_token=head.next_token)


def parse_page(body: object, parse_item: Callable[[object, str], T]) -> Page[T]:
    return parse_items(parse_head(body), parse_item)


def unwrap_data(body: object) -> object:
    """Single-resource and delete bodies come wrapped as `{"data": ...}` (contract §1)."""
    obj = as_object(body, "$")
    if "data" not in obj:
        raise ModelError("$.data", "required field is missing")
    return obj["data"]


@dataclass(frozen=True, slots=True)
class StandardAPIError:
    """The error body every endpoint answers a failure with."""

    code: str
    message: str
    param: str | None = None
    doc_url: str | None = None


_parse_error_body = parser(StandardAPIError)


def parse_error(body: object) -> StandardAPIError:
    """`{"error": {code, message, param?, doc_url?}}`."""
    return _parse_error_body(as_object(body, "$").get("error"), "$.error")
