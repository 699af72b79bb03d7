"""A queue of downloads: at most N at a time, each with observable progress.

Pure asyncio and no widgets: the dashboard and the command line both watch it through callbacks
and `DownloadStatus` snapshots. A failed download never raises out of the manager; its status
carries a message safe to show, and its partial file stays for `retry`. Unfinished downloads are
kept in a journal on disk, so the next run lists their partial files to resume.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from functools import partial
from pathlib import Path

from hfdash.api.client import HeyGenClient
from hfdash.api.files import FileClient
from hfdash.api.log import strip_queries
from hfdash.services.downloads.engine import Progress, pending_part, size_or_zero, transfer
from hfdash.services.downloads.plan import AssetUnavailable, Kind, Target, Variant, fresh_url, plan

logger = logging.getLogger("hfdash.services.downloads")


class RateMeter:
    """Bytes per second over the last few seconds, so a stall shows quickly as a falling rate."""

    def __init__(self, window: float = 3.0) -> None:
        self._window = window
        self._samples: deque[tuple[float, int]] = deque()
        # When the count last grew, or counting began: a stall has lasted since then.
        self.moved_at = 0.0

    def add(self, now: float, done: int) -> None:
        if not self._samples or done > self._samples[-1][1]:
            self.moved_at = now
        elif done < self._samples[-1][1]:
            # A restart from zero: old samples would make the rate negative.
            self._samples.clear()
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self._window:
            self._samples.popleft()

    def rebase(self, done: int) -> None:
        """The count jumps to `done` with nothing moved (bytes found on disk): the jump is not speed."""
        if self._samples:
            at = self._samples[-1][0]
            self._samples.clear()
            self._samples.append((at, done))

    @property
    def speed(self) -> float:
        if len(self._samples) < 2:
            return 0.0
        (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0


def eta(done: int, total: int | None, speed: float) -> float | None:
    if total is None or speed <= 0 or done >= total:
        return None
    return (total - done) / speed


class DownloadState(StrEnum):
    QUEUED = "queued"
    ACTIVE = "active"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class DownloadStatus:
    id: str
    target: Target
    state: DownloadState = DownloadState.QUEUED
    bytes_done: int = 0
    bytes_total: int | None = None
    speed: float = 0.0
    eta: float | None = None
    # The file, or the folder a clip job's clips go into.
    path: Path | None = None
    paths: tuple[Path, ...] = ()
    files_done: int = 0
    files_total: int = 0
    error: str | None = None
    # Passing remarks: "retrying: ...", "already downloaded", clips skipped.
    note: str | None = None
    # Seconds since the last byte arrived, once that passes the stall threshold.
    stalled_for: float | None = None

    @property
    def label(self) -> str:
        return self.target.label

    @property
    def finished(self) -> bool:
        return self.state not in (DownloadState.QUEUED, DownloadState.ACTIVE)


Listener = Callable[[DownloadStatus], None]
_STOPPED: dict[str, object] = {"speed": 0.0, "eta": None, "stalled_for": None}
# A retried download keeps its byte counts: its partial file holds them, and it resumes from there.
_QUEUED_AGAIN = dict(_STOPPED, state=DownloadState.QUEUED, error=None, note=None, files_done=0, paths=())


@dataclass(frozen=True, slots=True)
class Pending:
    """A file being filled, as the journal keeps it: a partial file's name says where its bytes go,
    not what was asked for (a render, a clip, a video variant)."""

    target: Target
    directory: Path
    name: str
    # Bytes of the target's earlier files, already finished (a clip job's clips before this one).
    before: int = 0
    total: int | None = None


def load_journal(path: Path) -> list[Pending]:
    found: list[Pending] = []
    try:
        for row in json.loads(path.read_text(encoding="utf-8")):
            target = Target(Kind(row["kind"]), row["item_id"], Variant(row["variant"]), row["clip_id"])
            found.append(Pending(target, Path(row["directory"]), row["name"], row["before"], row["total"]))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as error:
        # A damaged journal costs the list of partial files, never the start of the app.
        logger.warning("ignoring the downloads journal %s: %s", path, error)
    return found


def save_journal(path: Path, pending: Iterable[Pending]) -> None:
    rows = [
        dict(asdict(p.target), directory=str(p.directory), name=p.name, before=p.before, total=p.total)
        for p in pending
    ]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = path.with_name(path.name + ".new")
        fresh.write_text(json.dumps(rows), encoding="utf-8")
        fresh.replace(path)
    except OSError as error:
        logger.warning("cannot write the downloads journal %s: %s", path, error)


def safe_message(exc: BaseException) -> str:
    """str(exc), with any URL's query string (a presigned signature) cut off."""
    return strip_queries(str(exc) or type(exc).__name__)


