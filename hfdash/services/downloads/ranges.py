"""HTTP Content-Range parsing (RFC 9110 §14.4), kept pure for the size checks."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SATISFIED = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)
_UNSATISFIED = re.compile(r"^\s*bytes\s+\*/(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ContentRange:
    # None for the `bytes */total` form a 416 carries.
    start: int | None
    end: int | None
    total: int | None


def parse_content_range(value: str | None) -> ContentRange | None:
    if not value:
        return None
    match = _SATISFIED.match(value)
    if match:
        start, end, total = match.groups()
        if int(end) < int(start):
            return None
        return ContentRange(int(start), int(end), None if total == "*" else int(total))
    match = _UNSATISFIED.match(value)
    if match:
        return ContentRange(None, None, int(match.group(1)))
    return None
