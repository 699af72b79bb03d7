"""Pictures of the k9s habits: the palette's keys as typed, a pager motion, a failed item's words.

Run `pytest tests/ui/test_habits_snapshots.py --snapshot-update` after a deliberate change to the
look, then review the SVGs under __snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from hfdash.simulator import Simulator
from tests.ui.harness import loaded, make_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
Compare = Callable[..., bool]


def _then(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press(*keys)
        # A blinking cursor would be drawn or not depending on when the picture is taken.
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause(0.5)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_palette_names_keys_as_typed(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(sim, polling=False), terminal_size=size, run_before=_then("ctrl+p"))


@pytest.mark.parametrize("size", SIZES)
def test_half_page_down(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(sim, polling=False, page_size=40), terminal_size=size, run_before=_then("ctrl+d")
    )


@pytest.mark.parametrize("size", SIZES)
def test_download_of_a_failed_render_says_why(
    snap_compare: Compare, sim: Simulator, size: tuple[int, int]
) -> None:
    sim.state.add_render(title="bad", status="failed", failure_message="Composition not found.")
    assert snap_compare(make_app(sim, polling=False), terminal_size=size, run_before=_then("d"))
