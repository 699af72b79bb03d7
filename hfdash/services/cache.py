"""The last known items of each pane, on disk, so a restart shows them before the API answers.

One SQLite file. Items are stored in the API's JSON and read back through its parsers, so a cached item
is what a fresh page would have produced. A corrupt file, or another version's, is started again.

Each save appends one row holding every item it changed, and a mark for each it removed; a load
replays a pane's rows, an item's latest entry winning. `M` saves a hundred thousand items in about
a hundred rows: a row and its index entries an item cost more than the requests, on two cores.
A pane's log of a few thousand rows is folded into one, so a dashboard left running keeps a file
of its size.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from hfdash import models
from hfdash.services.kinds import Item, created_at
from hfdash.services.store import PageRecord

# Bump when the tables change shape; an older file is then rebuilt.
SCHEMA_VERSION = 3
# Rows a pane's log may hold before they are folded into one.
FOLD_AFTER = 2_000

# Per model: its name in the cache, and the parser it is read back with; a render as a list page
# gives it, keeping only which URLs it had.
_KINDS: dict[type, tuple[str, Callable[[object, str], Item]]] = {
    models.Render: ("render", models.renders.parse_listed_render),
    models.ClipJob: ("clip_job", models.clips.parse_clip_job),
    models.Session: ("session", models.agents.parse_session),
    models.SessionSummary: ("session_summary", models.agents.parse_session_summary),
}

_Shape = tuple[tuple[str, ...], Callable[[object], tuple[object, ...]]]
_SHAPES: dict[type, _Shape] = {}


def _shape(kind: type) -> _Shape:
    """A model's JSON keys and a getter of their values, in one C call per item."""
    names = tuple(field.name for field in dataclasses.fields(kind) if field.name != "status_raw")
    # Parsers read `status` as the raw string and keep the enum and the raw value from it.
    raw = len(names) < len(dataclasses.fields(kind))
    shape = _SHAPES[kind] = names, attrgetter(*("status_raw" if raw and n == "status" else n for n in names))
    return shape


# An item's body is the array of its values, its keys held once per kind: written without its
# keys, an item costs half as much to encode. The keys are part of the file's version, so a
# model that gains or loses a field finds its old rows rebuilt, never read into the wrong keys.
_PARSERS = {name: (parse, _shape(kind)[0]) for kind, (name, parse) in _KINDS.items()}
_KEYS = repr({name: keys for name, (_parse, keys) in _PARSERS.items()})
_VERSION = zlib.crc32(f"{SCHEMA_VERSION} {_KEYS}".encode()) >> 1

_SCHEMA = f"""
CREATE TABLE changes (pane TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX changes_pane ON changes (pane);
CREATE TABLE panes (pane TEXT PRIMARY KEY, next_token TEXT, has_more INTEGER NOT NULL, pages TEXT NOT NULL);
PRAGMA user_version = {_VERSION};
"""
_APPEND = "INSERT INTO changes VALUES (?, ?)"
_PAGING = "INSERT OR REPLACE INTO panes VALUES (?, ?, ?, ?)"


def _as_json(value: object) -> object:
    """What the JSON encoder cannot write itself: a model within an item as its keys, an enum as its value."""
    if isinstance(value, enum.Enum):
        return value.value
    # A value of any other type is no model: `fields` raises the TypeError the encoder expects.
    names, values = _SHAPES.get(type(value)) or _shape(type(value))
    return dict(zip(names, values(value), strict=True))


# Models hold no cycles, so the encoder need not look for them.
_ENCODE = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, check_circular=False, default=_as_json
).encode


def encode_change(items: Mapping[str, Item], keys: Iterable[str]) -> str:
    """Where `keys` stand now, as the cache stores it: a JSON array holding per key the item's id,
    kind and values, or its id alone if `items` no longer has it. Separate from the write, so the
    encoding can be done where it costs least (between network waits) and the write on a thread;
    one call a change, as each call of the encoder costs about as much as an item."""
    entries: list[tuple[object, ...]] = []
    for key in keys:
        item = items.get(key)
        kind = type(item)
        entries.append((key,) if item is None else (key, _KINDS[kind][0], _SHAPES[kind][1](item)))
    return _ENCODE(entries)


# The pages a pane has loaded, its cursor, and whether there are more.
Paging = tuple[Sequence[PageRecord], str | None, bool]


class CachedPane(NamedTuple):
    """A pane as it was last seen: items newest first, and the paging state to carry on from."""

    items: list[Item]
    pages: list[PageRecord]
    next_token: str | None
    has_more: bool


def file_name(base_url: str, account: str) -> str:
    """One file per API host and account; `account` may be a secret, so only a digest is named."""
    digest = hashlib.sha256(f"{base_url.rstrip('/')}\n{account}".encode()).hexdigest()[:16]
    return f"items-{digest}.sqlite3"


