"""One file transfer from a presigned URL to the destination, safe against being killed.

Bytes stream into `<final name>.part`, locked while open so two processes (the dashboard and a
script, say) never append to the same one. Only a part whose size on disk matches what the host
declared is fsynced and given the final name, through a hard link that fails rather than replace
an existing file: the final name never holds a partial or wrong-sized file. Expired URLs (403/404),
dropped connections and 5xx fetch a fresh URL and resume with a Range request, a bounded number of
times in a row. The partial file is kept on every failure and on cancellation, so the next attempt
resumes it. Each attempt's GET and writes run on a thread, as the api layer's FileClient blocks;
fresh URLs and retries stay on the event loop. Messages never contain a presigned URL's query
string (it is a bearer credential).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import errno
import itertools
import os
import re
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from hfdash.api.errors import CertificateError, TransportError
from hfdash.api.files import FileClient
from hfdash.api.retry import RetryPolicy
from hfdash.config.dirs import fsync_dir

try:
    import fcntl
except ImportError:  # Windows: its own mandatory locks keep a second writer out already.
    fcntl = None  # type: ignore[assignment]

MAX_ATTEMPTS = 50
# Failed attempts in a row after which a download gives up (its partial file stays for a retry).
MAX_FAILURES = 5


class DownloadError(Exception):
    """The download stopped (the file host kept failing, the disk refused, the size was wrong); any
    partial file is kept for a later resume."""


def numbered(name: str, n: int) -> str:
    """The n-th alternative for a taken name: `clip.mp4` → `clip (1).mp4`; n=0 is the name itself."""
    if n == 0:
        return name
    stem, dot, ext = name.rpartition(".")
    return f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"


def part_path(final: Path) -> Path:
    return final.with_name(final.name + ".part")


def inside(directory: Path, name: str) -> Path:
    """`directory / name`, refusing anything that would resolve outside it."""
    target = directory / name
    if target.parent != directory or name in {"", ".", ".."}:
        raise ValueError(f"unsafe file name: {name!r}")
    return target


_DISK_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the destination",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
}


def disk_error(exc: OSError, path: Path, part: Path | None = None) -> DownloadError:
    """What stopped a write to `path`; says the partial file `part` is kept when it holds bytes."""
    reason = _DISK_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    kept = "; the partial file is kept for a resume" if part is not None and size_or_zero(part) else ""
    return DownloadError(f"cannot write {path}: {reason}{kept}")


def make_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise disk_error(exc, directory) from exc


def size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _first_free(directory: Path, name: str) -> int:
    return next(n for n in itertools.count() if not (directory / numbered(name, n)).exists())


def pending_part(directory: Path, name: str) -> Path:
    """The part file a transfer to `directory / name` writes: beside the first name not taken."""
    return part_path(directory / numbered(name, _first_free(directory, name)))


class PartFile:
    """An open, locked part file for the first of `name`, `name (1)`, ... that has no final file."""

    def __init__(self, directory: Path, name: str) -> None:
        self.directory = directory
        self.name = name
        self._n = _first_free(directory, name)
        self.taken = [directory / numbered(name, n) for n in range(self._n)]
        # Names come sanitised from the plan; this guards any other caller of the engine.
        self.path = part_path(inside(directory, numbered(name, self._n)))
        try:
            # Append mode: after a truncate to zero, writes still land at the (new) end.
            self._handle: BinaryIO = self.path.open("ab")
        except OSError as exc:
            raise disk_error(exc, self.path, self.path) from exc
        if fcntl is not None:
            try:
                fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._handle.close()
                raise DownloadError(f"{self.path} is being downloaded by another process") from None

    @property
    def size(self) -> int:
        return os.fstat(self._handle.fileno()).st_size

    def write(self, chunk: bytes) -> None:
        self._handle.write(chunk)

    def restart(self) -> None:
        self._handle.flush()
        self._handle.truncate(0)

    def close(self, *, drop_empty: bool = False) -> None:
        """`drop_empty`: for an attempt that wrote nothing, leave no empty part behind."""
        empty = drop_empty and not self._handle.closed and self.size == 0
        with contextlib.suppress(OSError):
            self._handle.close()
        if empty:
            self.path.unlink(missing_ok=True)

    def seal(self, expected: int | None) -> Path:
        """fsync, check the size on disk, then give the part its final name. Blocking."""
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            actual = self.size
        finally:
            self.close()
        if expected is not None and actual != expected:
            raise DownloadError(f"{self.path} holds {actual} bytes where the file host declared {expected}")
        for n in itertools.count(self._n):
            final = self.directory / numbered(self.name, n)
            try:
                # link() fails if the name exists, where rename() would silently replace it.
                os.link(self.path, final)
            except FileExistsError:
                continue
            except OSError:
                # Filesystems without hard links: a checked rename is the next best thing.
                if final.exists():
                    continue
                self.path.replace(final)
            else:
                self.path.unlink()
            fsync_dir(self.directory)
            return final
        raise AssertionError("unreachable: the names never run out")


@dataclass(slots=True)
class Progress:
    """A transfer's figures: its thread writes them as chunks land, the loop reads them when it likes."""

    # Bytes of the file on disk; None until the host has answered.
    done: int | None = None
    # The whole file's size, or None when the host did not say.
    total: int | None = None
    # Bytes this transfer has written, over all its attempts.
    written: int = 0


_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*$", re.IGNORECASE)


