"""A pane with marked rows and the bulk delete confirmation, at 80×24 and 160×48."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from hfdash.simulator import Simulator
from tests.ui.harness import make_app
from tests.ui.test_snapshots import SIZES, Compare, _then


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The side panel shows times in the local zone: the pictures are taken in one zone everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("size", SIZES)
def test_marked_pane(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    app = make_app(sim, polling=False)
    assert snap_compare(app, terminal_size=size, run_before=_then("space", "space", "down", "space"))


@pytest.mark.parametrize("size", SIZES)
def test_bulk_delete_confirmation(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    app = make_app(sim, polling=False)
    keys = ("space",) * 5
    assert snap_compare(app, terminal_size=size, run_before=_then(*keys, "x"))
