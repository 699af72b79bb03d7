"""The three panes load, page, filter, sort and update live, against the loopback simulator."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.widgets import LoadingIndicator

from hfdash.services.kinds import Category
from hfdash.services.view import SORTS, category_of
from hfdash.simulator import Simulator
from hfdash.ui.format import plain
from hfdash.ui.screens import main as main_module
from hfdash.ui.screens.sign_in import SignInScreen
from tests.clock import FrozenClock
from tests.conftest import sim_config
from tests.ui.harness import (
    TEST_SETTINGS,
    cell_text,
    info_text,
    loaded,
    main_screen,
    make_app,
    notifications,
    wait_until,
)


async def test_first_page_of_each_pane_loads_newest_first(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot, "renders")
        clips = await loaded(pilot, "clips")
        agents = await loaded(pilot, "agents")
        expected = [entry["render_id"] for entry in sim.state.list_page("render", {"limit": "10"})["data"]]
        assert renders.visible_ids == expected
        assert len(clips.visible_ids) == 8
        assert len(agents.visible_ids) == 6
        assert "10 loaded · more available" in info_text(renders)
        assert "all 8 loaded" in info_text(clips)


async def test_the_cursor_on_the_last_loaded_row_loads_the_next_page(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        assert len(renders.store) == 10
        await pilot.press("G")
        await wait_until(pilot, lambda: len(renders.store) == 20)
        # A filtered or sorted view is not the list's order: its last row says nothing of the next page.
        await pilot.press("s", "G")
        await pilot.pause(0.5)
        assert len(renders.store) == 20


async def test_three_pages_load_with_m_and_no_row_is_doubled_when_new_items_arrive(sim: Simulator) -> None:
    app = make_app(sim, page_size=5)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        first_ids = list(renders.visible_ids)
        # A render created while the user pages must not push a row onto the next page twice.
        sim.state.add_render(title="brand new", status="queued")
        await pilot.press("m")
        await wait_until(pilot, lambda: len(renders.store) >= 10 and not renders.loading)
        await pilot.press("m")
        await wait_until(pilot, lambda: len(renders.store) >= 15 and not renders.loading)
        shown = renders.visible_ids
        assert len(set(shown)) == len(shown)
        every_id = [entry["render_id"] for entry in sim.state.list_page("render", {"limit": "100"})["data"]]
        # Three pages cover the 15 renders that existed at the first load, in order and none twice;
        # the new one appears on top once polling re-reads the first page.
        assert [key for key in shown if key in first_ids] == first_ids
        assert every_id[1:16] == [key for key in shown if key != every_id[0]]


async def test_cursor_reaching_the_last_row_loads_the_next_page(sim: Simulator) -> None:
    app = make_app(sim, page_size=5)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        for _ in range(4):
            await pilot.press("down")
        await wait_until(pilot, lambda: len(renders.store) == 10)
        assert renders.highlighted_id() == renders.visible_ids[4]


async def test_a_render_finishing_updates_its_row_in_place_and_keeps_the_cursor(sim: Simulator) -> None:
    target = sim.state.add_render(title="Live one", status="rendering")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("down", "down")
        kept = renders.highlighted_id()
        sim.state.set_status("render", target, "failed", failure_message="Render timed out after 900s")
        await wait_until(pilot, lambda: cell_text(renders.table, target, "status").endswith("failed"))
        assert renders.highlighted_id() == kept
        await wait_until(pilot, lambda: "render failed: Live one" in notifications(app))
        header = str(main_screen(app).query_one("#header").render())
        assert "✖" in header


async def test_status_filter_cycles_through_in_flight_failed_completed(sim: Simulator) -> None:
    sim.state.add_render(title="stuck", status="rendering")
    app = make_app(sim, page_size=25)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        statuses = {key: item.status.value for key, item in renders.store.items.items()}
        await pilot.press("f")
        assert renders.spec.status_filter == "in flight"
        assert renders.visible_ids
        assert all(statuses[key] in ("queued", "rendering") for key in renders.visible_ids)
        await pilot.press("f")
        assert sorted(renders.visible_ids) == sorted(k for k, v in statuses.items() if v == "failed")
        await pilot.press("f")
        assert sorted(renders.visible_ids) == sorted(k for k, v in statuses.items() if v == "completed")
        await pilot.press("f")
        assert len(renders.visible_ids) == len(statuses)


async def test_text_filter_matches_id_title_and_failure_and_escape_clears(sim: Simulator) -> None:
    failed = sim.state.add_render(
        title="Ordinary", status="failed", failure_message="missing asset 'zebra.mp4'"
    )["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        total = len(renders.visible_ids)
        await pilot.press("slash")
        await pilot.press(*"zebra")
        assert renders.visible_ids == [failed]
        await pilot.press("enter")
        assert renders.table.has_focus
        await pilot.press("escape")
        assert len(renders.visible_ids) == total
        assert renders.spec.text == ""


async def test_sort_cycles_created_status_duration(sim: Simulator) -> None:
    app = make_app(sim, page_size=25)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        items = renders.store.items
        await pilot.press("s")
        assert renders.spec.sort == "status"
        first = items[renders.visible_ids[0]]
        assert first.status.value == "failed"
        await pilot.press("s")
        durations = [items[key].duration or 0.0 for key in renders.visible_ids]
        assert durations == sorted(durations, reverse=True)
        await pilot.press("s")
        assert renders.spec.sort == "created"


async def test_hostile_titles_show_literally_without_markup_or_escapes(sim: Simulator) -> None:
    hostile = "[bold red]boom[/] \x1b[31mred\x1b[0m\x07 tail"
    target = sim.state.add_render(title=hostile, status="completed")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        shown = cell_text(renders.table, target, "title")
        assert shown.startswith("[bold red]boom[/] red")
        assert "\x1b" not in shown
        assert "\x07" not in shown


async def test_carriage_returns_are_spaces_in_the_table_and_breaks_where_lines_are_kept(
    sim: Simulator,
) -> None:
    target = sim.state.add_render(title="first\r\nsecond\rthird\x07", status="completed")["render_id"]
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        assert cell_text(renders.table, target, "title") == "first second third�"
        assert plain("first\r\nsecond\rthird", keep_newlines=True) == "first\nsecond\nthird"


async def test_unknown_status_shows_as_unknown_with_its_value(sim: Simulator) -> None:
    target = sim.state.add_render(title="from the future", status="teleporting")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        assert cell_text(renders.table, target, "status").endswith("unknown (teleporting)")


async def test_sessions_get_their_status_from_a_read_by_id(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        agents = await loaded(pilot, "agents")
        await wait_until(pilot, lambda: all(hasattr(item, "status") for item in agents.store.items.values()))
        await pilot.press("3")
        assert main_screen(app).current == "agents"
        statuses = {cell_text(agents.table, key, "status") for key in agents.visible_ids}
        assert not any("loading" in status for status in statuses)


async def test_tab_and_number_keys_switch_panes(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = main_screen(app)
        await pilot.press("2")
        assert screen.current == "clips"
        await pilot.press("tab")
        assert screen.current == "agents"
        await pilot.press("tab")
        assert screen.current == "renders"


async def test_pause_stops_polling(sim: Simulator) -> None:
    target = sim.state.add_render(title="paused watch", status="rendering")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        # Every pane's first load is over: its requests are none of polling's.
        await loaded(pilot, "clips")
        agents = await loaded(pilot, "agents")
        # A session's status is read after its page, as part of the pane's first load.
        await wait_until(pilot, lambda: all(hasattr(item, "status") for item in agents.store.items.values()))
        await pilot.press("p")
        assert not main_screen(app).polling
        # A request already on its way when `p` came is still answered.
        await pilot.pause(0.3)
        before = len(api_requests(sim))
        sim.state.set_status("render", target, "completed")
        await pilot.pause(1.6)
        assert len(api_requests(sim)) == before
        assert renders.store.items[target].status.value == "rendering"
        await pilot.press("p")
        await wait_until(pilot, lambda: renders.store.items[target].status.value == "completed")


async def test_no_credential_shows_the_sign_in_screen_and_q_quits() -> None:
    from hfdash.ui.app import HfdashApp

    app = HfdashApp(None, TEST_SETTINGS)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, SignInScreen)
        text = str(app.screen.query_one("#sign-in-text").render())
        assert "HEYGEN_API_KEY" in text
        assert "hfdash --demo" in text
        await pilot.press("q")
    assert app.return_value == 0


async def test_quit_exits_with_status_zero(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("q")
    assert app.return_value == 0


def test_sim_config_is_frozen() -> None:
    assert sim_config().speed == 0.0


@pytest.mark.parametrize(("bell", "expected"), [(True, 1), (False, 0)])
async def test_the_bell_rings_on_a_finish_only_when_configured(
    sim: Simulator, bell: bool, expected: int
) -> None:
    target = sim.state.add_render(title="ring", status="rendering")["render_id"]
    app = make_app(sim, bell=bell)
    rings: list[None] = []
    app.bell = lambda: rings.append(None)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        sim.state.set_status("render", target, "completed")
        await wait_until(pilot, lambda: renders.store.items[target].status.value == "completed")
        await wait_until(pilot, lambda: "render completed: ring" in notifications(app))
    assert len(rings) == expected


async def test_ages_move_on_when_the_clock_does(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main_module, "AGE_REFRESH", 0.2)
    newest = sim.state.add_render(title="Just made", status="completed")["render_id"]
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        assert renders.visible_ids[0] == newest
        table = renders.table
        assert "days" not in table.render_line(1).text
        assert isinstance(app.clock, FrozenClock)
        app.clock.advance(3 * 86_400)
        # Nothing about the item changed: only the age timer draws the row again.
        await wait_until(pilot, lambda: "3 days ago" in table.render_line(1).text, within=3.0)


async def test_the_filter_box_edits_like_a_shell_and_keeps_letters_from_the_keys(sim: Simulator) -> None:
    failed = sim.state.add_render(title="Ordinary", status="failed", failure_message="missing asset zebra")[
        "render_id"
    ]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        total = len(renders.visible_ids)
        box = renders.filter_input
        await pilot.press("slash", *"asset zebrq", "backspace", "a")
        # `q` and `s` were typed, not the dashboard's quit and sort.
        assert app.is_running and renders.spec.sort == "created"
        assert box.value == "asset zebra"
        assert renders.visible_ids == [failed]
        await pilot.press("ctrl+w")
        assert box.value == "asset "
        await pilot.press("left", "left", "ctrl+k")
        assert box.value == "asse"
        await pilot.press("ctrl+a", "delete", "ctrl+e", "t")
        assert box.value == "sset"
        await pilot.press("ctrl+a", "ctrl+u")
        assert box.value == "sset" and box.cursor_position == 0
        await pilot.press("end", "ctrl+u")
        assert box.value == "" and len(renders.visible_ids) == total
        box.post_message(events.Paste("zeb\x1b[31mra\nnext line"))
        await pilot.pause()
        # Textual's Input keeps a paste's first line; the pane strips its escapes.
        assert box.value == "zebra" and renders.visible_ids == [failed]
        await pilot.press("escape")
        assert not box.display and renders.spec.text == "" and renders.table.has_focus


async def test_every_sort_is_worked_out_while_the_pane_rests(sim: Simulator) -> None:
    app = make_app(sim, polling=False, page_size=25)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        order = renders.store.order
        await wait_until(
            pilot, lambda: all(renders.view.is_ordered(order, sort) for sort in SORTS), within=3.0
        )
        await pilot.press("s")
        assert renders.spec.sort == "status"
        ranks = [renders.view.facts[key][2] for key in renders.visible_ids]
        assert ranks == sorted(ranks) and len(ranks) == 25
        assert category_of(renders.view.facts[renders.visible_ids[0]]) == Category.FAILED


async def test_loading_more_keeps_the_rows_on_screen(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        sim.state.faults.add("slow", count=1, delay=3.0, path_prefix="/v3/hyperframes/renders")
        first = renders.visible_ids[0]
        await pilot.press("m")
        await wait_until(pilot, lambda: "loading more" in info_text(renders))
        assert not renders.query(LoadingIndicator)
        assert first[:12] in renders.table.render_line(1).text


def api_requests(sim: Simulator) -> list[dict[str, Any]]:
    """The API requests the simulator has logged. File bodies are left out: polling never asks for
    one, and a slow download an earlier test started can finish, and be logged, during this one."""
    return [entry for entry in sim.state.request_log if not str(entry["path"]).startswith("/files/")]
