"""File names built from hostile ids stay inside the destination and open everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfdash.services.downloads.engine import inside, numbered, parse_content_range, part_path
from hfdash.services.downloads.plan import (
    MAX_STEM_BYTES,
    extension_from_url,
    file_name,
    safe_component,
    safe_extension,
)

HOSTILE = [
    "../../etc/passwd",
    "..",
    ".",
    "",
    "/",
    "a/b\\c",
    "x\x00y",
    "line\nbreak\r\t",
    "\u202eevil",
    "CON",
    "nul.txt",
    "   ",
    "...",
    "é" * 400,
    "a" * 5000,
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_ids_become_one_plain_component(raw: str, tmp_path: Path) -> None:
    name = safe_component(raw)
    assert name not in {"", ".", ".."}
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".")
    assert all(ord(ch) >= 0x20 for ch in name)
    assert len(name.encode("utf-8")) <= MAX_STEM_BYTES
    # The longest name ever written still fits a 255-byte filesystem limit.
    longest = part_path(tmp_path / numbered(file_name(raw, "captioned"), 9999)).name
    assert len(longest.encode("utf-8")) <= 255
    target = inside(tmp_path, name)
    target.write_bytes(b"x")
    assert target.resolve().parent == tmp_path.resolve()


@given(st.text())
def test_any_text_is_a_safe_component(raw: str) -> None:
    name = safe_component(raw)
    assert name and name not in {".", ".."}
    assert Path(name).name == name
    assert len(name.encode("utf-8")) <= MAX_STEM_BYTES


def test_ordinary_ids_are_kept() -> None:
    assert safe_component("hfr_abc123") == "hfr_abc123"
    assert file_name("clip-7", "mp4") == "clip-7.mp4"


def test_truncation_never_splits_a_character() -> None:
    name = safe_component("é" * 400)
    name.encode("utf-8").decode("utf-8")
    assert set(name) == {"é"}


def test_numbered_names() -> None:
    assert numbered("clip.mp4", 0) == "clip.mp4"
    assert numbered("clip.mp4", 1) == "clip (1).mp4"
    assert numbered("v.captioned.mp4", 2) == "v.captioned (2).mp4"
    assert numbered("noext", 3) == "noext (3)"


def test_inside_refuses_escapes(tmp_path: Path) -> None:
    for bad in ("..", ".", "", "a/b"):
        with pytest.raises(ValueError):
            inside(tmp_path, bad)


def test_extensions() -> None:
    assert safe_extension("MP4", "bin") == "mp4"
    assert safe_extension("../../x", "mp4") == "mp4"
    assert safe_extension(None, "srt") == "srt"
    assert extension_from_url("https://h/files/a.webm?X-Amz-Signature=a.b") == "webm"
    assert extension_from_url("https://h/files/noext?X=y.mp4") is None
    assert extension_from_url(None) is None


def test_content_range() -> None:
    assert parse_content_range("bytes 10-19/20") == (10, 20)
    assert parse_content_range("bytes 0-9/*") == (0, None)
    assert parse_content_range("bytes */200") == (None, 200)
    assert parse_content_range("bytes 9-1/20") is None
    assert parse_content_range("items 0-1/2") is None
    assert parse_content_range(None) is None
