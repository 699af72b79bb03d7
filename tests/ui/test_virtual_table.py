"""The virtual table paints only what is on screen, keeps its cursor on an id, and reports moves."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import App, ComposeResult
from textual.message import Message

from hfdash.ui.app import STYLES
from hfdash.ui.widgets.virtual_table import TableColumn, VirtualTable

COLUMNS = (TableColumn("id", "ID", 8), TableColumn("title", "Title", 12))


class TableApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self, ids: list[str]) -> None:
        super().__init__()
        self.ids = ids
        self.rendered: list[str] = []
        self.titles: dict[str, str] = {}
        self.seen: list[Message] = []

    def cells(self, row_key: str) -> Sequence[Text]:
        self.rendered.append(row_key)
        title = self.titles.get(row_key, f"title of {row_key}")
        return (Text(row_key, style="bold"), Text(title, style="#e06c75"))

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, self.cells)

    def on_mount(self) -> None:
        self.table.set_rows(self.ids)
        self.table.focus()

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def on_virtual_table_row_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        self.seen.append(message)

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.seen.append(message)


def ids(count: int) -> list[str]:
    return [f"r{number}" for number in range(count)]


def screen_lines(app: TableApp) -> list[str]:
    table = app.table
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_only_visible_rows_are_rendered_even_with_a_hundred_thousand() -> None:
    app = TableApp(ids(100_000))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert app.table.row_count == 100_000
        assert len(set(app.rendered)) <= 12
        lines = screen_lines(app)
        assert lines[0].startswith(" ID ")
        assert lines[1].startswith(" r0 ")
        assert "title of r0" in lines[1]


async def test_keys_move_the_cursor_and_post_highlighted_with_the_key() -> None:
    app = TableApp(ids(1000))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("down", "down")
        assert app.table.cursor_row == 2
        assert app.table.highlighted_id == "r2"
        await pilot.press("end")
        assert app.table.cursor_row == 999
        # The header stays on top and the last row is on the last line.
        lines = screen_lines(app)
        assert lines[0].startswith(" ID ")
        assert "r999" in lines[-1]
        await pilot.press("home")
        assert app.table.cursor_row == 0
        await pilot.press("pagedown")
        assert app.table.cursor_row > 5
        await pilot.press("pageup")
        assert app.table.cursor_row == 0
        await pilot.pause()
        keys = [m.row_key for m in app.seen if isinstance(m, VirtualTable.RowHighlighted)]
        assert keys[-6:] == ["r1", "r2", "r999", "r0", keys[-2], "r0"]


async def test_enter_and_a_click_on_the_highlighted_row_select_it() -> None:
    app = TableApp(ids(50))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        selected = [m for m in app.seen if isinstance(m, VirtualTable.RowSelected)]
        assert [(m.row_key, m.cursor_row) for m in selected] == [("r1", 1)]
        # Line 0 is the header, so line 4 is row 3.
        await pilot.click(VirtualTable, offset=(3, 4))
        assert app.table.cursor_row == 3
        await pilot.click(VirtualTable, offset=(3, 4))
        await pilot.pause()
        selected = [m for m in app.seen if isinstance(m, VirtualTable.RowSelected)]
        assert selected[-1].row_key == "r3"


async def test_the_cursor_stays_on_its_id_when_rows_change() -> None:
    app = TableApp(ids(100))
    async with app.run_test(size=(40, 12)) as pilot:
        app.table.move_cursor(10)
        app.table.set_rows(["new", *ids(100)])
        assert app.table.highlighted_id == "r10"
        assert app.table.cursor_row == 11
        # The id vanished: the cursor keeps its position, clamped.
        app.table.set_rows(ids(5))
        assert app.table.cursor_row == 4
        app.table.set_rows([])
        assert app.table.highlighted_id is None
        assert app.table.row_count == 0
        await pilot.pause()


async def test_update_row_renders_that_row_again() -> None:
    app = TableApp(ids(20))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert "title of r2" in screen_lines(app)[3]
        app.titles["r2"] = "changed"
        assert "title of r2" in screen_lines(app)[3]
        app.table.update_row("r2")
        await pilot.pause()
        assert "changed" in screen_lines(app)[3]


async def test_cells_are_truncated_to_their_column_and_keep_their_styles() -> None:
    app = TableApp(ids(3))
    app.titles["r0"] = "a title far longer than its column"
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        line = app.table.render_line(1)
        assert " a title far… " in line.text
        colours = {segment.style.color.name for segment in line if segment.style and segment.style.color}
        assert "#e06c75" in colours


async def test_stale_rows_are_dim() -> None:
    app = TableApp(ids(3))
    async with app.run_test(size=(40, 12)) as pilot:
        app.table.stale = True
        await pilot.pause()
        assert all(segment.style and segment.style.dim for segment in app.table.render_line(2))
        app.table.stale = False
        assert not any(segment.style and segment.style.dim for segment in app.table.render_line(2))


class SourcedTableApp(TableApp):
    """Rows drawn from objects: a row is drawn again only when its object is replaced."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(ids)
        self.sources: dict[str, object] = {key: object() for key in ids}

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, self.cells, source=self.sources.get)


async def test_reordered_rows_are_painted_from_the_cache_until_their_source_changes() -> None:
    app = SourcedTableApp(ids(50))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        first = list(app.rendered)
        assert first[:3] == ["r0", "r1", "r2"]
        app.rendered.clear()
        app.table.set_rows(list(reversed(app.ids[:10])))
        await pilot.pause()
        assert screen_lines(app)[1].split()[0] == "r9"
        assert app.rendered == []

        app.titles["r9"] = "renamed"
        app.table.set_rows(list(reversed(app.ids[:10])))
        await pilot.pause()
        assert "renamed" not in screen_lines(app)[1]
        app.sources["r9"] = object()
        app.table.set_rows(list(reversed(app.ids[:10])))
        await pilot.pause()
        assert app.rendered == ["r9"]
        assert "renamed" in screen_lines(app)[1]


async def test_without_a_source_new_rows_are_always_drawn_afresh() -> None:
    app = TableApp(ids(5))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        app.titles["r0"] = "renamed"
        app.table.set_rows(list(app.ids))
        await pilot.pause()
        assert "renamed" in screen_lines(app)[1]


async def test_scrollbar_and_scroll_range_follow_the_row_count() -> None:
    app = TableApp(ids(50))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.table
        assert table.show_vertical_scrollbar and table.max_scroll_y > 0
        # The scrollbar stays when the rows fit: its coming and going would lay the screen out again.
        table.set_rows(ids(3))
        await pilot.pause()
        assert table.show_vertical_scrollbar and table.max_scroll_y == 0
        assert [line.split()[0] for line in screen_lines(app)[1:4]] == ["r0", "r1", "r2"]
        table.set_rows(ids(200))
        await pilot.pause()
        assert table.max_scroll_y == 201 - table.scrollable_content_region.height
        table.set_rows(ids(120))
        await pilot.press("end")
        await pilot.pause()
        assert table.max_scroll_y == 121 - table.scrollable_content_region.height
        assert screen_lines(app)[-1].split()[0] == "r119"


async def test_the_cursor_row_is_painted_as_focused_or_not() -> None:
    app = TableApp(ids(5))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.table
        focused = table.render_line(1)
        assert table.has_focus
        table.blur()
        await pilot.pause()
        blurred = table.render_line(1)
        table.focus()
        await pilot.pause()
        assert focused.text == blurred.text
        assert next(iter(focused)).style != next(iter(blurred)).style
        assert next(iter(table.render_line(1))).style == next(iter(focused)).style
