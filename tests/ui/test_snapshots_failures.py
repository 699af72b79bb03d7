"""The Failures screen and a pane filtered to one failure group, at 80×24 and 160×48.

Run `pytest tests/ui/test_snapshots_failures.py --snapshot-update` after a deliberate change to
the look, then review the SVGs under __snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from tests.ui.harness import loaded, make_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
Compare = Callable[..., bool]
FAILURES = [
    ("Q3 teaser", "Asset 'intro.mp4' could not be fetched after 30 s"),
    ("Q4 recap", "Asset 'logo@2x.png' could not be fetched after 12 s"),
    ("Webinar bumper", "Asset 'music/bed-02.mp3' could not be fetched after 97 s"),
    ("Pricing loop", "Chromium crashed at frame 1439"),
    ("Holiday promo", "Chromium crashed at frame 77"),
    ("[bold red]Hostile[/]", "\x1b[31mred alert\x1b[0m [link=https://evil.example]click[/link] at frame 3"),
]


def _app(sim: Simulator) -> HfdashApp:
    for title, message in FAILURES:
        sim.state.add_render(title=title, status="failed", failure_message=message)
    sim.state.add_clip_job(
        title="Keynote 2026", status="failed", failure_message="Source video has no audio track."
    )
    # Polling off: the pictures show the first load, not whatever a poll would change next.
    return make_app(sim, polling=False, page_size=100)


def _then(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        for name in ("renders", "clips", "agents"):
            await loaded(pilot, name)
        await pilot.pause(0.1)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.2)
        await pilot.pause(0.3)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_failures_screen(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("F"))


@pytest.mark.parametrize("size", SIZES)
def test_pane_filtered_to_a_failure_group(
    snap_compare: Compare, sim: Simulator, size: tuple[int, int]
) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("F", "enter"))
