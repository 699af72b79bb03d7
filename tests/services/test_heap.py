"""The collector is paused while the dashboard starts, and always comes back."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from hfdash import __main__ as cli
from hfdash.config.settings import SettingsError
from hfdash.services import heap


@pytest.fixture(autouse=True)
def collector_on_after() -> Iterator[None]:
    yield
    heap.resume_after_start()
    gc.enable()


def test_resume_turns_collections_back_on_and_freezes_what_start_made() -> None:
    heap.pause_for_start()
    assert not gc.isenabled()
    made_at_start = [object()]
    heap.resume_after_start()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    assert made_at_start


def test_resume_is_harmless_without_a_pause_and_when_called_again() -> None:
    heap.resume_after_start()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    heap.pause_for_start()
    heap.resume_after_start()
    heap.resume_after_start()
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off() -> None:
    gc.disable()
    heap.pause_for_start()
    heap.resume_after_start()
    assert not gc.isenabled()


def test_the_command_line_pauses_collections_while_starting_and_turns_them_back_on_when_it_gives_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[bool] = []

    def refuse(_args: object) -> None:
        seen.append(gc.isenabled())
        raise SettingsError(f"{tmp_path / 'config.toml'}: page_size must be a whole number from 1 to 100")

    monkeypatch.setattr(cli, "_settings", refuse)
    assert cli.main([]) == 2
    assert seen == [False]
    assert gc.isenabled()
