"""Tables fit the terminal, sorts show their direction, and empty results say why, as a user sees them."""

from __future__ import annotations

from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot

from hfdash.models import ClipJob
from hfdash.services.kinds import Category, category
from hfdash.simulator import Simulator
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.panes.columns import CLIP_COLUMNS, CLIP_JOB_COLUMNS, RENDER_COLUMNS, Column
from hfdash.ui.screens.detail import DetailScreen
from hfdash.ui.widgets.virtual_table import VirtualTable
from tests.ui.harness import cell_text, info_text, main_screen, make_app, pane, wait_until
from tests.ui.harness import loaded as pane_loaded

SIZES = [pytest.param(size, id=f"{size[0]}x{size[1]}") for size in ((60, 20), (80, 24), (160, 48))]


async def loaded(pilot: Pilot[Any], name: str) -> ResourcePane[Any]:
    """The pane loaded and laid out, so its lines are painted at their width."""
    found = await pane_loaded(pilot, name)
    await wait_until(pilot, lambda: found.table.size.height > 1)
    await pilot.pause(0.05)
    return found


def painted(table: VirtualTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


def header_spans(table: VirtualTable, columns: tuple[Column[Any], ...]) -> dict[str, tuple[int, int]]:
    """Where each column shown is drawn, read from the header line: from its label to the next."""
    header = painted(table)[0]
    starts: list[tuple[str, int]] = []
    position = 0
    for column in columns:
        found = header.find(f" {column.label}", position)
        if found >= 0:
            starts.append((column.key, found))
            position = found + len(column.label)
    ends = [start for _key, start in starts[1:]] + [len(header)]
    return {key: (start, end) for (key, start), end in zip(starts, ends, strict=True)}


def assert_fits(table: VirtualTable, target: ResourcePane[Any], columns: tuple[Column[Any], ...]) -> None:
    spans = header_spans(table, columns)
    shown = [column for column in columns if column.key in spans]
    dropped = [column for column in columns if column.key not in spans]
    assert shown[0].key == "status" and any(column.key == "title" for column in shown)
    # Only columns ranked below every column shown are left out.
    if dropped:
        assert min(column.priority for column in dropped) > max(column.priority for column in shown)
    lines = painted(table)
    assert all(len(line) == table.scrollable_content_region.width for line in lines)
    for row, row_id in enumerate(target.visible_ids[: len(lines) - 1], start=1):
        for key, (start, end) in spans.items():
            drawn = lines[row][start:end].strip()
            full = cell_text(table, row_id, key)
            # Whole, or cut with an ellipsis: never cut silently.
            assert drawn == full or (drawn.endswith("…") and full.startswith(drawn[:-1])), (key, drawn, full)


@pytest.mark.parametrize("size", SIZES)
async def test_columns_fit_the_width_lowest_ranked_dropped_and_nothing_scrolls(
    sim: Simulator, size: tuple[int, int]
) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=size) as pilot:
        renders = await loaded(pilot, "renders")
        table = renders.table
        assert_fits(table, renders, RENDER_COLUMNS)
        assert table.max_scroll_x == 0
        await pilot.press("right", "right", "right")
        assert table.scroll_x == 0 and painted(table)[0].startswith(" Status")
        await pilot.press("2")
        clips = await loaded(pilot, "clips")
        assert_fits(clips.table, clips, CLIP_JOB_COLUMNS)


async def test_at_160_columns_the_side_panel_leaves_quality_and_clips_whole(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(160, 48)) as pilot:
        renders = await loaded(pilot, "renders")
        assert main_screen(app).query_one("#side").display
        spans = header_spans(renders.table, RENDER_COLUMNS)
        assert {"status", "title", "id", "created", "quality"} <= set(spans)
        start, end = spans["quality"]
        qualities = {line[start:end].strip() for line in painted(renders.table)[1:11]}
        assert "standard" in qualities and not any(q.endswith("…") for q in qualities)
        await pilot.press("2")
        clips = await loaded(pilot, "clips")
        start, end = header_spans(clips.table, CLIP_JOB_COLUMNS)["clips"]
        counts = [line[start:end].strip() for line in painted(clips.table)[1:9]]
        assert all(done.count("/") == 1 and not done.endswith("/") for done in counts), counts


async def test_i_hides_and_shows_the_side_panel_and_the_table_refits(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(160, 48)) as pilot:
        renders = await loaded(pilot, "renders")
        side = main_screen(app).query_one("#side", VerticalScroll)
        assert side.display and "fps" not in header_spans(renders.table, RENDER_COLUMNS)
        await pilot.press("i")
        await pilot.pause(0.1)
        assert not side.display
        assert set(header_spans(renders.table, RENDER_COLUMNS)) == {column.key for column in RENDER_COLUMNS}
        await pilot.press("i")
        await pilot.pause(0.1)
        assert side.display and "fps" not in header_spans(renders.table, RENDER_COLUMNS)


async def test_i_shows_the_side_panel_on_a_narrow_screen_beside_a_table_that_still_fits(
    sim: Simulator,
) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24)) as pilot:
        renders = await loaded(pilot, "renders")
        side = main_screen(app).query_one("#side", VerticalScroll)
        assert not side.display
        await pilot.press("i")
        await wait_until(pilot, lambda: side.display and 0 < side.outer_size.width <= 40)
        highlighted = renders.highlighted()
        assert highlighted is not None and highlighted.id in str(
            main_screen(app).query_one("#side-text").render()
        )
        assert renders.table.max_scroll_x == 0
        assert_fits(renders.table, renders, RENDER_COLUMNS)


