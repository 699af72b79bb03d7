"""`M` loads every remaining page, 100 at a time, showing progress; escape stops it."""

from __future__ import annotations

import re

from hfdash.simulator import Simulator
from tests.conftest import sim_config
from tests.ui.harness import info_text, loaded, make_app, pane, wait_until


def _list_limits(sim: Simulator) -> list[str]:
    return [
        entry.get("query", {}).get("limit", "")
        for entry in sim.state.request_log
        if entry["path"] == "/v3/hyperframes/renders"
    ]


async def test_m_loads_every_page_in_pages_of_a_hundred(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=345))
    # Polling off from the start, so every list request in the log is a page load, none a poll.
    app = make_app(sim, page_size=10, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("M")
        await wait_until(pilot, lambda: len(renders.store) == 345 and not renders.all_loading, within=20)
        assert len(set(renders.visible_ids)) == 345
        assert not renders.store.has_more
        assert "all 345 loaded" in info_text(renders)
        # One first page of 10, then 335 more in four requests of up to 100.
        limits = _list_limits(sim)
        assert limits[0] == "10"
        assert limits[1:] == ["100"] * 4
        ids = renders.store.order
        expected = [entry["render_id"] for entry in sim.state.list_page("render", {"limit": "100"})["data"]]
        assert ids[:100] == expected


async def test_escape_stops_loading_every_page(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=900))
    app = make_app(sim, page_size=10)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        sim.state.faults.add("slow", rate=1.0, delay=0.25, path_prefix="/v3/hyperframes/renders")
        await pilot.press("M")
        progress = r"loading every page: \d+ pages?, [\d,]+ items, [\d,]+/s \(escape stops\)"
        await wait_until(pilot, lambda: re.search(progress, info_text(renders)) is not None)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not renders.all_loading)
        stopped_at = len(renders.store)
        await pilot.pause(0.8)
        assert len(renders.store) == stopped_at < 900
        assert renders.store.has_more
        assert "more available" in info_text(renders)


async def test_rows_appear_while_every_page_loads_not_only_at_the_end(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=600))
    app = make_app(sim, page_size=10, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        # Slow enough that loading every page spans several repaints of the rows.
        sim.state.faults.add("slow", rate=1.0, delay=0.4, path_prefix="/v3/hyperframes/renders")
        await pilot.press("M")
        counts: list[str] = []
        rows: list[int] = []
        progress: list[str] = []

        def finished() -> bool:
            info = info_text(renders)
            counts.append(info.split(" ")[0])
            progress.extend(re.findall(r"\d+ pages?, [\d,]+ items, [\d,]+/s", info))
            rows.append(len(renders.visible_ids))
            return not renders.all_loading

        await wait_until(pilot, finished, within=20)
        assert "all 600 loaded" in info_text(renders)
        assert len(renders.visible_ids) == 600
        # The count of items went up page by page, and rows joined the table before the end.
        assert len(set(counts)) >= 4
        assert any(10 < shown < 600 for shown in rows)
        # How many pages have come and at what rate, as they come.
        assert len(set(progress)) >= 2
        assert "pages," not in info_text(renders)


async def test_every_page_loaded_is_in_the_cache_for_the_next_start(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=345))
    app = make_app(sim, page_size=10, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("M")
        await wait_until(pilot, lambda: "all 345 loaded" in info_text(renders), within=20)
        shown = list(renders.visible_ids)
        await pilot.press("q")
    # The next start cannot reach the API in time: what it shows comes from the cache alone.
    sim.state.faults.add("slow", rate=1.0, delay=5.0)
    app = make_app(sim, page_size=10, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = pane(app, "renders")
        await wait_until(pilot, lambda: len(renders.visible_ids) == 345, within=3.0)
        assert renders.visible_ids == shown
        assert "345 cached · syncing…" in info_text(renders)
        assert not renders.store.has_more
        sim.state.faults.clear()
        await pilot.press("q")


async def test_escape_during_a_hung_page_answers_at_once_and_again_stops_now(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=900))
    app = make_app(sim, page_size=10, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        sim.state.faults.add("slow", rate=1.0, delay=4.0, path_prefix="/v3/hyperframes/renders")
        await pilot.press("M")
        await wait_until(pilot, lambda: renders.all_loading)
        await pilot.pause(0.2)
        await pilot.press("escape")
        await pilot.pause()
        # Said at once, while the page asked for is still on its way.
        assert renders.all_loading
        assert "stopping after this page (escape again: now)" in info_text(renders)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not renders.all_loading, within=1.0)
        assert len(renders.store) == 10
        assert renders.store.has_more
        assert "10 loaded · more available (m)" in info_text(renders)
        assert "stopping" not in info_text(renders)
        # The dropped page never lands later.
        await pilot.pause(0.5)
        assert len(renders.store) == 10


def _created_at_all(sim: Simulator) -> list[int]:
    """Every render's created_at, newest first, as the list serves them."""
    created: list[int] = []
    query = {"limit": "100"}
    while True:
        page = sim.state.list_page("render", query)
        created += [entry["created_at"] for entry in page["data"]]
        if not page["has_more"]:
            return created
        query = {"limit": "100", "token": page["next_token"]}


async def test_a_malformed_page_during_m_stops_it_names_the_field_and_keeps_the_rows(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=345))
    # After the first page of 10 and two of 100, so it comes 41st in the third page of `M`: the
    # request for the page after it is on its way as its items are parsed, and must go no further.
    created = _created_at_all(sim)
    sim.state.add_render(title="broken", format=None, status="completed", created_at=created[249] - 1)
    app = make_app(sim, page_size=10, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("M")
        await wait_until(pilot, lambda: renders.error is not None and not renders.all_loading, within=20)
        named = "data[40].format: expected a string, got null [GET /v3/hyperframes/renders]"
        assert named in info_text(renders)
        assert len(renders.store) == 210
        assert "more available" in info_text(renders)
        asked = len(_list_limits(sim))
        assert asked <= 5
        await pilot.pause(0.5)
        assert len(_list_limits(sim)) == asked