@dataclass(slots=True)
class _Entry:
    status: DownloadStatus
    task: asyncio.Task[None] | None = None
    meter: RateMeter = field(default_factory=RateMeter)
    # The file being filled, as the journal records it (None once done), and how far its transfer is.
    pending: Pending | None = None
    progress: Progress = field(default_factory=Progress)
    # The transfer the meter counts, so that it starts again where each file's transfer begins.
    metered: Progress | None = None


class DownloadManager:
    def __init__(
        self,
        lookup: HeyGenClient,
        destination: Path,
        *,
        max_concurrent: int = 3,
        on_change: Listener | None = None,
        progress_interval: float = 0.2,
        stall_after: float = 3.0,
        journal: Path | None = None,
    ) -> None:
        """`stall_after`: seconds without a byte before a row says stalled. `journal`: where unfinished
        downloads are kept, so the next run lists them to resume."""
        self.destination = destination
        self._lookup = lookup
        self._slots = asyncio.Semaphore(max_concurrent)
        self._files = FileClient()
        self._listeners: list[Listener] = [on_change] if on_change else []
        self._interval = progress_interval
        self._stall_after = stall_after
        self._entries: dict[str, _Entry] = {}
        self._ids = itertools.count(1)
        self._journal = journal
        left = load_journal(journal) if journal is not None else []
        for pending in left:
            # No partial file: finished, or never started, so nothing to resume.
            if size := size_or_zero(pending_part(pending.directory, pending.name)):
                status = DownloadStatus(
                    f"dl{next(self._ids)}",
                    pending.target,
                    state=DownloadState.CANCELLED,
                    bytes_done=pending.before + size,
                    bytes_total=pending.before + pending.total if pending.total is not None else None,
                    path=pending.directory / pending.name,
                    note="r resumes",
                )
                self._entries[status.id] = _Entry(status, pending=pending)
        if len(self._entries) < len(left):
            self._save_journal()

    def _save_journal(self) -> None:
        if self._journal is not None:
            save_journal(self._journal, [e.pending for e in self._entries.values() if e.pending is not None])

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` on every change; returns the function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def status(self, download_id: str) -> DownloadStatus:
        return self._entries[download_id].status

    def statuses(self) -> list[DownloadStatus]:
        return [entry.status for entry in self._entries.values()]

    async def wait(self, download_id: str) -> DownloadStatus:
        task = self._entries[download_id].task
        if task is not None:
            await asyncio.wait([task])
        return self.status(download_id)

    async def join(self) -> None:
        tasks = [e.task for e in self._entries.values() if e.task is not None and not e.task.done()]
        if tasks:
            await asyncio.wait(tasks)

    def submit(self, target: Target) -> str:
        """Queue a download; a target asked for again keeps its one row (and its file, if there)."""
        for download_id, entry in self._entries.items():
            if entry.status.target == target:
                if entry.status.finished:
                    self._again(entry)
                return download_id
        entry = _Entry(DownloadStatus(f"dl{next(self._ids)}", target))
        self._entries[entry.status.id] = entry
        self._start(entry)
        # Told while it waits for a slot too: it is one of the downloads running.
        self._update(entry)
        return entry.status.id

    def cancel(self, download_id: str) -> bool:
        entry = self._entries.get(download_id)
        if entry is None or entry.status.finished or entry.task is None:
            return False
        entry.task.cancel()
        return True

    def retry(self, download_id: str) -> bool:
        """Run a failed or cancelled download again; its partial file is resumed."""
        entry = self._entries.get(download_id)
        if entry is None or entry.status.state not in {DownloadState.FAILED, DownloadState.CANCELLED}:
            return False
        self._again(entry)
        return True

    def _again(self, entry: _Entry) -> None:
        entry.meter = RateMeter()
        self._update(entry, **_QUEUED_AGAIN)
        self._start(entry)

    async def aclose(self) -> None:
        for entry in self._entries.values():
            if entry.task is not None:
                entry.task.cancel()
        await self.join()
        self._files.close()

    def _start(self, entry: _Entry) -> None:
        entry.task = asyncio.get_running_loop().create_task(self._run(entry), name=entry.status.id)

    def _update(self, entry: _Entry, **changes: object) -> None:
        entry.status = replace(entry.status, **changes)  # type: ignore[arg-type]
        for listener in list(self._listeners):
            try:
                listener(entry.status)
            except Exception:
                # A broken observer (a screen closing mid-update) must not fail the download.
                logger.exception("download listener failed")

    async def _run(self, entry: _Entry) -> None:
        try:
            async with self._slots:
                self._update(entry, state=DownloadState.ACTIVE)
                # From here: a first chunk that arrives in one read still shows a speed.
                entry.meter.add(time.monotonic(), entry.status.bytes_done)
                watch = asyncio.get_running_loop().create_task(self._watch(entry))
                try:
                    await self._download(entry)
                finally:
                    watch.cancel()
            entry.pending = None
            self._save_journal()
            self._update(entry, state=DownloadState.DONE, **_STOPPED)
        except asyncio.CancelledError:
            self._update(entry, state=DownloadState.CANCELLED, **_STOPPED)
            raise
        except Exception as exc:
            label = entry.status.target.label
            # The row and the toast show the label already.
            error = exc.why if isinstance(exc, AssetUnavailable) and exc.what == label else safe_message(exc)
            self._update(entry, state=DownloadState.FAILED, error=error, **_STOPPED)

    async def _watch(self, entry: _Entry) -> None:
        """Reads the transfer's figures a few times a second; a stall shows as they stop moving."""
        while True:
            await asyncio.sleep(self._interval)
            pending, progress = entry.pending, entry.progress
            done, total = entry.status.bytes_done, entry.status.bytes_total
            if pending is not None and progress.done is not None:
                if progress is not entry.metered:
                    # This file's transfer has begun, from its partial file's end when it resumes.
                    entry.metered = progress
                    entry.meter.rebase(pending.before + progress.done - progress.written)
                if pending.total is None and progress.total is not None:
                    entry.pending = replace(pending, total=progress.total)
                    self._save_journal()
                done = pending.before + progress.done
                total = pending.before + progress.total if progress.total is not None else None
            now = time.monotonic()
            entry.meter.add(now, done)
            idle = now - entry.meter.moved_at
            stalled = idle >= self._stall_after
            # Bytes seen before the stall would hold the windowed rate up for seconds more.
            speed = 0.0 if stalled else entry.meter.speed
            self._update(
                entry,
                bytes_done=done,
                bytes_total=total,
                speed=speed,
                eta=eta(done, total, speed),
                stalled_for=idle if stalled else None,
            )

    async def _download(self, entry: _Entry) -> None:
        target = entry.status.target
        planned = await plan(self._lookup, target)
        # A clip job's clips share its folder.
        folder = self.destination / planned.files[0].folder if planned.files[0].folder else None
        directory = folder or self.destination
        notes = list(planned.skipped)
        self._update(entry, files_total=len(planned.files), path=folder, note="; ".join(notes) or None)
        finished_bytes = 0
        for planned_file in planned.files:
            entry.pending = Pending(target, directory, planned_file.name, finished_bytes)
            entry.progress = Progress()
            self._save_journal()
            result = await transfer(
                self._files,
                partial(fresh_url, self._lookup, target, planned_file),
                directory,
                planned_file.name,
                # The planning GET just returned the first file's URL; every later attempt GETs afresh.
                first_url=planned_file.url if planned_file is planned.files[0] else None,
                progress=entry.progress,
                on_retry=lambda attempt, reason: self._update(entry, note=f"retrying: {reason}"),
            )
            finished_bytes += result.size
            if result.existed:
                notes.append(f"{result.path.name}: already downloaded")
            self._update(
                entry,
                files_done=entry.status.files_done + 1,
                paths=(*entry.status.paths, result.path),
                path=folder or result.path,
                bytes_done=finished_bytes,
                bytes_total=finished_bytes,
                note="; ".join(notes) or None,
            )
