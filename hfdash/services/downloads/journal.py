"""Downloads not yet finished, kept on disk so the next run lists their partial files to resume.

A partial file's name says where its bytes go, not what was asked for (a render, a clip, a video
variant): the journal keeps the asked-for target beside the file it is filling.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from hfdash.services.downloads.plan import Kind, Target, Variant

logger = logging.getLogger("hfdash.services.downloads")


@dataclass(frozen=True, slots=True)
class Pending:
    target: Target
    directory: Path
    name: str
    # Bytes of the target's earlier files, already finished (a clip job's clips before this one).
    before: int = 0
    total: int | None = None


class Journal:
    """With no path, kept in memory only."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._pending: dict[Target, Pending] = {}

    def load(self) -> list[Pending]:
        if self.path is None:
            return []
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            for row in rows:
                target = Target(Kind(row["kind"]), row["item_id"], Variant(row["variant"]), row["clip_id"])
                pending = Pending(target, Path(row["directory"]), row["name"], row["before"], row["total"])
                self._pending[target] = pending
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError) as error:
            # A damaged journal costs the list of partial files, never the start of the app.
            logger.warning("ignoring the downloads journal %s: %s", self.path, error)
        return list(self._pending.values())

    def record(self, pending: Pending) -> None:
        self._pending[pending.target] = pending
        self._write()

    def forget(self, target: Target) -> None:
        if self._pending.pop(target, None) is not None:
            self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        rows = [
            {
                **asdict(p.target),
                "directory": str(p.directory),
                "name": p.name,
                "before": p.before,
                "total": p.total,
            }
            for p in self._pending.values()
        ]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh = self.path.with_name(self.path.name + ".new")
            fresh.write_text(json.dumps(rows), encoding="utf-8")
            fresh.replace(self.path)
        except OSError as error:
            logger.warning("cannot write the downloads journal %s: %s", self.path, error)
