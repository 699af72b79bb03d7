"""Making a file's new name survive a crash, shared by the credentials write-back and downloads."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    """Flush the directory entry a rename or link just made; not every platform lets a directory be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
