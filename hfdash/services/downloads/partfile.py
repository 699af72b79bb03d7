"""The `<final name>.part` file a transfer writes, and how it becomes the final file.

The part is locked while open, so two processes (the dashboard and a script, say) never append
to the same one. It becomes the final name only after a flush, an fsync and a check of its size
on disk, through a hard link that fails rather than replace an existing file.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from typing import BinaryIO

from hfdash.config.dirs import fsync_dir
from hfdash.services.downloads.errors import DiskError, DownloadError, SizeMismatch
from hfdash.services.downloads.naming import inside, numbered, part_path

try:
    import fcntl
except ImportError:  # Windows: its own mandatory locks keep a second writer out already.
    fcntl = None  # type: ignore[assignment]

_DISK_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the destination",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
}


def disk_error(exc: OSError, path: Path) -> DiskError:
    reason = _DISK_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    return DiskError(f"cannot write {path}: {reason}; the partial file is kept for a resume")


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
    n = 0
    while (directory / numbered(name, n)).exists():
        n += 1
    return n


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
            raise disk_error(exc, self.path) from exc
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

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._handle.close()

    def close_and_drop_if_empty(self) -> None:
        """For an attempt that wrote nothing: leave no empty part behind."""
        if self._handle.closed:
            return
        empty = self.size == 0
        self.close()
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
            raise SizeMismatch(f"{self.path} holds {actual} bytes where the file host declared {expected}")
        return self._publish()

    def _publish(self) -> Path:
        n = self._n
        while True:
            final = self.directory / numbered(self.name, n)
            n += 1
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
