"""Cursor pagination: the token names the last item served by its (created_at, seq) position, so
items inserted at the head between page loads never shift later pages."""

from __future__ import annotations

import base64
import binascii
import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
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


class Index:
    """One kind's records, newest first by position(), kept sorted as records come and go.

    A page is then a bisect to its cursor and a walk of one page, not a sort and a scan of the
    whole account: at a hundred thousand items, reading every page would otherwise be quadratic.
    Soft-deleted records stay in the index and are skipped as they are walked.
    """

    def __init__(self) -> None:
        # Negated positions, so ascending order is newest first and bisect applies directly.
        self._keys: list[tuple[int, int]] = []
        self._records: list[Record] = []

    @classmethod
    def of(cls, records: Iterable[Record]) -> Index:
        """An index of many records at once: one sort, where adding each would shift the list each time."""
        index = cls()
        index._records = sorted(records, key=_key)
        index._keys = [_key(rec) for rec in index._records]
        return index

    def __len__(self) -> int:
        return len(self._records)

    def add(self, rec: Record) -> None:
        key = _key(rec)
        at = bisect_left(self._keys, key)
        self._keys.insert(at, key)
        self._records.insert(at, rec)

    def discard(self, rec: Record) -> None:
        """Removes `rec` if it is indexed; must run before anything its position depends on changes."""
        key = _key(rec)
        at = bisect_left(self._keys, key)
        # Positions are unique once registered (seq is), so the record is here or nowhere.
        if at < len(self._records) and self._records[at] is rec:
            del self._keys[at]
            del self._records[at]

    def visible(self, now: float, cursor: Cursor = None) -> Iterator[Record]:
        """Records not deleted and already created at `now`, older than `cursor`, newest first."""
        # Records created after `now` sort first; sort_t is whole seconds, and every seq is positive.
        start = bisect_left(self._keys, (-math.floor(now), -(1 << 62))) if math.isfinite(now) else 0
        if cursor is not None:
            start = max(start, bisect_right(self._keys, (-cursor[0], -cursor[1])))
        records = self._records
        for at in range(start, len(records)):
            rec = records[at]
            if not rec.deleted and rec.sort_t <= now:
                yield rec

    def page(self, limit: int, cursor: Cursor, now: float) -> tuple[list[Record], bool, Cursor]:
        items: list[Record] = []
        has_more = False
        for rec in self.visible(now, cursor):
            if len(items) == limit:
                has_more = True
                break
            items.append(rec)
        return items, has_more, position(items[-1]) if has_more else None


def _key(rec: Record) -> tuple[int, int]:
    return (-rec.sort_t, -rec.seq)
