"""Pictures of fitted columns, a reversed sort, the side panel toggled and empty results.

Run `pytest tests/ui/test_fit_snapshots.py --snapshot-update` after a deliberate change to the
look, then review the SVGs under __snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from tests.ui.harness import loaded, main_screen, make_app, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
Compare = Callable[..., bool]


def _then(pane: str, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        for name in ("renders", "clips", "agents"):
            await loaded(pilot, name)
        app = pilot.app
        assert isinstance(app, HfdashApp)
        agents = main_screen(app).controllers["agents"].pane
        await wait_until(pilot, lambda: all(hasattr(item, "status") for item in agents.store.items.values()))
        await pilot.press(pane, *keys)
        await pilot.pause(0.4)

    return run


def _app(sim: Simulator) -> HfdashApp:
    return make_app(sim, polling=False)


@pytest.mark.parametrize("pane", ["1", "2", "3"])
def test_columns_fitted_at_60_columns(snap_compare: Compare, sim: Simulator, pane: str) -> None:
    assert snap_compare(_app(sim), terminal_size=(60, 20), run_before=_then(pane))


@pytest.mark.parametrize("size", SIZES)
def test_status_sort_reversed(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("1", "s", "S"))


@pytest.mark.parametrize("size", SIZES)
def test_side_panel_toggled(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("1", "i"))


@pytest.mark.parametrize("size", SIZES)
def test_search_with_no_match(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("1", "slash", *"zzqx", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_status_filter_with_no_match(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("2", "f", "f"))
