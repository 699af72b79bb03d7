"""`d` and `D` in the dashboard: real files on disk from the loopback simulator."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hfdash.services.downloads.manager import DownloadState
from hfdash.simulator import Simulator
from hfdash.simulator.files import expected_sha256, size_for
from hfdash.ui.modals import ConfirmQuit, VariantMenu
from hfdash.ui.screens.detail import DetailScreen
from hfdash.ui.screens.downloads import DownloadsScreen
from hfdash.ui.screens.main import MainScreen
from tests.ui.harness import loaded, main_screen, make_app, notifications, wait_until


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _served_sha(sim: Simulator, path_in_log: str) -> str:
    key = path_in_log.removeprefix("/files/")
    return expected_sha256(key, size_for(key, sim.state.cfg.file_size))


def _file_paths(sim: Simulator) -> list[str]:
    return [e["path"] for e in sim.state.request_log if e["path"].startswith("/files/") and e["status"] < 300]


async def test_d_downloads_a_completed_render_byte_for_byte(sim: Simulator, tmp_path: Path) -> None:
    target = sim.state.add_render(title="ship it", status="completed")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        assert app.dashboard is not None
        manager = app.dashboard.downloads
        assert manager is not None
        await wait_until(pilot, lambda: any(s.state is DownloadState.DONE for s in manager.statuses()))
        done = manager.statuses()[0]
        assert done.path is not None
        assert done.path.parent == tmp_path / "downloads"
        assert target in done.path.name
        assert _sha256(done.path) == _served_sha(sim, _file_paths(sim)[-1])
        assert not list(done.path.parent.glob("*.part"))
        name = done.path.name
        await wait_until(pilot, lambda: any(name in m for m in notifications(app)))


async def test_d_on_a_session_offers_the_files_that_exist(sim: Simulator) -> None:
    session = sim.state.add_session(title="agent work", status="completed")["session_id"]
    sim.state.add_video(session, title="final", status="completed")
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        agents = await loaded(pilot, "agents")
        await pilot.press("3")
        await wait_until(pilot, lambda: agents.highlighted_id() == session)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, VariantMenu))
        menu = app.screen
        assert isinstance(menu, VariantMenu)
        assert menu.variants, "at least the plain video exists"
        await pilot.press("enter")
        assert app.dashboard is not None
        manager = app.dashboard.downloads
        assert manager is not None
        await wait_until(pilot, lambda: any(s.state is DownloadState.DONE for s in manager.statuses()))
        path = manager.statuses()[0].path
        assert path is not None
        assert path.stat().st_size == size_for(_file_paths(sim)[-1].removeprefix("/files/"), 200_000)


async def test_d_on_a_clip_in_a_job_detail_downloads_that_clip_into_the_job_folder(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        clips = await loaded(pilot, "clips")
        await pilot.press("2")
        job = next(j for j in clips.store.items.values() if any(c.video_url for c in j.clips))
        while clips.highlighted_id() != job.id:
            await pilot.press("down")
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        detail = app.screen
        await wait_until(pilot, lambda: bool(detail.children_items))
        first_with_url = next(i for i, c in enumerate(detail.children_items) if c.video_url)
        for _ in range(first_with_url):
            await pilot.press("down")
        await pilot.press("d")
        assert app.dashboard is not None
        manager = app.dashboard.downloads
        assert manager is not None
        await wait_until(pilot, lambda: any(s.state is DownloadState.DONE for s in manager.statuses()))
        status = manager.statuses()[0]
        assert len(status.paths) == 1
        assert detail.children_items[first_with_url].id in status.paths[0].name
        assert status.paths[0].parent.name.startswith(job.id[:20])


async def test_downloads_screen_cancels_and_retries(sim: Simulator) -> None:
    sim.state.add_render(title="slow file", status="completed")
    sim.state.faults.add("slow", count=1, path_prefix="/files/", delay=3.0)
    app = make_app(sim)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        assert app.dashboard is not None
        manager = app.dashboard.downloads
        assert manager is not None
        await wait_until(pilot, lambda: any(s.state is DownloadState.ACTIVE for s in manager.statuses()))
        await pilot.press("D")
        assert isinstance(app.screen, DownloadsScreen)
        await pilot.press("x")
        await wait_until(pilot, lambda: manager.statuses()[0].state is DownloadState.CANCELLED)
        await pilot.press("r")
        await wait_until(pilot, lambda: manager.statuses()[0].state is DownloadState.DONE)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_quitting_with_a_download_running_asks_first(sim: Simulator) -> None:
    sim.state.add_render(title="slow file", status="completed")
    sim.state.faults.add("slow", count=1, path_prefix="/files/", delay=5.0)
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        assert app.dashboard is not None
        manager = app.dashboard.downloads
        assert manager is not None
        await wait_until(pilot, lambda: any(not s.finished for s in manager.statuses()))
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("n")
        assert isinstance(app.screen, MainScreen)
        assert app.is_running
        await pilot.press("q")
        await pilot.press("y")
    assert app.return_value == 0


def test_status_line_summary_counts_running_downloads() -> None:
    from hfdash.services.downloads.manager import DownloadStatus
    from hfdash.services.downloads.plan import Kind, Target
    from hfdash.ui.screens.main import downloads_summary

    running = DownloadStatus("dl1", Target(Kind.RENDER, "a"), DownloadState.ACTIVE, 50, 200)
    done = DownloadStatus("dl2", Target(Kind.RENDER, "b"), DownloadState.DONE, 10, 10)
    assert downloads_summary([running, done]) == "downloads: 1 running 25% (D)"
    assert downloads_summary([done]) == ""
    assert main_screen is not None
