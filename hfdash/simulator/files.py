"""The presigned file host's content: deterministic bytes per key, generated on the fly.

Content is a 64 KiB block derived from the key by SHA-256 in counter mode, repeated to the file's
size, so any byte range can be produced without holding the file and a test can recompute the
expected digest independently of the server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import lru_cache

BLOCK_SIZE = 64 * 1024
CHUNK_SIZE = 64 * 1024
SMALL_FILE_SIZE = 4096

_CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mov": "video/quicktime",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
    ".srt": "application/x-subrip",
}
_VIDEO_SUFFIXES = (".mp4", ".webm", ".mov")


@lru_cache(maxsize=256)
def _block(key: str) -> bytes:
    seed = key.encode("utf-8")
    parts = [hashlib.sha256(seed + i.to_bytes(4, "big")).digest() for i in range(BLOCK_SIZE // 32)]
    return b"".join(parts)


def content_type_for(key: str) -> str:
    for suffix, ctype in _CONTENT_TYPES.items():
        if key.endswith(suffix):
            return ctype
    return "application/octet-stream"


def size_for(key: str, file_size: int) -> int:
    """Videos get the configured size; thumbnails, GIFs and subtitles stay small."""
    return file_size if key.endswith(_VIDEO_SUFFIXES) else SMALL_FILE_SIZE


def iter_bytes(key: str, start: int, end: int, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield bytes [start, end) of the file named by key, at most chunk_size at a time."""
    block = _block(key)
    pos = start
    while pos < end:
        offset = pos % BLOCK_SIZE
        n = min(chunk_size, BLOCK_SIZE - offset, end - pos)
        yield block[offset : offset + n]
        pos += n


def expected_bytes(key: str, size: int) -> bytes:
    """The whole file, for tests of small files."""
    return b"".join(iter_bytes(key, 0, size))


def expected_sha256(key: str, size: int) -> str:
    """Hex SHA-256 of the file named by key at the given size, computed in flat memory."""
    digest = hashlib.sha256()
    for chunk in iter_bytes(key, 0, size, chunk_size=BLOCK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """Parse a single byte range into [start, end).

    Returns None to serve the whole file (no header, or a form we choose to ignore such as
    multiple ranges, which RFC 9110 allows), or "unsatisfiable" for a 416.
    """
    if not header:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            suffix = int(last)
            if suffix <= 0:
                return "unsatisfiable"
            return (max(0, size - suffix), size)
        start = int(first)
        end = size if last == "" else min(int(last) + 1, size)
    except ValueError:
        return None
    if start < 0 or start >= size or end <= start:
        return "unsatisfiable"
    return (start, end)
