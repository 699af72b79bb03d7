"""`F`: failed items grouped by cause, live; `enter` filters the group's pane to it, `escape` clears."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.modals import HelpScreen
from hfdash.ui.screens.failures import FailuresScreen
from hfdash.ui.screens.main import MainScreen
from hfdash.ui.widgets.virtual_table import VirtualTable
from tests.ui.harness import info_text, loaded, make_app, wait_until

ASSET = "Asset '{}' could not be fetched from vault {}"
ASSET_SHAPE = "Asset '…' could not be fetched from vault N"


def failures_screen(pilot: Pilot[Any]) -> FailuresScreen:
    screen = pilot.app.screen
    assert isinstance(screen, FailuresScreen)
    return screen


def rows(screen: FailuresScreen) -> list[tuple[str, ...]]:
    table = screen.query_one(VirtualTable)
    shown = [at for at, _width in table.fitted]
    return [tuple(table.cells_for(key)[at].plain.strip() for at in shown) for key in table.row_keys]


def title(screen: FailuresScreen) -> str:
    return str(screen.query_one("#failures-title", Static).render())


async def open_failures(pilot: Pilot[Any]) -> FailuresScreen:
    for name in ("renders", "clips", "agents"):
        await loaded(pilot, name)
    await pilot.press("F")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FailuresScreen))
    return failures_screen(pilot)


async def test_f_groups_failures_across_panes_and_enter_shows_one_group(sim: Simulator) -> None:
    for n, name in enumerate(["intro.mp4", "logo.png", "music/bed.mp3"]):
        sim.state.add_render(title=f"Teaser {n}", status="failed", failure_message=ASSET.format(name, n))
    sim.state.add_render(title="[b]Crash[/b]", status="failed", failure_message="Chromium crashed at frame 1")
    sim.state.add_clip_job(title="Keynote", status="failed", failure_message=ASSET.format("talk.mp4", 9))
    app = make_app(sim, polling=False)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_failures(pilot)
        shown = rows(screen)
        assert shown[0][:4] == ("3", "Renders", "—", ASSET_SHAPE)
        assert shown[0][6] == "Teaser 2"
        assert ("1", "AI Clips", "—", ASSET_SHAPE) in [row[:4] for row in shown]
        crash = next(row for row in shown if row[3] == "Chromium crashed at frame N")
        # Markup from the API stays literal.
        assert crash[6] == "[b]Crash[/b]"
        failed = sum(group.count for group in screen.groups)
        assert f"{failed} failed items in {len(shown)} groups" in title(screen)
        assert "more history not loaded: Renders (M on a pane loads it all)" in title(screen)

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        dashboard = app.screen
        assert isinstance(dashboard, MainScreen) and dashboard.current == "renders"
        renders = dashboard.pane
        await wait_until(pilot, lambda: len(renders.visible_ids) == 3)
        titles = {renders.store.items[key].title for key in renders.visible_ids}
        assert titles == {"Teaser 0", "Teaser 1", "Teaser 2"}
        assert f"showing 3 · failure: {ASSET_SHAPE}" in info_text(renders)
        # A sort keeps the group.
        await pilot.press("s")
        await wait_until(pilot, lambda: renders.spec.sort == "status")
        assert len(renders.visible_ids) == 3 and "failure:" in info_text(renders)

        await pilot.press("escape")
        await wait_until(pilot, lambda: len(renders.visible_ids) == len(renders.store))
        assert "failure:" not in info_text(renders)


async def test_enter_on_a_clip_group_switches_to_its_pane(sim: Simulator) -> None:
    sim.state.add_clip_job(title="Keynote", status="failed", failure_message="No audio in track 7")
    app = make_app(sim, polling=False)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_failures(pilot)
        at = next(n for n, g in enumerate(screen.groups) if g.template == "No audio in track N")
        screen.query_one(VirtualTable).move_cursor(at)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.current == "clips")
        clips = app.screen.pane if isinstance(app.screen, MainScreen) else None
        assert clips is not None
        await wait_until(pilot, lambda: len(clips.visible_ids) == 1)
        assert clips.store.items[clips.visible_ids[0]].title == "Keynote"


async def test_groups_follow_polls_that_bring_failures_and_deletes(sim: Simulator) -> None:
    doomed = sim.state.add_render(title="Old", status="failed", failure_message="Disk 3 full")["render_id"]
    running = sim.state.add_render(title="Running", status="rendering")["render_id"]
    # Still in flight throughout, so the first page is read again at every poll.
    sim.state.add_render(title="Keeps polling", status="rendering")
    app = make_app(sim)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_failures(pilot)

        def group_of(shape: str) -> int:
            return next((g.count for g in screen.groups if g.template == shape), 0)

        assert group_of("Disk N full") == 1
        sim.state.set_status("render", running, "failed", failure_message="Disk 12 full")
        await wait_until(pilot, lambda: group_of("Disk N full") == 2)
        assert ("2", "Renders", "—", "Disk N full") in [row[:4] for row in rows(screen)]
        sim.state.delete("render", doomed)
        await wait_until(pilot, lambda: group_of("Disk N full") == 1, within=10.0)


async def test_q_goes_back_and_question_mark_lists_the_keys(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_failures(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = str(app.screen.query_one(Static).render())
        assert "Show the group in its pane" in help_text and "Back" in help_text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, FailuresScreen))
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert isinstance(app, HfdashApp)
        assert isinstance(app.screen, MainScreen) and app.screen.pane.spec.group == ""