def header(table: VirtualTable) -> str:
    return painted(table)[0]


async def wait_header(pilot: Pilot[Any], table: VirtualTable, label: str) -> None:
    await wait_until(pilot, lambda: label in header(table))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_shift_s_reverses_the_sort_and_the_header_shows_which_way(
    sim: Simulator, size: tuple[int, int]
) -> None:
    app = make_app(sim, polling=False, page_size=40)
    async with app.run_test(size=size) as pilot:
        renders = await loaded(pilot, "renders")
        table = renders.table
        newest_first = list(renders.store.order)
        assert "Created ▼" in header(table) and "sort:" not in info_text(renders)
        await pilot.press("S")
        await wait_header(pilot, table, "Created ▲")
        assert renders.visible_ids == newest_first[::-1]
        assert "sort: created ▲" in info_text(renders)
        # `s` moves on to the status sort, in its own direction: failed first.
        await pilot.press("s")
        await wait_header(pilot, table, "Status ▲")
        assert "Created ▼" not in header(table) and "Created ▲" not in header(table)
        first = renders.store.items[renders.visible_ids[0]]
        assert category(first) is Category.FAILED
        await pilot.press("S")
        await wait_header(pilot, table, "Status ▼")
        last = renders.store.items[renders.visible_ids[-1]]
        assert category(last) is Category.FAILED and "sort: status ▼" in info_text(renders)
        await pilot.press("s")
        await wait_header(pilot, table, "Dur ▼")
        durations = [renders.store.items[key].duration or 0.0 for key in renders.visible_ids]
        assert durations == sorted(durations, reverse=True)
        await pilot.press("S")
        await wait_header(pilot, table, "Dur ▲")
        assert [renders.store.items[key].duration or 0.0 for key in renders.visible_ids] == durations[::-1]
        await pilot.press("s")
        await wait_header(pilot, table, "Created ▼")
        assert renders.visible_ids == newest_first


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_search_that_matches_nothing_says_so_in_the_table(
    sim: Simulator, size: tuple[int, int]
) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=size) as pilot:
        renders = await loaded(pilot, "renders")
        await pilot.press("slash", *"zzqx")
        await wait_until(pilot, lambda: not renders.visible_ids)
        await pilot.pause(0.05)
        assert painted(renders.table)[1].strip() == "no renders match 'zzqx' · esc clears"
        assert "showing 0" in info_text(renders)
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(renders.visible_ids) == 10)
        assert "no renders" not in "".join(painted(renders.table))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_status_filter_that_matches_nothing_says_so_in_the_table(
    sim: Simulator, size: tuple[int, int]
) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        clips = await loaded(pilot, "clips")
        assert not any(category(job) is Category.FAILED for job in pane(app, "clips").store.items.values())
        await pilot.press("f", "f")
        await wait_until(pilot, lambda: clips.spec.status_filter == "failed")
        await pilot.pause(0.05)
        assert painted(clips.table)[1].strip() == "no failed clip jobs · f cycles the filter"
        await pilot.press("f")
        await wait_until(pilot, lambda: bool(clips.visible_ids))
        assert "no failed" not in "".join(painted(clips.table))


async def test_a_clip_jobs_clips_table_fits_its_width_as_the_terminal_narrows(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(160, 48)) as pilot:
        clips = await pane_loaded(pilot, "clips")
        job = next(item for item in clips.store.items.values() if isinstance(item, ClipJob) and item.clips)
        await pilot.press("2")
        await pilot.pause(0.1)
        while clips.highlighted_id() != job.id:
            await pilot.press("down")
        await pilot.press("enter")
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        table = detail.query_one("#detail-children", VirtualTable)
        await wait_until(pilot, lambda: table.row_count == len(job.clips))
        ranks = {column.key: column.priority for column in CLIP_COLUMNS}
        for width, height in ((160, 48), (80, 24), (60, 20)):
            await pilot.resize_terminal(width, height)
            await pilot.pause(0.1)
            await wait_until(pilot, lambda: table.fitted_width == table.scrollable_content_region.width)
            shown = [table.columns[at].key for at, _width in table.fitted]
            assert shown[:2] == ["status", "title"] and table.row_count == len(job.clips)
            dropped = set(ranks) - set(shown)
            if dropped:
                assert min(ranks[key] for key in dropped) > max(ranks[key] for key in shown)
            assert table.max_scroll_x == 0
        # At 60 columns some are left out rather than scrolled to.
        assert len(shown) < len(CLIP_COLUMNS)


async def test_a_pane_emptied_by_deletes_says_older_pages_may_hold_more(sim: Simulator) -> None:
    app = make_app(sim, polling=False, page_size=10)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot, "renders")
        assert renders.store.has_more
        # The next page cannot come on its own as the last row goes, so the empty table is seen.
        sim.state.faults.add("503", rate=1.0, path_prefix="/v3/hyperframes/renders", method="GET")
        await pilot.press("asterisk", "x")
        await pilot.pause(0.2)
        await pilot.press("y")
        await wait_until(pilot, lambda: not renders.store.items and not renders.loading)
        await pilot.pause(0.05)
        assert painted(renders.table)[1].strip() == "no renders loaded · m loads more"
        sim.state.faults.clear()
        await pilot.press("m")
        await wait_until(pilot, lambda: len(renders.visible_ids) > 0)
        assert "no renders" not in "".join(painted(renders.table))
