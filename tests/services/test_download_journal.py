"""The journal of unfinished downloads: kept across runs, and never in the way of a start."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hfdash.services.downloads.engine import pending_part
from hfdash.services.downloads.manager import Pending, load_journal, save_journal
from hfdash.services.downloads.plan import Kind, Target, Variant


def test_what_is_saved_is_read_back_by_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "state" / "downloads.json"
    clip = Pending(Target(Kind.CLIP_JOB, "job 1", clip_id="c/2"), tmp_path / "job", "c_2.mp4", 10, 99)
    video = Pending(Target(Kind.VIDEO, "v1", Variant.SUBTITLES), tmp_path, "v1.srt")
    save_journal(path, [clip, video])
    assert load_journal(path) == [clip, video]
    save_journal(path, [video])
    assert load_journal(path) == [video]
    assert load_journal(tmp_path / "none.json") == []


def test_a_damaged_journal_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "downloads.json"
    path.write_text('[{"kind": "render"}', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert load_journal(path) == []
    assert "ignoring the downloads journal" in caplog.text


def test_the_part_file_is_beside_the_first_name_not_taken(tmp_path: Path) -> None:
    assert pending_part(tmp_path, "a.mp4") == tmp_path / "a.mp4.part"
    (tmp_path / "a.mp4").write_bytes(b"other")
    assert pending_part(tmp_path, "a.mp4") == tmp_path / "a (1).mp4.part"
