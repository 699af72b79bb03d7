"""Tolerant field readers shared by every resource parser.

A long-lived client meets servers newer than itself: unknown keys are ignored and
unknown enum values kept, while a missing or mistyped required field raises
ModelError naming its JSON path, so the message says exactly what drifted.
"""

from __future__ import annotations

import enum
import math
import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

E = TypeVar("E", bound="StatusEnum")
T = TypeVar("T")


class ModelError(ValueError):
    """A response body that does not have the shape the contract promises."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class StatusEnum(enum.Enum):
    """Base for status enums; every subclass has an UNKNOWN member."""

    @classmethod
    def parse(cls: type[E], raw: str) -> E:
        try:
            return cls(raw)
        except ValueError:
            return cls["UNKNOWN"]


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def as_object(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ModelError(path, f"expected an object, got {_type_name(value)}")
    return value


def as_list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ModelError(path, f"expected an array, got {_type_name(value)}")
    return value


def opt_items(
    obj: Mapping[str, Any], key: str, path: str, parse: Callable[[object, str], T]
) -> tuple[T, ...]:
    """An optional array field, each element parsed with its own JSON path; missing or null is empty."""
    raw = obj.get(key)
    if raw is None:
        return ()
    where = f"{path}.{key}"
    return tuple(parse(item, f"{where}[{index}]") for index, item in enumerate(as_list(raw, where)))


def req_str(obj: Mapping[str, Any], key: str, path: str) -> str:
    if key not in obj:
        raise ModelError(f"{path}.{key}", "required field is missing")
    value = obj[key]
    if not isinstance(value, str):
        raise ModelError(f"{path}.{key}", f"expected a string, got {_type_name(value)}")
    return value


def opt_str(obj: Mapping[str, Any], key: str, path: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ModelError(f"{path}.{key}", f"expected a string or null, got {_type_name(value)}")
    return value


def opt_label(obj: Mapping[str, Any], key: str, path: str) -> str | None:
    """A string drawn from a small set (a format, a resolution, an aspect ratio).

    Every item sharing a value shares one copy of it: parsed JSON gives each item its own, and at a
    hundred thousand renders those copies would outweigh the renders themselves. Interned strings
    are freed when no item holds them any more.
    """
    value = opt_str(obj, key, path)
    return None if value is None else sys.intern(value)


def req_label(obj: Mapping[str, Any], key: str, path: str) -> str:
    """A required string drawn from a small set, shared like `opt_label`'s."""
    return sys.intern(req_str(obj, key, path))


def _numeric_string(value: object) -> object:
    """Servers drifting to numbers-as-strings ("12.5") still parse; other strings stay errors."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        if math.isfinite(number):
            return int(number) if number.is_integer() and "." not in value else number
    return value


def opt_float(obj: Mapping[str, Any], key: str, path: str) -> float | None:
    value = _numeric_string(obj.get(key))
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelError(f"{path}.{key}", f"expected a number or null, got {_type_name(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float; json.loads accepts hundreds of digits
        raise ModelError(f"{path}.{key}", "expected a finite number, got one too large") from None
    if not math.isfinite(number):
        raise ModelError(f"{path}.{key}", f"expected a finite number, got {value!r}")
    return number


def opt_int(obj: Mapping[str, Any], key: str, path: str) -> int | None:
    value = _numeric_string(obj.get(key))
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelError(f"{path}.{key}", f"expected an integer or null, got {_type_name(value)}")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise ModelError(f"{path}.{key}", f"expected an integer, got {value!r}")
    return int(value)


def req_int(obj: Mapping[str, Any], key: str, path: str) -> int:
    if key not in obj:
        raise ModelError(f"{path}.{key}", "required field is missing")
    value = opt_int(obj, key, path)
    if value is None:
        raise ModelError(f"{path}.{key}", "expected an integer, got null")
    return value


def opt_bool(obj: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ModelError(f"{path}.{key}", f"expected a boolean, got {_type_name(value)}")
    return value


def progress(obj: Mapping[str, Any], key: str, path: str) -> int:
    """0..100; a missing value means 0 (the schema's default), out-of-range values are clamped."""
    value = opt_int(obj, key, path)
    if value is None:
        return 0
    return max(0, min(100, value))


def status(obj: Mapping[str, Any], key: str, path: str, enum_type: type[E]) -> tuple[E, str]:
    """The parsed status and the raw string, so an unknown value can be shown as it came."""
    raw = req_label(obj, key, path)
    return enum_type.parse(raw), raw
