"""The last known items of each pane, on disk, so a restart shows them before the API answers.

One SQLite file in the cache directory (standard library `sqlite3`). Items are
stored as the JSON the API sent them as and read back through the same parsers,
so a cached item is exactly what a fresh page would have produced. A file that is
corrupt, or was written by another schema version, is deleted and started again:
losing a cache costs one full load, never a crash.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hfdash.models import (
    ClipJob,
    ModelError,
    Render,
    Session,
    SessionSummary,
    parse_clip_job,
    parse_listed_render,
    parse_session,
    parse_session_summary,
)
from hfdash.services.kinds import Item, created_at, item_id
from hfdash.services.store import PageRecord

# Bump when the tables or the stored JSON change shape; an older file is then rebuilt.
SCHEMA_VERSION = 1

_PARSERS: dict[str, Callable[[object, str], Item]] = {
    # Read back as a fresh list page would have produced it: a render keeps only which URLs it has.
    "render": parse_listed_render,
    "clip_job": parse_clip_job,
    "session": parse_session,
    "session_summary": parse_session_summary,
}


_SCHEMA = """
CREATE TABLE items (
    pane TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    created INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (pane, id)
);
CREATE INDEX items_order ON items (pane, created DESC);
CREATE TABLE panes (
    pane TEXT PRIMARY KEY,
    next_token TEXT,
    has_more INTEGER NOT NULL,
    pages TEXT NOT NULL
);
"""


# An item as the cache stores it: pane, id, kind, created, JSON body.
Row = tuple[str, str, str, int, str]


def encode_row(pane: str, item: Item) -> Row:
    """An item as the cache stores it. Separate from the write, so the encoding can be done where
    it costs least (between network waits) and the write on a thread."""
    return (pane, item_id(item), kind_of(item), created_at(item), _dumps(item))


@dataclass(slots=True)
class CachedPane:
    """A pane as it was last seen: items newest first, and the paging state to carry on from."""

    items: list[Item]
    pages: list[PageRecord]
    next_token: str | None
    has_more: bool


def file_name(base_url: str, account: str) -> str:
    """One file per API host and account, so items of one never show for another.

    `account` may hold a secret (an API key): only a short digest of it reaches the name.
    """
    digest = hashlib.sha256(f"{base_url.rstrip('/')}\n{account}".encode()).hexdigest()[:16]
    return f"items-{digest}.sqlite3"


def kind_of(item: Item) -> str:
    if isinstance(item, Render):
        return "render"
    if isinstance(item, ClipJob):
        return "clip_job"
    if isinstance(item, Session):
        return "session"
    if isinstance(item, SessionSummary):
        return "session_summary"
    raise TypeError(f"{type(item).__name__} items are not cached")


# Field names per model class, read once: asked of `dataclasses.fields` per item, they cost more
# than the JSON encoding when a hundred thousand items are written.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = (str, int, float, bool, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)


def to_json(value: Any) -> Any:
    """A model back into the JSON shape its parser reads: field names are the API's keys."""
    if isinstance(value, _PLAIN):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        names = _FIELD_NAMES.get(kind)
        if names is None:
            names = _FIELD_NAMES[kind] = tuple(field.name for field in dataclasses.fields(value))
        # Most fields are plain: encoded without a call each, the cache of `M` costs half as much.
        out = {
            name: field if type(field) in _PLAIN_TYPES else to_json(field)
            for name in names
            for field in (getattr(value, name),)
        }
        # Parsers read `status` as the raw string and keep the enum and the raw value from it.
        if "status_raw" in out:
            out["status"] = out.pop("status_raw")
        return out
    if isinstance(value, tuple | list):
        return [to_json(entry) for entry in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def from_json(kind: str, body: str) -> Item:
    parser = _PARSERS.get(kind)
    if parser is None:
        raise ModelError("cache", f"unknown kind {kind!r}")
    return parser(json.loads(body), "cache")


class ItemCache:
    """Thread-safe: the app reads it from a worker thread and writes from the event loop."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._notice: str | None = None

    def take_notice(self) -> str | None:
        """Why the cache was rebuilt, once; None when nothing happened worth saying."""
        with self._lock:
            notice, self._notice = self._notice, None
            return notice

    def load(self, pane: str) -> CachedPane | None:
        with self._lock:
            try:
                return self._load(pane)
            except (sqlite3.Error, ModelError, ValueError, TypeError) as error:
                self._rebuild(f"the local cache could not be read ({error}); it was rebuilt")
                return None

    def save(self, pane: str, items: Iterable[Item], removed: Iterable[str] = ()) -> None:
        """Write changed items and forget removed ones; only what changed, so it stays cheap."""
        self.save_rows(pane, [encode_row(pane, item) for item in items], removed)

    def save_rows(self, pane: str, rows: Sequence[Row], removed: Iterable[str] = ()) -> None:
        """Write rows made by `encode_row`, and forget removed items."""
        gone = [(pane, key) for key in removed]
        if not rows and not gone:
            return
        with self._lock:
            self._write(
                lambda db: (
                    db.executemany("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?)", rows),
                    db.executemany("DELETE FROM items WHERE pane = ? AND id = ?", gone),
                )
            )

    def save_paging(
        self, pane: str, pages: Sequence[PageRecord], next_token: str | None, has_more: bool
    ) -> None:
        encoded = json.dumps([[record.token, list(record.ids)] for record in pages])
        with self._lock:
            self._write(
                lambda db: db.execute(
                    "INSERT OR REPLACE INTO panes VALUES (?, ?, ?, ?)",
                    (pane, next_token, int(has_more), encoded),
                )
            )

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- inside the lock -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        try:
            self._db = self._open()
        except sqlite3.Error as error:
            self._rebuild(f"the local cache was unreadable ({error}); it was rebuilt")
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            # Losing the last write in a power cut only costs a re-read, so trade durability for speed.
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and not db.execute("SELECT name FROM sqlite_master").fetchall():
                db.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
            elif version != SCHEMA_VERSION:
                db.close()
                self._notice = f"the local cache was from another version (schema {version}); it was rebuilt"
                self._delete_files()
                return self._open()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _rebuild(self, notice: str) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._notice = notice
        self._delete_files()

    def _delete_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _write(self, step: Callable[[sqlite3.Connection], object]) -> None:
        try:
            db = self._connect()
            with db:
                db.execute("BEGIN")
                step(db)
        except sqlite3.Error as error:
            # A cache that cannot be written is only a slower next start; the app carries on.
            self._rebuild(f"the local cache could not be written ({error}); it was rebuilt")

    def _load(self, pane: str) -> CachedPane | None:
        db = self._connect()
        state = db.execute("SELECT next_token, has_more, pages FROM panes WHERE pane = ?", (pane,)).fetchone()
        rows = db.execute(
            "SELECT kind, body FROM items WHERE pane = ? ORDER BY created DESC, rowid", (pane,)
        ).fetchall()
        if state is None or not rows:
            return None
        items = [from_json(kind, body) for kind, body in rows]
        pages = [PageRecord(token, tuple(ids)) for token, ids in json.loads(state[2])]
        return CachedPane(items, pages, state[0], bool(state[1]))


# One encoder for every item: `json.dumps` with options builds a new one per call.
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _dumps(item: Item) -> str:
    return _ENCODE(to_json(item))
