"""The `/` filter box: filters as the user types, enter keeps the filter, esc clears it."""

from __future__ import annotations

from hfdash.simulator import Simulator
from tests.ui.harness import loaded, make_app, wait_until


async def test_enter_keeps_the_filter_and_gives_the_rows_their_keys_back(sim: Simulator) -> None:
    wanted = sim.state.add_render(title="Zebra crossing", status="completed")["render_id"]
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        total = len(renders.visible_ids)
        box = renders.filter_input
        await pilot.press("slash", *"zebra")
        assert box.has_focus and renders.visible_ids == [wanted]
        await pilot.press("enter")
        assert renders.table.has_focus and box.display and box.value == "zebra"
        assert renders.visible_ids == [wanted]
        # Back on the rows, letters are the dashboard's keys again: `s` sorts.
        await pilot.press("s")
        assert renders.spec.sort == "status" and box.value == "zebra"
        # `/` again goes on where the text ended, rather than selecting it to be typed over.
        await pilot.press("slash", "x")
        assert box.value == "zebrax" and renders.visible_ids == []
        await pilot.press("escape")
        assert not box.display and box.value == "" and renders.table.has_focus
        await wait_until(pilot, lambda: len(renders.visible_ids) == total)


async def test_word_moves_and_erases_edit_the_filter(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        box = renders.filter_input
        await pilot.press("slash", *"launch teaser final")
        await pilot.press("ctrl+left", "ctrl+left")
        assert box.cursor_position == len("launch ")
        await pilot.press("ctrl+w")
        assert box.value == "teaser final" and box.cursor_position == 0
        # ctrl+right goes to the start of the next word.
        await pilot.press("ctrl+right", "ctrl+k")
        assert box.value == "teaser "
        await pilot.press("backspace")
        await pilot.press("home", "ctrl+d", "end", "s")
        assert box.value == "easers" and renders.spec.text == "easers"
