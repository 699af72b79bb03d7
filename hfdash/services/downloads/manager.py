"""A queue of downloads: at most N at a time, each with observable progress.

Pure asyncio and no widgets: the dashboard and the command line both watch it through callbacks
and `DownloadStatus` snapshots. A failed download never raises out of the manager; its status
carries a message safe to show, and its partial file stays for `retry`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from pathlib import Path

from hfdash.api.files import FileClient
from hfdash.services.downloads.engine import PROGRESS_INTERVAL, UrlSource, transfer
from hfdash.services.downloads.errors import AssetUnavailable
from hfdash.services.downloads.journal import Journal, Pending
from hfdash.services.downloads.partfile import pending_part, size_or_zero
from hfdash.services.downloads.plan import Lookup, PlannedFile, Target, fresh_url, plan
from hfdash.services.downloads.progress import RateMeter, eta

DEFAULT_CONCURRENCY = 3
# No byte for this long and an active download's row says it is stalled, and for how long.
STALL_AFTER = 3.0
logger = logging.getLogger("hfdash.services.downloads")
_QUERY = re.compile(r"(https?://[^\s?#]*)[?#]\S*")


class DownloadState(StrEnum):
    QUEUED = "queued"
    ACTIVE = "active"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({DownloadState.DONE, DownloadState.FAILED, DownloadState.CANCELLED})


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
        return self.state in FINISHED


Listener = Callable[[DownloadStatus], None]


def safe_message(exc: BaseException) -> str:
    """str(exc), with any URL's query string (a presigned signature) cut off."""
    text = str(exc) or type(exc).__name__
    return _QUERY.sub(r"\1", text)


@dataclass(slots=True)
class _Entry:
    status: DownloadStatus
    task: asyncio.Task[None] | None = None
    meter: RateMeter = field(default_factory=RateMeter)
    last_byte_at: float = 0.0
    # The file being filled, as the journal records it.
    pending: Pending | None = None


