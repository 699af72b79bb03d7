"""A restart shows the cached rows at once, marked stale, then syncs only what can have changed."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import LoadingIndicator

from hfdash.config import dirs
from hfdash.config.credentials import account_key
from hfdash.services.cache import file_name
from hfdash.simulator import Simulator
from tests.ui.harness import (
    info_text,
    loaded,
    main_screen,
    make_app,
    make_client,
    notifications,
    pane,
    wait_until,
)


async def _first_run(sim: Simulator) -> list[str]:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: len(renders.store) == 20 and not renders.loading)
        shown = list(renders.visible_ids)
        await pilot.press("q")
    return shown


async def test_a_restart_shows_cached_rows_before_any_network_answer(sim: Simulator) -> None:
    shown = await _first_run(sim)
    sim.state.faults.add("slow", rate=1.0, delay=5.0)
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = pane(app, "renders")
        await wait_until(pilot, lambda: len(renders.visible_ids) == 20, within=2.0)
        assert renders.visible_ids == shown
        assert renders.stale
        assert renders.table.stale
        assert "20 cached · syncing…" in info_text(renders)
        # The rows are in view, not under a loading indicator waiting for the network.
        assert not renders.loading and not renders.query(LoadingIndicator)
        # Nothing has answered yet: every request is still waiting out its 5 s delay.
        assert not renders.store.loaded
        sim.state.faults.clear()
        await pilot.press("q")


async def test_the_sync_reads_new_pages_and_in_flight_items_but_not_finished_ones(sim: Simulator) -> None:
    shown = await _first_run(sim)
    fresh = [sim.state.add_render(title=f"new {n}", status="completed")["render_id"] for n in range(12)]
    sim.state.delete("render", shown[3])
    before = len(sim.state.request_log)
    app = make_app(sim, head_interval=3600.0, poll_interval=3600.0)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await wait_until(pilot, lambda: not renders.stale)
        ids = renders.visible_ids
        assert ids[:12] == list(reversed(fresh))
        assert shown[3] not in ids
        assert "cached" not in info_text(renders)
        requests = [e for e in sim.state.request_log[before:] if e["path"] == "/v3/hyperframes/renders"]
        # Two pages newer than the cached head (12 new renders, pages of 10), no per-item reads.
        assert len(requests) <= 4
        assert not [
            e for e in sim.state.request_log[before:] if e["path"].startswith("/v3/hyperframes/renders/")
        ]
        await pilot.press("q")


async def test_a_corrupt_cache_is_rebuilt_with_a_notice(sim: Simulator) -> None:
    path = dirs.cache_dir() / file_name(sim.url, account_key(make_client(sim).credential))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        assert len(renders.visible_ids) == 10
        await wait_until(pilot, lambda: any("rebuilt" in text for text in notifications(app)))
        await pilot.press("q")
    assert path.read_bytes()[:15] == b"SQLite format 3"


async def test_another_accounts_cached_rows_never_show(sim: Simulator) -> None:
    await _first_run(sim)
    # Another key for the same API: the simulator turns it away, and nothing of the first
    # account's may be shown meanwhile, not even as stale rows.
    app = make_app(sim, key="another-account-key")
    async with app.run_test(size=(120, 40)) as pilot:
        renders = pane(app, "renders")
        await wait_until(pilot, lambda: renders.error is not None)
        assert not renders.store.items and not renders.visible_ids and not renders.stale
        await pilot.press("q")
    # The first account's rows are still there for it.
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = pane(app, "renders")
        await wait_until(pilot, lambda: len(renders.visible_ids) == 20)
        await pilot.press("q")


async def test_a_change_shown_just_before_quitting_is_cached(sim: Simulator) -> None:
    shown = await _first_run(sim)
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await wait_until(pilot, lambda: not renders.stale)
        # A poll's answer applied in the same turn of the loop as the quit: no frame comes between.
        changed = replace(renders.store.items[shown[0]], title="renamed as the dashboard quit")
        main_screen(app).controller.apply_item(changed)
        app.exit(0)
    # The next start's network never answers: what it shows is what the cache kept.
    sim.state.faults.add("slow", rate=1.0, delay=5.0)
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = pane(app, "renders")
        await wait_until(pilot, lambda: len(renders.visible_ids) == 20, within=2.0)
        assert renders.store.items[shown[0]].title == "renamed as the dashboard quit"
        sim.state.faults.clear()
        await pilot.press("q")
