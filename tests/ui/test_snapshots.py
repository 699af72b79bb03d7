"""Every screen and modal, pictured at 80×24 and 160×48 from the frozen, seeded simulator.

Run `pytest tests/ui/test_snapshots.py --snapshot-update` after a deliberate change to the look,
then review the SVGs under __snapshots__ before committing them.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from tests.ui.harness import TEST_SETTINGS, loaded, main_screen, make_app, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
Compare = Callable[..., bool]


async def _settled(pilot: Pilot[Any]) -> None:
    """Every pane loaded and every session's status read, so nothing changes under the picture."""
    for name in ("renders", "clips", "agents"):
        await loaded(pilot, name)
    app = pilot.app
    assert isinstance(app, HfdashApp)
    agents = main_screen(app).controllers["agents"].pane
    await wait_until(pilot, lambda: all(hasattr(item, "status") for item in agents.store.items.values()))
    await pilot.pause(0.1)


def _then(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.2)
        await pilot.pause(0.3)

    return run


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The detail view shows times in the local zone: the pictures are taken in one zone everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _app(sim: Simulator) -> HfdashApp:
    # Polling off: the pictures show the first load, not whatever a poll would change next.
    return make_app(sim, polling=False)


@pytest.mark.parametrize("size", SIZES)
def test_renders_pane(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then())


@pytest.mark.parametrize("size", SIZES)
def test_clips_pane(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("2"))


@pytest.mark.parametrize("size", SIZES)
def test_agents_pane(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("3"))


@pytest.mark.parametrize("size", SIZES)
def test_failed_render_detail(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    sim.state.add_render(
        title="Launch teaser [final]",
        status="failed",
        failure_message="Composition failed to load: missing asset",
    )
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_clip_job_detail(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("2", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_delete_confirmation(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("x"))


@pytest.mark.parametrize("size", SIZES)
def test_failed_filter(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    assert snap_compare(_app(sim), terminal_size=size, run_before=_then("f", "f"))


@pytest.mark.parametrize("size", SIZES)
def test_sign_in_screen(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(HfdashApp(None, TEST_SETTINGS), terminal_size=size)
