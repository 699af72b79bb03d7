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
    heap.release_after_input()
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


def test_input_holds_full_collections_only_and_the_quiet_lets_them_run_again() -> None:
    young, middle, full = gc.get_threshold()
    assert heap.hold_for_input(100.0)
    # Young generations are still collected as usual; a full collection waits.
    assert gc.isenabled()
    assert gc.get_threshold()[:2] == (young, middle)
    assert gc.get_threshold()[2] > 1_000_000
    assert heap.hold_for_input(100.5)
    heap.release_after_input()
    assert gc.get_threshold() == (young, middle, full)
    heap.release_after_input()
    assert gc.get_threshold() == (young, middle, full)


def test_input_holding_full_collections_for_too_long_lets_them_go_until_the_next_input() -> None:
    full = gc.get_threshold()[2]
    assert heap.hold_for_input(0.0)
    assert heap.hold_for_input(heap.LONGEST_HOLD - 1.0)
    assert not heap.hold_for_input(heap.LONGEST_HOLD + 1.0)
    assert gc.get_threshold()[2] == full
    assert heap.hold_for_input(heap.LONGEST_HOLD + 1.5)
    assert gc.get_threshold()[2] > full


def test_input_holds_nothing_while_start_has_collections_paused() -> None:
    full = gc.get_threshold()[2]
    heap.pause_for_start()
    assert not heap.hold_for_input(1.0)
    assert gc.get_threshold()[2] == full
    heap.resume_after_start()
    assert gc.isenabled()
