"""The pane in view gets its first rows before anything else starts: the hidden panes, the footer."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hfdash.config.settings import Settings
from hfdash.models import parse_listed_render
from hfdash.services import heap
from hfdash.services.cache import CachedPane, ItemCache
from hfdash.services.store import PageRecord
from hfdash.simulator import Simulator
from hfdash.ui import controller as controller_module
from hfdash.ui.app import HfdashApp
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.screens import main as main_module
from hfdash.ui.screens.main import FooterSpace
from hfdash.ui.widgets.footer import Footer
from tests.ui.harness import loaded, main_screen, make_app, pane, wait_until

RENDERS = "/v3/hyperframes/renders"
HIDDEN = ("/v3/ai-clipping", "/v3/video-agents")
RENDER = {"render_id": "hfr_1", "status": "completed", "format": "mp4", "created_at": 1_795_176_000}


def _arrivals(sim: Simulator, prefixes: tuple[str, ...]) -> list[float]:
    return [entry["t"] for entry in sim.state.request_log if entry["path"].startswith(prefixes)]


async def test_hidden_panes_and_the_footer_wait_for_the_first_rows(sim: Simulator) -> None:
    sim.state.faults.add("slow", rate=1.0, delay=0.6, path_prefix=RENDERS)
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause(0.25)
        # The renders page is still being answered: nothing else has been asked for (the log
        # holds answered requests, and theirs would be answered at once), and no key is built.
        assert not pane(app, "renders").store.loaded
        assert not _arrivals(sim, HIDDEN)
        assert screen.query(FooterSpace) and not screen.query(Footer)
        # The hidden panes are not even built yet.
        assert [shown.kind for shown in screen.query(ResourcePane)] == ["renders"]
        await loaded(pilot, "renders")
        await loaded(pilot, "clips")
        await loaded(pilot, "agents")
        first_answer = min(_arrivals(sim, (RENDERS,))) + 0.6
        assert min(_arrivals(sim, HIDDEN)) >= first_answer
        # Built hidden once the first rows were on screen, each table holds its pane's rows,
        # whether they came before its widgets were built or after.
        assert sorted(shown.kind for shown in screen.query(ResourcePane)) == ["agents", "clips", "renders"]
        for name in ("clips", "agents"):
            hidden = pane(app, name)
            assert not hidden.display
            assert hidden.table.row_count == len(hidden.store) > 0
        assert not screen.query(FooterSpace)
        await wait_until(pilot, lambda: bool(screen.query(Footer)))
        assert "Next pane" in str(screen.query_one(Footer).render())
        await pilot.press("q")


def _slow_first_page(sim: Simulator, monkeypatch: Any, first_rows_at_latest: float) -> HfdashApp:
    """An app whose renders page takes 5 s, and whose rest of start waits at most as long as given."""
    monkeypatch.setattr(main_module, "FIRST_ROWS_AT_LATEST", first_rows_at_latest)
    sim.state.faults.add("slow", rate=1.0, delay=5.0, path_prefix=RENDERS)
    return make_app(sim)


async def test_a_hidden_pane_shown_before_the_first_rows_loads_at_once(
    sim: Simulator, monkeypatch: Any
) -> None:
    app = _slow_first_page(sim, monkeypatch, first_rows_at_latest=30.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        clips = pane(app, "clips")
        await wait_until(pilot, lambda: clips.store.loaded, within=2.0)
        assert clips.visible_ids
        assert clips.display and clips.table.row_count == len(clips.store)
        # The renders page is still being answered.
        assert not pane(app, "renders").store.loaded
        sim.state.faults.clear()
        await pilot.press("q")


async def test_a_slow_first_page_holds_the_rest_back_for_a_while_at_most(
    sim: Simulator, monkeypatch: Any
) -> None:
    app = _slow_first_page(sim, monkeypatch, first_rows_at_latest=0.3)
    async with app.run_test(size=(120, 40)) as pilot:
        clips, agents = pane(app, "clips"), pane(app, "agents")
        await wait_until(pilot, lambda: clips.store.loaded and agents.store.loaded, within=2.0)
        await wait_until(pilot, lambda: bool(main_screen(app).query(Footer)), within=1.0)
        assert not pane(app, "renders").store.loaded
        sim.state.faults.clear()
        await pilot.press("q")


async def test_a_first_start_neither_reads_nor_creates_the_cache_before_its_first_rows(
    sim: Simulator, monkeypatch: Any
) -> None:
    reads: list[str] = []
    real_load = ItemCache.load
    # Whether the cache file existed as each first page had just been handed to its pane.
    file_at_first_page: list[bool] = []
    real_set_stale = ResourcePane.set_stale

    def load(cache: ItemCache, name: str) -> Any:
        reads.append(name)
        return real_load(cache, name)

    def set_stale(target: ResourcePane[Any], stale: bool) -> None:
        if not stale and not file_at_first_page:
            file_at_first_page.append(main_screen(app).cache.path.exists())
        real_set_stale(target, stale)

    monkeypatch.setattr(ItemCache, "load", load)
    monkeypatch.setattr(ResourcePane, "set_stale", set_stale)
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        reads_at_first_page = list(reads)
        path = main_screen(app).cache.path
        await wait_until(pilot, path.exists)
        await wait_until(pilot, lambda: ItemCache(path).load("renders") is not None)
        await pilot.press("q")
    assert file_at_first_page == [False]
    assert "renders" not in reads_at_first_page
    cached = ItemCache(path).load("renders")
    assert cached is not None
    assert [item.id for item in cached.items] == renders.visible_ids


async def test_a_quick_cache_read_is_waited_for_and_a_slow_one_awaited(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # Generous, so a loaded machine still reads the one item in time; the slow read takes longer.
    monkeypatch.setattr(controller_module, "CACHE_WAIT", 0.15)
    cache = ItemCache(tmp_path / "items.sqlite3")
    cache.save("renders", [parse_listed_render(RENDER, "test")])
    cache.save_paging("renders", [PageRecord(None, ("hfr_1",))], None, False)
    loop = asyncio.get_running_loop()
    ran: list[str] = []
    loop.call_soon(ran.append, "other work")
    cached = await controller_module._read_soon(cache, "renders")
    # Read while the event loop waited: nothing else ran, so no frame came before these rows.
    assert ran == []
    assert cached is not None and [item.id for item in cached.items] == ["hfr_1"]

    class Slow(ItemCache):
        def load(self, pane: str) -> CachedPane | None:
            time.sleep(0.4)
            return super().load(pane)

    loop.call_soon(ran.append, "more work")
    cached = await controller_module._read_soon(Slow(cache.path), "renders")
    # Too slow to wait for: the event loop went on meanwhile.
    assert ran == ["other work", "more work"]
    assert cached is not None and len(cached.items) == 1


@pytest.fixture
def paused_for_start() -> Iterator[None]:
    """Collections paused as the command line pauses them before the first import."""
    heap.pause_for_start()
    yield
    heap.resume_after_start()
    gc.enable()


@pytest.mark.usefixtures("paused_for_start")
async def test_collections_paused_for_start_come_back_with_the_first_rows(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "renders")
        await wait_until(pilot, gc.isenabled, within=2.0)
        await pilot.press("q")


@pytest.mark.usefixtures("paused_for_start")
async def test_collections_paused_for_start_come_back_on_the_sign_in_screen() -> None:
    app = HfdashApp(None, Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        await pilot.press("q")