class DownloadManager:
    def __init__(
        self,
        lookup: Lookup,
        destination: Path,
        *,
        max_concurrent: int = DEFAULT_CONCURRENCY,
        files: FileClient | None = None,
        on_change: Listener | None = None,
        progress_interval: float = PROGRESS_INTERVAL,
        stall_after: float = STALL_AFTER,
        journal: Path | None = None,
    ) -> None:
        """`journal`: where unfinished downloads are kept, so the next run lists them to resume."""
        self.destination = destination
        self._lookup = lookup
        self._slots = asyncio.Semaphore(max_concurrent)
        self._files = files or FileClient()
        self._owns_files = files is None
        self._listeners: list[Listener] = [on_change] if on_change else []
        self._interval = progress_interval
        self._stall_after = stall_after
        self._entries: dict[str, _Entry] = {}
        self._ids = itertools.count(1)
        self._journal = Journal(journal) if journal is not None else None
        for pending in self._journal.load() if self._journal is not None else []:
            self._left_by_an_earlier_run(pending)

    def _left_by_an_earlier_run(self, pending: Pending) -> None:
        size = size_or_zero(pending_part(pending.directory, pending.name))
        if not size:
            # Finished, or never started: nothing to resume.
            if self._journal is not None:
                self._journal.forget(pending.target)
            return
        download_id = f"dl{next(self._ids)}"
        total = pending.before + pending.total if pending.total is not None else None
        status = DownloadStatus(
            download_id,
            pending.target,
            state=DownloadState.CANCELLED,
            bytes_done=pending.before + size,
            bytes_total=total,
            path=pending.directory / pending.name,
            note="r resumes",
        )
        self._entries[download_id] = _Entry(status, pending=pending)

    # -- observing -------------------------------------------------------------------------------

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

    # -- commands --------------------------------------------------------------------------------

    def submit(self, target: Target) -> str:
        """Queue a download; a target asked for again keeps its one row (and its file, if there)."""
        for download_id, entry in self._entries.items():
            if entry.status.target == target:
                if entry.status.finished:
                    self._again(entry)
                return download_id
        download_id = f"dl{next(self._ids)}"
        entry = _Entry(DownloadStatus(download_id, target))
        self._entries[download_id] = entry
        self._start(entry)
        return download_id

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
        entry.meter.reset()
        self._update(entry, **_QUEUED_AGAIN)
        self._start(entry)

    def forget(self, download_id: str) -> bool:
        """Drop a finished download from the list; files on disk are untouched."""
        entry = self._entries.get(download_id)
        if entry is None or not entry.status.finished:
            return False
        del self._entries[download_id]
        return True

    async def aclose(self) -> None:
        for entry in self._entries.values():
            if entry.task is not None and not entry.task.done():
                entry.task.cancel()
        await self.join()
        if self._owns_files:
            self._files.close()

    # -- running ---------------------------------------------------------------------------------

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
                entry.last_byte_at = time.monotonic()
                # From here: a first chunk that arrives in one read still shows a speed.
                entry.meter.add(entry.last_byte_at, entry.status.bytes_done)
                watch = asyncio.get_running_loop().create_task(self._watch_for_stall(entry))
                try:
                    await self._download(entry)
                finally:
                    watch.cancel()
            if self._journal is not None:
                self._journal.forget(entry.status.target)
            self._update(entry, state=DownloadState.DONE, **_STOPPED)
        except asyncio.CancelledError:
            self._update(entry, state=DownloadState.CANCELLED, **_STOPPED)
            raise
        except Exception as exc:
            error = _failure_words(entry.status.target.label, exc)
            self._update(entry, state=DownloadState.FAILED, error=error, **_STOPPED)

    async def _watch_for_stall(self, entry: _Entry) -> None:
        """Progress callbacks stop with the bytes: this tick lets the speed fall and the stall show."""
        tick = min(1.0, self._stall_after / 3)
        while True:
            await asyncio.sleep(tick)
            now = time.monotonic()
            idle = now - entry.last_byte_at
            if idle < tick:
                continue
            entry.meter.add(now, entry.status.bytes_done)
            stalled = idle >= self._stall_after
            # Bytes seen before the stall would hold the windowed rate up for seconds more.
            speed = 0.0 if stalled else entry.meter.speed
            self._update(
                entry,
                speed=speed,
                eta=eta(entry.status.bytes_done, entry.status.bytes_total, speed),
                stalled_for=idle if stalled else None,
            )

    async def _download(self, entry: _Entry) -> None:
        target = entry.status.target
        planned = await plan(self._lookup, target)
        folder = self.destination / planned.files[0].folder if planned.files[0].folder else None
        notes = list(planned.skipped)
        note = "; ".join(notes) or None
        self._update(entry, files_total=len(planned.files), path=folder, note=note)
        finished_bytes = 0
        paths: list[Path] = []
        for index, planned_file in enumerate(planned.files):
            directory = self.destination / planned_file.folder if planned_file.folder else self.destination
            entry.pending = Pending(target, directory, planned_file.name, finished_bytes)
            if self._journal is not None:
                self._journal.record(entry.pending)
            result = await transfer(
                self._files,
                self._url_source(target, planned_file, first=index == 0),
                directory,
                planned_file.name,
                on_progress=partial(self._progress, entry, finished_bytes),
                on_retry=lambda attempt, reason: self._update(entry, note=f"retrying: {reason}"),
                progress_interval=self._interval,
            )
            finished_bytes += result.size
            paths.append(result.path)
            if result.existed:
                notes.append(f"{result.path.name}: already downloaded")
            self._update(
                entry,
                files_done=index + 1,
                paths=tuple(paths),
                path=folder or result.path,
                bytes_done=finished_bytes,
                bytes_total=finished_bytes,
                note="; ".join(notes) or None,
            )

    def _url_source(self, target: Target, planned: PlannedFile, *, first: bool) -> UrlSource:
        # The planning GET just returned the first file's URL; every later attempt GETs afresh.
        unused = [planned.url] if first else []

        async def source() -> str:
            if unused:
                return unused.pop()
            return await fresh_url(self._lookup, target, planned)

        return source

    def _progress(self, entry: _Entry, base: int, done: int, total: int | None) -> None:
        now = time.monotonic()
        advanced = base + done > entry.status.bytes_done
        if advanced:
            entry.last_byte_at = now
        entry.meter.add(now, base + done)
        speed = entry.meter.speed
        whole = base + total if total is not None else None
        pending = entry.pending
        if pending is not None and pending.total is None and total is not None and self._journal is not None:
            entry.pending = replace(pending, total=total)
            self._journal.record(entry.pending)
        self._update(
            entry,
            bytes_done=base + done,
            bytes_total=whole,
            speed=speed,
            eta=eta(base + done, whole, speed),
            stalled_for=None if advanced else entry.status.stalled_for,
        )


def _failure_words(label: str, exc: Exception) -> str:
    """Why it failed, without repeating the label the row and the toast already show."""
    if isinstance(exc, AssetUnavailable) and exc.what == label:
        return exc.why
    return safe_message(exc)


_STOPPED: dict[str, object] = {"speed": 0.0, "eta": None, "stalled_for": None}


# A retried download keeps its byte counts: its partial file holds them, and it resumes from there.
_QUEUED_AGAIN: dict[str, object] = {
    "state": DownloadState.QUEUED,
    "error": None,
    "note": None,
    "speed": 0.0,
    "eta": None,
    "stalled_for": None,
    "files_done": 0,
    "paths": (),
}
