"""Marks: `space`, `*` and `U`, the mark column and the info line's count, and what marks survive."""

from __future__ import annotations

from typing import Any

from hfdash.simulator import Simulator
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.widgets.virtual_table import MARK, VirtualTable
from tests.ui.harness import info_text, loaded, make_app, wait_until


def shown_line(table: VirtualTable, row_key: str) -> str:
    """The row as the terminal shows it now (it must be on screen)."""
    row = table.row_keys.index(row_key)
    top = int(table.scroll_y)
    assert top <= row < top + table.body_height(), "the row is not on screen"
    return table.render_line(row - top + 1).text


def marked_on_screen(target: ResourcePane[Any]) -> set[str]:
    table = target.table
    top = int(table.scroll_y)
    on_screen = table.row_keys[top : top + table.body_height()]
    return {key for key in on_screen if shown_line(table, key).startswith(MARK)}


async def test_space_marks_the_row_moves_down_and_unmarks_it_again(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        first, second = renders.visible_ids[:2]
        # Read once the columns are fitted: the same line on two reads in a row.
        seen = [shown_line(renders.table, first)]

        def steady() -> bool:
            seen.append(shown_line(renders.table, first))
            return seen[-1] == seen[-2]

        await pilot.pause(0.05)
        await wait_until(pilot, steady)
        unmarked = seen[-1]
        assert MARK not in unmarked
        await pilot.press("space")
        assert renders.highlighted_id() == second
        # The gutter takes the first cell's pad: every column stays where it was.
        assert shown_line(renders.table, first) == MARK + unmarked[1:]
        assert "1 marked" in info_text(renders)
        await pilot.press("space")
        assert marked_on_screen(renders) == {first, second}
        assert "2 marked" in info_text(renders)
        await pilot.press("up", "space")
        assert marked_on_screen(renders) == {first}
        assert "1 marked" in info_text(renders)


async def test_star_marks_every_row_shown_then_unmarks_them_and_U_clears_all(sim: Simulator) -> None:
    for _ in range(3):
        sim.state.add_render(title="failed one", status="failed")
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("f", "f")
        failed = list(renders.visible_ids)
        assert len(failed) >= 3
        await pilot.press("asterisk")
        assert renders.marks == set(failed)
        assert marked_on_screen(renders) == set(failed)
        assert f"{len(failed)} marked" in info_text(renders)
        # Shown rows all marked: `*` unmarks them.
        await pilot.press("asterisk")
        assert renders.marks == set()
        assert "marked" not in info_text(renders)
        await pilot.press("asterisk", "f", "f")
        assert renders.spec.status_filter == "all"
        # Only some of the rows shown are marked: `*` marks the rest.
        await pilot.press("asterisk")
        assert renders.marks == set(renders.visible_ids)
        await pilot.press("U")
        assert renders.marks == set()
        assert marked_on_screen(renders) == set()
        assert "marked" not in info_text(renders)


async def test_marks_survive_a_poll_replacing_every_row_a_sort_and_a_filter(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("space", "down", "space")
        marked = set(renders.marks)
        assert len(marked) == 2
        before = dict(renders.store.items)
        # The first page holds renders in flight, so the poll reads it again, every row renamed.
        assert renders.in_flight()
        for key, item in before.items():
            sim.state.set_status("render", key, item.status_raw, title=f"renamed {key}")
        await wait_until(pilot, lambda: all(renders.store.items[k] is not before[k] for k in before))
        assert all((item.title or "").startswith("renamed ") for item in renders.store.items.values())
        assert renders.marks == marked
        assert marked_on_screen(renders) == marked
        await pilot.press("s")
        assert renders.spec.sort == "status"
        assert renders.marks == marked
        assert marked_on_screen(renders) == marked & set(renders.visible_ids[: renders.table.body_height()])
        await pilot.press("f", "f", "f")
        await pilot.press("f")
        assert renders.spec.status_filter == "all"
        assert renders.marks == marked
        assert "2 marked" in info_text(renders)


async def test_a_mark_goes_with_its_item_when_it_is_deleted_elsewhere(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        first, second = renders.visible_ids[:2]
        await pilot.press("space", "space")
        sim.state.delete("render", first)
        await pilot.press("r")
        await wait_until(pilot, lambda: first not in renders.store.items)
        assert renders.marks == {second}
        assert "1 marked" in info_text(renders)


async def test_new_items_at_the_head_do_not_move_marks(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        first = renders.visible_ids[0]
        await pilot.press("space")
        fresh = sim.state.add_render(title="brand new", status="completed")["render_id"]
        await pilot.press("r")
        await wait_until(pilot, lambda: renders.visible_ids[0] == fresh)
        assert renders.marks == {first}
        assert marked_on_screen(renders) == {first}


async def test_space_and_star_typed_in_the_search_box_are_text_not_marks(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("slash", "a", "space", "asterisk")
        assert renders.filter_input.value == "a *"
        assert renders.marks == set()
