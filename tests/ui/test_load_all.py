"""`M` loads every remaining page, 100 at a time, showing progress; escape stops it."""

from __future__ import annotations

from hfdash.simulator import Simulator
from tests.conftest import sim_config
from tests.ui.harness import info_text, loaded, make_app, wait_until


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
        ids = [item.render_id for item in renders.store.ordered()]
        expected = [entry["render_id"] for entry in sim.state.list_page("render", {"limit": "100"})["data"]]
        assert ids[:100] == expected


async def test_escape_stops_loading_every_page(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=900))
    app = make_app(sim, page_size=10)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        sim.state.faults.add("slow", rate=1.0, delay=0.25, path_prefix="/v3/hyperframes/renders")
        await pilot.press("M")
        await wait_until(pilot, lambda: len(renders.store) >= 110)
        assert "loading every page (escape stops)" in info_text(renders)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not renders.all_loading)
        stopped_at = len(renders.store)
        await pilot.pause(0.8)
        assert len(renders.store) == stopped_at < 900
        assert renders.store.has_more
        assert "more available" in info_text(renders)
