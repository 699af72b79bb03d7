"""Keys that arrive together, as a paste or one SSH packet brings them, each do what they say, in order.

`Pilot.press` waits for each key to be handled before the next; these tests hand the app
every key of a burst at once, as the terminal driver does.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot

from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.modals import ConfirmDelete, ConfirmQuit
from tests.ui.harness import info_text, loaded, main_screen, make_app, notifications, pane, wait_until

NAMES = {"/": "slash", "?": "question_mark", "\r": "enter"}


async def burst(pilot: Pilot[Any], keys: str) -> None:
    """Every key of `keys` handed to the app before it handles the first."""
    for character in keys:
        pilot.app.post_message(events.Key(NAMES.get(character, character), character))
    await pilot.pause(0.3)


def _deletes(sim: Simulator) -> list[str]:
    return [entry["path"] for entry in sim.state.request_log if entry["method"] == "DELETE"]


async def test_the_table_has_the_focus_from_the_start(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        assert app.focused is renders.table


async def test_text_after_a_slash_in_one_burst_is_the_search(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await burst(pilot, "/proxy")
        assert renders.filter_input.value == "proxy"
        assert app.focused is renders.filter_input
        assert "text filter" in info_text(renders)
        assert not isinstance(app.screen, ConfirmDelete)
        assert main_screen(app).polling
        assert _deletes(sim) == []


async def test_a_burst_is_acted_on_in_order(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await burst(pilot, "3/zz")
        agents = pane(app, "agents")
        assert main_screen(app).current == "agents"
        assert agents.filter_input.value == "zz"
        assert pane(app, "renders").filter_input.value == ""


async def test_a_burst_opens_the_delete_dialog_but_cannot_confirm_it(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        target = renders.highlighted_id()
        await burst(pilot, "xy")
        assert isinstance(app.screen, ConfirmDelete)
        assert _deletes(sim) == []
        # A `y` typed once the dialog is up does confirm it.
        await pilot.press("y")
        await wait_until(pilot, lambda: any(f"deleted {target}" in m for m in notifications(app)))
        assert _deletes(sim) == [f"/v3/hyperframes/renders/{target}"]


async def test_a_burst_asks_to_quit_during_a_download_but_cannot_answer(sim: Simulator) -> None:
    sim.state.faults.add("slow", rate=1.0, delay=30.0, path_prefix="/files/")
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("f", "f", "f", "d")
        assert isinstance(app, HfdashApp)
        await wait_until(pilot, lambda: app.active_downloads() == 1)
        await burst(pilot, "qy")
        assert isinstance(app.screen, ConfirmQuit)
        assert app.is_running
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmQuit)
        sim.state.faults.clear()


async def test_a_key_typed_before_the_dialog_appeared_cannot_answer_it(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        # Typed now, but read only once the dialog is up: a key that crossed a slow link late.
        typed_early = events.Key("y", "y")
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDelete)
        app.post_message(typed_early)
        await pilot.pause(0.3)
        assert isinstance(app.screen, ConfirmDelete)
        assert _deletes(sim) == []
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmDelete)
        assert "delete cancelled" in notifications(app)


async def test_escape_at_the_end_of_a_burst_clears_what_the_burst_typed(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        shown = list(renders.visible_ids)
        for key, character in (("slash", "/"), ("z", "z"), ("z", "z"), ("escape", None)):
            app.post_message(events.Key(key, character))
        await pilot.pause(0.3)
        assert renders.filter_input.value == ""
        assert not renders.filter_input.display
        assert app.focused is renders.table
        assert renders.visible_ids == shown


async def test_keys_behind_enter_in_a_burst_move_the_cursor_not_the_search(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        # Once the other panes are built: this is about the order within one burst. Keys sent the
        # moment the first rows show are the pseudo-terminal tests' part.
        panes = [controller.pane for controller in main_screen(app).controllers.values()]
        await wait_until(pilot, lambda: all(built.is_mounted for built in panes))
        for key, character in (("slash", "/"), ("e", "e"), ("enter", "\r"), ("j", "j"), ("j", "j")):
            app.post_message(events.Key(key, character))
        await pilot.pause(0.3)
        assert renders.filter_input.value == "e"
        assert app.focused is renders.table
        assert len(renders.visible_ids) > 2
        assert renders.table.cursor_row == 2


async def test_keys_behind_escape_in_a_burst_move_the_cursor_not_the_search(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        for key, character in (("slash", "/"), ("z", "z"), ("escape", None), ("j", "j")):
            app.post_message(events.Key(key, character))
        await pilot.pause(0.3)
        assert renders.filter_input.value == ""
        assert not renders.filter_input.display
        assert app.focused is renders.table
        assert renders.table.cursor_row == 1


async def test_keys_behind_enter_typed_into_an_open_search_move_the_cursor(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("slash")
        assert renders.filter_input.has_focus
        await burst(pilot, "e\rjj")
        assert renders.filter_input.value == "e"
        assert app.focused is renders.table
        assert renders.table.cursor_row == 2