def parse_content_range(value: str | None) -> tuple[int | None, int | None] | None:
    """(first byte, whole size) of a Content-Range (RFC 9110 §14.4); no first byte in a 416's `*/size`."""
    match = _CONTENT_RANGE.match(value or "")
    if match is None:
        return None
    start, end, total = (int(group) if group and group != "*" else None for group in match.groups())
    if (start is None and total is None) or (start or 0) > (end or 0):
        return None
    return start, total


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    size: int
    # True when a file of the expected size was already there and was left alone.
    existed: bool = False
    resumed_from: int = 0


class _Retry(Exception):
    """An attempt failed in a way a fresh URL and a resume can fix."""

    def __init__(self, reason: str, expired: bool = False) -> None:
        super().__init__(reason)
        self.expired = expired


def _check(stop: threading.Event) -> None:
    if stop.is_set():
        raise DownloadError("cancelled")


async def _on_a_thread(work: Callable[[], FileResult], stop: threading.Event) -> FileResult:
    """Run `work` on a daemon thread; a cancel sets the flag it checks between chunks. A read blocked
    on a silent host cannot be woken (closing its socket from another thread does not), so a cancel
    does not wait for it, and the thread is a daemon: asyncio.to_thread's executor would hold up the
    exit until the read timed out."""
    future: concurrent.futures.Future[FileResult] = concurrent.futures.Future()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(work())
            except BaseException as exc:
                future.set_exception(exc)

    threading.Thread(target=run, name="hfdash-download", daemon=True).start()
    try:
        return await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        stop.set()
        raise


def _fetch(
    http: FileClient, url: str, directory: Path, name: str, progress: Progress, stop: threading.Event
) -> FileResult:
    """One GET into the part file. Blocking: runs on the attempt's thread."""
    offset = size_or_zero(pending_part(directory, name))
    with http.get(url, offset) as response:
        status = response.status
        if status in (403, 404):
            raise _Retry(f"the file host answered {status} (URL expired)", expired=True)
        if status >= 500 or status == 429:
            raise _Retry(f"the file host answered {status}")
        if status not in (200, 206, 416):
            raise DownloadError(f"the file host answered {status}")
        _check(stop)
        # Opened only now: a cancelled attempt still waiting for an answer holds no lock on it.
        part = PartFile(directory, name)
        try:
            if part.size != offset:
                raise _Retry("the partial file changed while its rest was asked for")
            parsed = parse_content_range(response.headers.get("content-range"))
            if status == 416:
                if parsed is None or parsed[1] != offset or not offset:
                    part.restart()
                    raise _Retry("the partial file no longer matches the remote file; restarting")
                return FileResult(part.seal(offset), offset, resumed_from=offset)
            if status == 206:
                if parsed is None or parsed[0] is None:
                    raise _Retry("the file host sent an unreadable Content-Range")
                start, total = parsed
            else:
                length = response.headers.get("content-length")
                start, total = 0, int(length) if length and length.isdigit() else None
            if start != offset:
                # The host ignored or bent our range: the body is the file from `start`.
                if start != 0:
                    raise _Retry("the file host answered a different range than asked")
                part.restart()
                offset = 0
            for existing in part.taken:
                if total is not None and size_or_zero(existing) == total:
                    return FileResult(existing, total, existed=True)
            # A resume starts where the partial file ends: the row can say so before the first new byte.
            done = progress.done = offset
            progress.total = total
            # Each chunk is written as it arrives, so whatever arrived before a drop, a kill or a
            # cancel is already in the partial file for the next attempt to resume.
            for chunk in response.chunks:
                _check(stop)
                part.write(chunk)
                done = progress.done = done + len(chunk)
                progress.written += len(chunk)
                if total is not None and done > total:
                    raise DownloadError(f"the file host sent more than the {total} bytes it declared")
            if total is not None and done != total:
                raise _Retry(f"the connection ended after {done} of {total} bytes")
            _check(stop)
            return FileResult(part.seal(total), done, resumed_from=offset)
        except OSError as exc:
            raise disk_error(exc, part.path, part.path) from exc
        finally:
            part.close(drop_empty=True)


async def transfer(
    http: FileClient,
    url_source: Callable[[], Awaitable[str]],
    directory: Path,
    name: str,
    *,
    # The first attempt's URL, when the caller has just been given one; later attempts ask afresh.
    first_url: str | None = None,
    progress: Progress | None = None,
    # Told the attempt number and why the previous one failed: lets the caller show "retrying".
    on_retry: Callable[[int, str], None] | None = None,
    max_failures: int = MAX_FAILURES,
    retry_delay: float = 0.25,
) -> FileResult:
    """Download to `directory / name` (or `name (n).ext` if that is taken by another file)."""
    progress = progress or Progress()
    make_dir(directory)
    failures = 0
    for number in range(1, MAX_ATTEMPTS + 1):
        url, first_url = first_url or await url_source(), None
        written, stop = progress.written, threading.Event()
        try:
            return await _on_a_thread(partial(_fetch, http, url, directory, name, progress, stop), stop)
        except CertificateError as exc:
            # No retry can make the host trusted: say so now rather than after five tries.
            raise DownloadError(str(exc)) from None
        except (_Retry, TransportError) as exc:
            reason = str(exc)
            # Only failures in a row count: a long download over a flaky link keeps making progress.
            failures = 1 if progress.written > written else failures + 1
            if failures > max_failures:
                raise DownloadError(f"gave up after {failures} failed attempts in a row: {reason}") from exc
            if on_retry is not None:
                on_retry(number, reason)
            if not (isinstance(exc, _Retry) and exc.expired):
                # The API's backoff, on the file host's shorter scale: a fresh URL is cheap to ask for.
                await asyncio.sleep(RetryPolicy(base=retry_delay, cap=5.0).delay(failures - 1))
    raise DownloadError(f"gave up after {MAX_ATTEMPTS} attempts")
