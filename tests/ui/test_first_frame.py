"""With nothing cached, the dashboard waits a moment for its first page, so its first frame holds rows."""

from __future__ import annotations

import time
from typing import Any

import pytest

from hfdash.services.cache import ItemCache
from hfdash.services.clock import FrozenClock
from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.screens.main import MainScreen
from tests.conftest import FROZEN_NOW
from tests.ui.harness import TEST_SETTINGS, loaded, main_screen, make_client, pane, wait_until

RENDERS = "/v3/hyperframes/renders"


def _answered(sim: Simulator) -> int:
    return sum(1 for entry in sim.state.request_log if entry["path"] == RENDERS)


def _app(sim: Simulator, wait: float) -> HfdashApp:
    return HfdashApp(make_client(sim), TEST_SETTINGS, clock=FrozenClock(FROZEN_NOW), first_frame_wait=wait)


class _Pushes:
    """When the dashboard was pushed, and how many first pages the API had answered by then."""

    def __init__(self, sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at: float | None = None
        self.answered: int | None = None
        real_push = HfdashApp.push_screen

        def push_screen(app: HfdashApp, screen: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(screen, MainScreen) and self.at is None:
                self.at = time.monotonic()
                self.answered = _answered(sim)
            return real_push(app, screen, *args, **kwargs)

        monkeypatch.setattr(HfdashApp, "push_screen", push_screen)


async def test_the_dashboard_comes_with_its_first_page_answered(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    pushes = _Pushes(sim, monkeypatch)
    covered: list[str] = []
    real_set_loading = ResourcePane.set_loading

    def set_loading(shown: ResourcePane[Any], loading: bool) -> None:
        if loading:
            covered.append(shown.kind)
        real_set_loading(shown, loading)

    monkeypatch.setattr(ResourcePane, "set_loading", set_loading)
    app = _app(sim, wait=5.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: pushes.at is not None)
        assert pushes.answered == 1
        renders = await loaded(pilot)
        assert renders.visible_ids
        # Its rows came with the pane: no loading indicator was put up and taken down around them.
        assert "renders" not in covered
        # The page asked for early is the pane's first page: it is not asked for again.
        assert _answered(sim) == 1
        await pilot.press("q")


async def test_a_slow_first_page_shows_the_dashboard_after_the_wait(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim.state.faults.add("slow", rate=1.0, delay=1.5, path_prefix=RENDERS)
    pushes = _Pushes(sim, monkeypatch)
    app = _app(sim, wait=0.3)
    started = time.monotonic()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: pushes.at is not None, within=3.0)
        assert pushes.at is not None and 0.25 <= pushes.at - started < 1.5
        assert pushes.answered == 0
        await pilot.pause(0.1)
        renders = pane(app, "renders")
        assert not renders.store.loaded and renders.loading
        # The page asked for before the dashboard arrives later, into it: it is not asked for again.
        await wait_until(pilot, lambda: renders.store.loaded and bool(renders.visible_ids), within=5.0)
        assert _answered(sim) == 1
        await pilot.press("q")


async def test_a_failed_first_page_shows_the_dashboard_at_once_with_the_error(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim.state.faults.add("500", count=10, path_prefix=RENDERS)
    pushes = _Pushes(sim, monkeypatch)
    app = _app(sim, wait=30.0)
    started = time.monotonic()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: pushes.at is not None, within=10.0)
        # The failure ended the wait: the dashboard did not sit out its 30 s.
        assert pushes.at is not None and pushes.at - started < 10.0
        renders = pane(app, "renders")
        await wait_until(pilot, lambda: renders.error is not None and not renders.loading)
        assert not renders.store.loaded
        sim.state.faults.clear()
        # The failed early answer is spent: `m` asks again.
        await pilot.press("m")
        await loaded(pilot)
        assert renders.error is None and renders.visible_ids
        await pilot.press("q")


async def test_a_start_with_a_cache_file_asks_for_nothing_before_the_dashboard(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _app(sim, wait=0.0)
    async with first.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        path = main_screen(first).cache.path
        await wait_until(pilot, lambda: ItemCache(path).load("renders") is not None)
        await pilot.press("q")
    pushes = _Pushes(sim, monkeypatch)
    answered_before = _answered(sim)
    app = _app(sim, wait=5.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: pushes.at is not None, within=2.0)
        # The cached rows need no network: the dashboard came before any renders request.
        assert pushes.answered == answered_before
        await loaded(pilot)
        await pilot.press("q")


async def test_headless_apps_push_the_dashboard_at_once(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    pushes = _Pushes(sim, monkeypatch)
    app = HfdashApp(make_client(sim), TEST_SETTINGS)
    async with app.run_test(size=(120, 40)) as pilot:
        assert pushes.answered == 0
        await loaded(pilot)
        await pilot.press("q")
