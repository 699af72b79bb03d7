"""The Downloads screen: one row per file, resumes that show their offset, partials from a past run."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from hfdash.services.downloads.manager import DownloadManager, DownloadState, DownloadStatus, load_journal
from hfdash.services.downloads.plan import Kind, Target
from hfdash.simulator import Simulator
from hfdash.simulator.files import expected_bytes
from hfdash.ui.app import HfdashApp
from hfdash.ui.modals import ConfirmQuit
from hfdash.ui.screens.downloads import COLUMNS, DownloadsScreen, row
from hfdash.ui.widgets.virtual_table import VirtualTable, fit_columns
from tests.ui.harness import loaded, make_app, notifications, wait_until

PARTIAL = 60_000


def _manager(app: HfdashApp) -> DownloadManager:
    assert app.dashboard is not None
    return app.dashboard.downloads


def _cells(status: DownloadStatus) -> list[str]:
    return [cell.plain for cell in row(status)]


async def _first_render_done(pilot: Pilot[Any], app: HfdashApp) -> DownloadStatus:
    await pilot.press("d")
    await wait_until(pilot, lambda: [s.state for s in _manager(app).statuses()] == [DownloadState.DONE])
    return _manager(app).statuses()[0]


async def test_d_twice_keeps_one_row_and_says_the_file_is_already_there(sim: Simulator) -> None:
    sim.state.add_render(title="ship it", status="completed")
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        first = await _first_render_done(pilot, app)
        await pilot.press("d")
        await wait_until(pilot, lambda: any(m.startswith("already there: ") for m in notifications(app)))
        (again,) = _manager(app).statuses()
        assert again.id == first.id and again.state is DownloadState.DONE and again.path == first.path
        assert first.path is not None and len(list(first.path.parent.iterdir())) == 1
        await pilot.press("D")
        assert isinstance(app.screen, DownloadsScreen)
        assert app.screen.query_one("#downloads-table").row_count == 1  # type: ignore[attr-defined]


def test_the_path_column_keeps_the_file_name() -> None:
    deep = Path("/srv/" + "very-long-folder-name/" * 6) / "hfr_5ba63f48a637.mp4"
    status = DownloadStatus("dl1", Target(Kind.RENDER, "hfr_5ba63f48a637"), DownloadState.DONE, path=deep)
    where = _cells(status)[-1]
    assert where.startswith("…") and where.endswith("/hfr_5ba63f48a637.mp4") and len(where) == 60


async def test_a_partial_left_by_an_earlier_run_is_listed_and_r_resumes_it_from_its_offset(
    sim: Simulator, tmp_path: Path
) -> None:
    sim.state.add_render(title="big one", status="completed")
    # The first run quits while the file host has not answered: its download is cancelled.
    sim.state.faults.add("slow", count=1, path_prefix="/files/", delay=30.0)
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24)) as pilot:
        renders = await loaded(pilot)
        wanted = renders.store.items[renders.highlighted_id() or ""]
        await pilot.press("d")
        await wait_until(pilot, lambda: _manager(app).statuses()[0].state is DownloadState.ACTIVE)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("y")
    sim.state.faults.clear()
    (pending,) = load_journal(Path(os.environ["HFDASH_STATE_DIR"]) / "downloads.json")
    assert pending.target == Target(Kind.RENDER, wanted.id)
    # As if the first bytes had arrived before the first run was killed.
    url = str(sim.state.get("render", wanted.id)["data"]["video_url"])
    key = url.split("/files/", 1)[1].split("?", 1)[0]
    whole = expected_bytes(key, sim.state.cfg.file_size)
    (pending.directory / f"{pending.name}.part").write_bytes(whole[:PARTIAL])

    sim.state.faults.add("slow", count=1, path_prefix="/files/", delay=1.0)
    app = make_app(sim, polling=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        await pilot.press("D")
        assert isinstance(app.screen, DownloadsScreen)
        (left,) = _manager(app).statuses()
        cells = _cells(left)
        assert (
            cells[0] == "cancelled" and cells[3] == "60.0 kB / ?" and cells[-1].endswith(".mov  (r resumes)")
        )
        await pilot.press("r")
        await wait_until(pilot, lambda: _manager(app).statuses()[0].state is DownloadState.ACTIVE)
        # The resume starts at the partial file's end, and the row says so.
        assert _cells(_manager(app).statuses()[0])[3].startswith("60.0 kB / ")
        await wait_until(pilot, lambda: _manager(app).statuses()[0].state is DownloadState.DONE)
        final = pending.directory / pending.name
        assert hashlib.sha256(final.read_bytes()).digest() == hashlib.sha256(whole).digest()
        assert not list(pending.directory.glob("*.part"))
    assert load_journal(Path(os.environ["HFDASH_STATE_DIR"]) / "downloads.json") == []


def test_narrow_screens_drop_the_bar_eta_speed_and_path_and_keep_the_label_and_bytes() -> None:
    def shown(width: int) -> list[str]:
        fitted = fit_columns(COLUMNS, width - 2)
        assert sum(cells + 2 for _at, cells in fitted) <= width - 2
        return [COLUMNS[at].key for at, _cells in fitted]

    every = [column.key for column in COLUMNS]
    assert shown(160) == shown(120) == every
    assert shown(100) == ["state", "what", "bytes", "speed", "path"]
    assert shown(80) == ["state", "what", "bytes", "path"]
    assert shown(60) == ["state", "what", "bytes"]


async def test_at_80_columns_the_downloads_screen_shows_the_file_name(sim: Simulator) -> None:
    sim.state.add_render(title="ship it", status="completed")
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        done = await _first_render_done(pilot, app)
        await pilot.press("D")
        assert isinstance(app.screen, DownloadsScreen) and done.path is not None
        await pilot.pause(0.2)
        table = app.screen.query_one(VirtualTable)
        line = table.render_line(1).text
        assert done.path.name in line and "100.0%" not in line and line.lstrip().startswith("done")
        assert f"render {done.target.item_id[:6]}" in line
