"""Tolerant field readers shared by every resource parser, and the list and error envelopes.

A long-lived client meets servers newer than itself: unknown keys are ignored and
unknown enum values kept, while a missing or mistyped required field raises
ModelError naming its JSON path, so the message says exactly what drifted.
"""

from __future__ import annotations

import enum
import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
D = TypeVar("D", bound="DataclassInstance")
T_co = TypeVar("T_co", covariant=True)
Reader = Callable[[Mapping[str, Any], str, str], Any]
# Annotations that pick a field's reader in `parser`; to a type checker they are plain str and int.
# A Label is drawn from a small set (a format, a resolution): every item sharing a value shares
# one copy of it. Parsed JSON gives each item its own, and at a hundred thousand renders those
# copies would outweigh the renders themselves. Interned strings are freed when no item holds them.
Label = str
RawStatus = str  # the status string as it came, so an unknown value can be shown
Percent = int  # 0..100; missing means 0 (the schema's default), out of range is clamped


class ModelError(ValueError):
    """A response body that does not have the shape the contract promises."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


class StatusEnum(enum.Enum):
    """Base for status enums; every subclass has an UNKNOWN member for values it does not know."""


class Parser(Protocol[T_co]):
    def __call__(self, value: object, path: str = "data") -> T_co: ...


_JSON_TYPES = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}


def _type_name(value: object) -> str:
    return "null" if value is None else _JSON_TYPES.get(type(value), type(value).__name__)


def _checker(kind: type[T], wanted: str) -> Callable[[object, str], T]:
    def check(value: object, path: str) -> T:
        if not isinstance(value, kind):
            raise ModelError(path, f"expected {wanted}, got {_type_name(value)}")
        return value

    return check


as_object: Callable[[object, str], dict[str, Any]] = _checker(dict, "an object")
as_list: Callable[[object, str], list[Any]] = _checker(list, "an array")
_string = _checker(str, "a string")


def items(parse_item: Callable[[object, str], T]) -> Reader:
    """An optional array field, each element parsed with its own JSON path; missing or null is empty."""

    def read(obj: Mapping[str, Any], key: str, path: str) -> tuple[T, ...]:
        raw = obj.get(key)
        if raw is None:
            return ()
        where = f"{path}.{key}"
        return tuple(parse_item(item, f"{where}[{index}]") for index, item in enumerate(as_list(raw, where)))

    return read


def req_str(obj: Mapping[str, Any], key: str, path: str) -> str:
    if key not in obj:
        raise ModelError(f"{path}.{key}", "required field is missing")
    return _string(obj[key], f"{path}.{key}")


def opt_str(obj: Mapping[str, Any], key: str, path: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ModelError(f"{path}.{key}", f"expected a string or null, got {_type_name(value)}")


def status_of(enum_type: type[StatusEnum]) -> Reader:
    """The member the field names, else UNKNOWN: one dict lookup, as it runs for every item of every page."""
    members = {member.value: member for member in enum_type}
    unknown = enum_type["UNKNOWN"]
    return lambda obj, key, path: members.get(req_str(obj, key, path), unknown)


def _number(obj: Mapping[str, Any], key: str, path: str, wanted: str) -> int | float | None:
    """The field's number or None; servers drifting to numbers-as-strings ("12.5") still parse."""
    value = obj.get(key)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            value = int(number) if number.is_integer() and "." not in value else number
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    raise ModelError(f"{path}.{key}", f"expected {wanted} or null, got {_type_name(value)}")


def opt_float(obj: Mapping[str, Any], key: str, path: str) -> float | None:
    value = _number(obj, key, path, "a number")
    if value is None:
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float; json.loads accepts hundreds of digits
        raise ModelError(f"{path}.{key}", "expected a finite number, got one too large") from None
    if not math.isfinite(number):
        raise ModelError(f"{path}.{key}", f"expected a finite number, got {value!r}")
    return number


def opt_int(obj: Mapping[str, Any], key: str, path: str) -> int | None:
    value = _number(obj, key, path, "an integer")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise ModelError(f"{path}.{key}", f"expected an integer, got {value!r}")
    return None if value is None else int(value)


def _req_int(obj: Mapping[str, Any], key: str, path: str) -> int:
    value = opt_int(obj, key, path)
    if value is None:
        raise ModelError(
            f"{path}.{key}", "expected an integer, got null" if key in obj else "required field is missing"
        )
    return value


def opt_bool(obj: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ModelError(f"{path}.{key}", f"expected a boolean, got {_type_name(value)}")
    return value


_READERS: dict[str, Reader] = {
    "str": req_str,
    "str | None": opt_str,
    "Label": lambda obj, key, path: sys.intern(req_str(obj, key, path)),
    "Label | None": lambda obj, key, path: (
        None if (text := opt_str(obj, key, path)) is None else sys.intern(text)
    ),
    # After the status field's reader has checked that it is a string.
    "RawStatus": lambda obj, _key, _path: sys.intern(obj["status"]),
    "int": _req_int,
    "int | None": opt_int,
    "float | None": opt_float,
    "Percent": lambda obj, key, path: max(0, min(100, opt_int(obj, key, path) or 0)),
    "tuple[str, ...]": items(_string),
}


def confirmed_id(key: str) -> Parser[str]:
    """A parser for a delete's answer, which confirms the id it deleted as `key`."""
    return lambda value, path="data": req_str(as_object(value, path), key, path)


def parser(cls: type[D], **readers: Reader) -> Parser[D]:
    """A parser for the dataclass `cls`: each field read by the reader named here, else by its annotation."""
    spec = [(field.name, readers.get(field.name) or _READERS[str(field.type)]) for field in fields(cls)]

    def parse(value: object, path: str = "data") -> D:
        obj = as_object(value, path)
        return cls(*[read(obj, key, path) for key, read in spec])

    return parse


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


def unwrap_data(body: object) -> object:
    """Single-resource and delete bodies come wrapped as `{"data": ...}` (contract §1)."""
    obj = as_object(body, "$")
    if "data" not in obj:
        raise ModelError("$.data", "required field is missing")
    return obj["data"]


@dataclass(frozen=True, slots=True)
class StandardAPIError:
    code: str
    message: str
    param: str | None = None
    doc_url: str | None = None


_parse_error_body = parser(StandardAPIError)


def parse_error(body: object) -> StandardAPIError:
    """`{"error": {code, message, param?, doc_url?}}`, the body every endpoint answers a failure with."""
    return _parse_error_body(as_object(body, "$").get("error"), "$.error")
