"""File names built from ids the server sends, which are untrusted text.

An id may hold path separators, `..`, control characters or thousands of characters (the
simulator's hostile mode sends all of these). Every name written under the destination goes
through `safe_component`, so none can leave the destination or fail to open.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# Most filesystems cap a name at 255 bytes; room is kept for " (9999)", the extension and ".part".
MAX_STEM_BYTES = 180
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)}
)
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,10}$")


def safe_component(raw: str) -> str:
    """One path component that stays inside its directory whatever `raw` holds."""
    text = unicodedata.normalize("NFC", raw)
    # Unicode format and separator controls (bidi overrides, line separators) confuse terminals.
    text = "".join("_" if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in text)
    text = _UNSAFE.sub("_", text)
    # Leading dots would make a hidden file, or `.`/`..` themselves; trailing dots and spaces are
    # silently dropped by Windows, which would change the name after the collision check.
    text = text.strip(" ").lstrip(".").rstrip(". ")
    # Cutting mid-character would leave invalid UTF-8; "ignore" drops the broken tail.
    text = text.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", errors="ignore").rstrip(". ")
    if not text:
        return "_"
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return text


def safe_extension(raw: str | None, default: str) -> str:
    """A short alphanumeric extension (without the dot), or `default` when `raw` is not one."""
    candidate = (raw or "").lstrip(".")
    return candidate.lower() if _EXTENSION.match(candidate) else default


def extension_from_url(url: str | None) -> str | None:
    """The suffix of a URL's path, ignoring the query, which for a presigned URL is the signature."""
    last = (url or "").split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    _stem, dot, suffix = last.rpartition(".")
    return suffix if dot and _EXTENSION.match(suffix) else None


def file_name(stem: str, extension: str) -> str:
    """`<safe stem>.<ext>`; the extension must already be safe."""
    return f"{safe_component(stem)}.{extension}"


def numbered(name: str, n: int) -> str:
    """The n-th alternative for a taken name: `clip.mp4` → `clip (1).mp4`; n=0 is the name itself."""
    if n == 0:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return f"{name} ({n})"
    return f"{stem} ({n}).{ext}"


def part_path(final: Path) -> Path:
    return final.with_name(final.name + ".part")


def inside(directory: Path, name: str) -> Path:
    """`directory / name`, refusing anything that would resolve outside it."""
    target = directory / name
    if target.parent != directory or name in {"", ".", ".."}:
        raise ValueError(f"unsafe file name: {name!r}")
    return target