class ItemCache:
    """Thread-safe: the app reads it from a worker thread and writes through `save_soon`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._notice: str | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cache-writer")

    def take_notice(self) -> str | None:
        """Why the cache was rebuilt, once; None when nothing happened worth saying."""
        with self._lock:
            notice, self._notice = self._notice, None
            return notice

    def load(self, pane: str) -> CachedPane | None:
        with self._lock:
            try:
                db = self._connect()
                state = db.execute(
                    "SELECT next_token, has_more, pages FROM panes WHERE pane = ?", (pane,)
                ).fetchone()
                items = self._replay(db, pane)
                if state is None or not items:
                    return None
                pages = [PageRecord(token, tuple(ids)) for token, ids in json.loads(state[2])]
                return CachedPane(items, pages, state[0], bool(state[1]))
            # An unknown kind is a LookupError, a body no parser takes a ValueError (ModelError).
            except (sqlite3.Error, LookupError, ValueError, TypeError) as error:
                self._rebuild(f"the local cache could not be read ({error}); it was rebuilt")
                return None

    def save(self, pane: str, changes: Sequence[str], paging: Paging | None = None) -> None:
        """Appends changes, as `encode_change` made them, oldest first, and the paging as of them, in
        one transaction: only what changed, so it is cheap."""
        steps: list[tuple[str, list[tuple[object, ...]]]] = []
        if entries := ",".join(change[1:-1] for change in changes if change != "[]"):
            steps.append((_APPEND, [(pane, f"[{entries}]")]))
        if paging is not None:
            pages, next_token, has_more = paging
            encoded = json.dumps([[record.token, list(record.ids)] for record in pages])
            steps.append((_PAGING, [(pane, next_token, int(has_more), encoded)]))
        self._write(*steps, fold=pane if entries else None)

    def save_soon(self, pane: str, changes: Sequence[str], paging: Paging) -> Future[None] | None:
        """`save` on the cache's own thread, after every save asked for before it: the event loop never
        waits for SQLite, nor for a log's fold. None once closed (the app is quitting)."""
        try:
            return self._writer.submit(self.save, pane, changes, paging)
        except RuntimeError:
            return None

    def close(self) -> None:
        # Every save asked for is written before the file closes.
        self._writer.shutdown(wait=True)
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- inside the lock -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
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
                db.executescript(_SCHEMA)
            elif version != _VERSION:
                raise sqlite3.DatabaseError(f"written by another version, schema {version}")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _rebuild(self, notice: str) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._notice = notice
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _replay(self, db: sqlite3.Connection, pane: str) -> list[Item]:
        """The items of the pane's log as last saved, newest first, removed ones left out. A log
        past `FOLD_AFTER` rows is folded into one."""
        rows = db.execute("SELECT body FROM changes WHERE pane = ? ORDER BY rowid DESC", (pane,)).fetchall()
        seen: set[object] = set()
        items: list[Item] = []
        # Newest row first, its entries last first: the first entry met of an item is its latest.
        # Parsed row by row, so only one row's JSON is alive beside the items.
        for (body,) in rows:
            for entry in reversed(json.loads(body)):
                if entry[0] not in seen:
                    seen.add(entry[0])
                    if len(entry) > 1:
                        items.append(_read(entry))
        items.reverse()
        # Python's sort is stable: items of one time keep the order they were last saved in.
        items.sort(key=lambda item: -created_at(item))
        if len(rows) > FOLD_AFTER:
            folded = encode_change({item.id: item for item in items}, [item.id for item in items])
            with db:
                db.execute("BEGIN")
                db.execute("DELETE FROM changes WHERE pane = ?", (pane,))
                db.execute(_APPEND, (pane, folded))
        return items

    def _write(self, *steps: tuple[str, list[tuple[object, ...]]], fold: str | None = None) -> None:
        """Runs the statements over their rows in one transaction, so a crash leaves all or none.
        `fold`: the pane whose log grew by a row."""
        if not any(rows for _statement, rows in steps):
            return
        with self._lock:
            try:
                db = self._connect()
                with db:
                    db.execute("BEGIN")
                    for statement, rows in steps:
                        db.executemany(statement, rows)
                if fold is not None:
                    logged = db.execute("SELECT count(*) FROM changes WHERE pane = ?", (fold,)).fetchone()
                    if logged[0] > FOLD_AFTER:
                        self._replay(db, fold)
            # A fold reads the log back: what `load` can meet there, it can meet too.
            except (sqlite3.Error, LookupError, ValueError, TypeError) as error:
                # A cache that cannot be written is only a slower next start; the app carries on.
                self._rebuild(f"the local cache could not be written ({error}); it was rebuilt")


def _read(entry: list[object]) -> Item:
    _id, kind, values = entry
    parse, names = _PARSERS[str(kind)]
    if not isinstance(values, list):
        raise TypeError(f"a cached {kind} is not an array")
    return parse(dict(zip(names, values, strict=True)), "cache")
