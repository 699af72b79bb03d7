"""Cursor pagination: the token names the last item served by its (created_at, seq) position, so
items inserted at the head between page loads never shift later pages."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from .errors import bad_limit, bad_token
from .lifecycle import Record

Cursor = tuple[int, int] | None


def encode_token(kind: str, cursor: Cursor) -> str:
    payload: dict[str, Any] = {"k": kind, "t": None, "s": None}
    if cursor is not None:
        payload["t"], payload["s"] = cursor
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(kind: str, token: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad_token() from None
    if not isinstance(payload, dict) or payload.get("k") != kind:
        raise bad_token()
    t, s = payload.get("t"), payload.get("s")
    if t is None and s is None:
        return None
    if not isinstance(t, int) or not isinstance(s, int) or isinstance(t, bool) or isinstance(s, bool):
        raise bad_token()
    return (t, s)


def parse_limit(values: dict[str, str], default: int) -> int:
    if "limit" not in values:
        return default
    text = values["limit"].strip()
    if not text.isascii() or not text.isdigit():
        raise bad_limit()
    limit = int(text)
    if not 1 <= limit <= 100:
        raise bad_limit()
    return limit


def position(rec: Record) -> tuple[int, int]:
    return (rec.sort_t, rec.seq)


def page(records: Sequence[Record], limit: int, cursor: Cursor) -> tuple[list[Record], bool, Cursor]:
    """records must be sorted newest first by position()."""
    rest = [r for r in records if cursor is None or position(r) < cursor]
    items = rest[:limit]
    has_more = len(rest) > limit
    return items, has_more, position(items[-1]) if has_more else None
