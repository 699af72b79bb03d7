"""What the dashboard says about stalled downloads, failed items, details and the download menu."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from hfdash.services.downloads.manager import DownloadState
from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.modals import VariantMenu
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.screens.detail import DetailScreen
from hfdash.ui.screens.downloads import DownloadsScreen
from hfdash.ui.widgets.virtual_table import VirtualTable
from tests.conftest import sim_config
from tests.ui.harness import loaded, make_app, notifications, wait_until


async def _highlight(pilot: Pilot[Any], pane: ResourcePane[Any], wanted: str) -> None:
    for _ in range(60):
        if pane.highlighted_id() == wanted:
            return
        await pilot.press("down")
    raise AssertionError(f"{wanted} never got the cursor")


def _downloads_cell(screen: DownloadsScreen, row: int, column: str) -> str:
    table = screen.query_one(VirtualTable)
    at = next(at for at, shown in enumerate(table.columns) if shown.key == column)
    return table.cells_for(table.row_keys[row])[at].plain


def _manager(app: HfdashApp) -> Any:
    assert app.dashboard is not None
    return app.dashboard.downloads


def _one_file_session(sim: Simulator) -> str:
    """A finished session whose video has the plain file only: the menu offers one option."""
    session = sim.state.add_session(title="one file", status="completed")["session_id"]
    video = sim.state.add_video(session, status="completed", captioned_video_url=None, subtitle_url=None)
    sim.state.set_status("session", session, "completed", video_id=video["id"])
    return str(session)


async def test_a_frozen_download_row_says_stalled_and_for_how_long(sim: Simulator) -> None:
    # 1,000 bytes a second: the first 64 KiB chunk goes out at once, the next a minute later.
    sim.state.reset(sim_config(file_size=4 * 1024 * 1024, throttle=1000))
    target = sim.state.add_render(title="frozen file", status="completed")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(160, 40)) as pilot:
        renders = await loaded(pilot)
        await _highlight(pilot, renders, target)
        await pilot.press("d")
        manager = _manager(app)
        await wait_until(pilot, lambda: any(s.bytes_done > 0 for s in manager.statuses()))
        await pilot.press("D")
        screen = app.screen
        assert isinstance(screen, DownloadsScreen)
        assert not _downloads_cell(screen, 0, "state").startswith("stalled")
        await wait_until(pilot, lambda: _downloads_cell(screen, 0, "state").startswith("stalled"), within=10)
        assert re.fullmatch(r"stalled 0:0[3-9]", _downloads_cell(screen, 0, "state"))
        assert _downloads_cell(screen, 0, "speed") == "0 Bytes/s"
        assert _downloads_cell(screen, 0, "eta") == ""
        assert manager.statuses()[0].state is DownloadState.ACTIVE


async def test_d_on_a_failed_render_says_why_once_and_adds_no_download(sim: Simulator) -> None:
    render = sim.state.add_render(title="bad", status="failed", failure_message="Composition not found.")
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await _highlight(pilot, renders, render["render_id"])
        await pilot.press("d")
        wanted = f"render {render['render_id']} failed: Composition not found."
        await wait_until(pilot, lambda: wanted in notifications(app))
        await pilot.pause(0.3)
        said = [m for m in notifications(app) if render["render_id"] in m]
        assert said == [wanted]
        assert _manager(app).statuses() == []
        await pilot.press("D")
        assert isinstance(app.screen, DownloadsScreen)
        assert app.screen.query_one(VirtualTable).row_count == 0


async def test_c_on_a_failed_render_says_it_failed_not_no_url_yet(sim: Simulator) -> None:
    render = sim.state.add_render(title="bad", status="failed", failure_message="Out of credits.")
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await _highlight(pilot, renders, render["render_id"])
        await pilot.press("c")
        wanted = f"render {render['render_id']} failed: Out of credits."
        await wait_until(pilot, lambda: wanted in notifications(app))
        assert not any("no video URL yet" in m for m in notifications(app))


async def test_d_and_c_on_a_failed_session_say_it_failed(sim: Simulator) -> None:
    session = sim.state.add_session(title="broken", status="failed")["session_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        agents = await loaded(pilot, "agents")
        await pilot.press("3")
        await _highlight(pilot, agents, session)
        await pilot.press("d")
        wanted = f"session {session} failed: the server gave no reason"
        await wait_until(pilot, lambda: wanted in notifications(app))
        await pilot.press("c")
        await wait_until(pilot, lambda: notifications(app).count(wanted) == 2)
        said = " ".join(notifications(app))
        assert "no file to download yet" not in said and "no video yet" not in said
        assert "no video URL yet" not in said
        assert _manager(app).statuses() == []


async def test_the_detail_view_shows_durations_and_local_times_as_the_table_does(sim: Simulator) -> None:
    render = sim.state.add_render(title="timed", status="completed", duration=166.6)
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await _highlight(pilot, renders, render["render_id"])
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen))
        text = str(app.screen.query_one("#detail-text", Static).render())
        assert re.search(r"duration\s+2:47\n", text), text
        assert "166.6" not in text
        created = re.search(r"created_at\s+(.+)\n", text)
        assert created is not None
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ \(.+ ago\)|.* \(now\)", created[1]), created[
            1
        ]


async def test_the_download_menu_shows_its_keys_with_a_single_option(sim: Simulator) -> None:
    session = _one_file_session(sim)
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        agents = await loaded(pilot, "agents")
        await pilot.press("3")
        await _highlight(pilot, agents, session)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, VariantMenu))
        menu = app.screen
        assert isinstance(menu, VariantMenu)
        assert len(menu.variants) == 1
        hint = str(menu.query_one("#variant-keys", Static).render())
        assert hint == "1 or enter download · esc cancel"
        options = menu.query_one(OptionList)
        assert options.highlighted == 0
        assert str(options.get_option_at_index(0).prompt).startswith("1  ")
        await pilot.press("1")
        assert not isinstance(app.screen, VariantMenu)
        manager = _manager(app)
        await wait_until(pilot, lambda: any(s.state is DownloadState.DONE for s in manager.statuses()))


def test_the_menu_hint_names_every_key() -> None:
    from hfdash.ui.modals import keys_hint

    assert keys_hint(1) == "1 or enter download · esc cancel"
    assert keys_hint(3) == "1-3 or enter download · ↑↓ move · esc cancel"


def test_detail_times_are_in_the_local_zone_with_their_age(monkeypatch: pytest.MonkeyPatch) -> None:
    from hfdash.ui.format import local_time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        assert local_time(1_795_176_000, 1_795_176_000 + 7200) == "2026-11-20 13:00:00 CET (2 hours ago)"
        assert local_time(None, 0) == "—"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.fixture
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("_utc")
@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")])
def test_download_menu_picture(
    snap_compare: Callable[..., bool], sim: Simulator, size: tuple[int, int]
) -> None:
    session = _one_file_session(sim)

    async def open_menu(pilot: Pilot[Any]) -> None:
        agents = await loaded(pilot, "agents")
        await pilot.press("3")
        await _highlight(pilot, agents, session)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, VariantMenu))
        await pilot.pause(0.3)

    assert snap_compare(make_app(sim, polling=False), terminal_size=size, run_before=open_menu)


async def test_d_on_a_render_in_flight_says_no_file_yet_and_adds_no_download(sim: Simulator) -> None:
    render = sim.state.add_render(title="busy", status="rendering")
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await _highlight(pilot, renders, render["render_id"])
        await pilot.press("d")
        wanted = f"render {render['render_id']} is rendering: no file yet (d again once done)"
        await wait_until(pilot, lambda: wanted in notifications(app))
        assert _manager(app).statuses() == []
