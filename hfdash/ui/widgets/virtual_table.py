"""A table that paints only the rows on screen, so its cost does not grow with the number of rows.

Rows are a list of ids plus a function that turns an id into cells, made text only when painted:
stock DataTable builds objects for every row it holds, seconds per rebuild at a hundred thousand
rows. Built on ScrollView and the Line API, as toolong's log view is."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

# One space either side of every cell, as DataTable pads.
PAD = " "
PADDING = 2 * len(PAD)
SORT_ARROWS = {False: " ▲", True: " ▼"}


@dataclass(frozen=True, slots=True)
class TableColumn:
    """A column as a table draws it: natural width, the least it may shrink to, and rank (a lower
    `priority` is kept longer as the table narrows); the `grow` column takes what is left."""

    key: str
    label: str
    width: int
    min_width: int = 0
    priority: int = 0
    grow: bool = False

    @property
    def least(self) -> int:
        return self.min_width or self.width


def fit_columns(columns: Sequence[TableColumn], available: int) -> list[tuple[int, int]]:
    """(index, width) of each column shown in `available` cells, in the columns' own order. Columns
    join by priority while each fits at its least width; the first that does not ends the list, so
    those dropped are always the lowest ranked. Spare cells widen the columns kept to their natural
    widths, most important first, and the rest go to the growing column."""
    ranked = sorted(range(len(columns)), key=lambda at: columns[at].priority)
    widths: dict[int, int] = {}
    used = 0
    for at in ranked:
        need = columns[at].least + PADDING
        if widths and used + need > available:
            break
        widths[at] = columns[at].least
        used += need
    spare = max(available - used, 0)
    for at in widths:
        extra = min(spare, max(columns[at].width - widths[at], 0))
        widths[at] += extra
        spare -= extra
    grow = next((at for at in widths if columns[at].grow), None)
    if grow is not None:
        widths[grow] += spare
    return sorted(widths.items())


CellsFor = Callable[[str], Sequence[Text]]
# What a row is drawn from, e.g. the item behind an id: a new object means the painted row is stale.
SourceFor = Callable[[str], object]

# Rows kept painted: several screens' worth, so a sort or a filter repaints from memory.
ROWS_KEPT = 2000
DIM = Style(dim=True)
# Drawn over a marked row's first pad, so the columns keep their places whether a row is marked or not.
MARK = "▌"


@dataclass
class RowMessage(Message):
    """A row of a VirtualTable: where the cursor stands, and the id there."""

    table: VirtualTable
    cursor_row: int
    row_key: str

    @property
    def control(self) -> VirtualTable:
        return self.table


class VirtualTable(ScrollView, can_focus=True):
    """Rows keyed by id, one line each, a header line that stays put, and a row cursor."""

    # Every table's keys: the arrows and the motions vim, less and k9s users type without thinking.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up,k", "cursor_up", "Cursor up", show=False),
        Binding("down,j", "cursor_down", "Cursor down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False),
        Binding("home,ctrl+home,g", "scroll_top", "First row", show=False),
        Binding("end,ctrl+end,G", "scroll_bottom", "Last row", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--even-row",
        "virtual-table--marked",
    }

    # Rows painted dim: what they show may be out of date (read from the cache, not yet synced).
    stale: reactive[bool] = reactive(False)

    class RowHighlighted(RowMessage):
        """The cursor moved onto a row (or the row under it changed)."""

    class RowSelected(RowMessage):
        """Enter pressed on a row, or a click on the row already highlighted."""

    def __init__(
        self,
        columns: Sequence[TableColumn],
        cells: CellsFor,
        *,
        source: SourceFor | None = None,
        marked: Callable[[str], bool] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns: tuple[TableColumn, ...] = tuple(columns)
        self.cells_for = cells
        self.source_for = source
        self.is_marked = marked
        self.row_keys: list[str] = []
        self.cursor_row = 0
        # Per id: the object the row was drawn from and the row as Rich paints it.
        self.painted_rows: OrderedDict[str, tuple[object, Strip]] = OrderedDict()
        # (index, width) of each column shown, fitted to `fitted_width` cells.
        self.fitted: list[tuple[int, int]] = []
        self.fitted_width = -1
        # The sorted column's key and whether largest first: its header shows an arrow.
        self.sort_mark: tuple[str, bool] | None = None
        # Shown in place of rows when there are none, e.g. what a filter matched nothing of.
        self.empty_text = ""

    @property
    def row_count(self) -> int:
        return len(self.row_keys)

    @property
    def highlighted_id(self) -> str | None:
        return self.row_keys[self.cursor_row] if self.row_keys else None

    def set_rows(self, ids: list[str]) -> None:
        """Show `ids` in this order (the list is taken, not copied). The cursor stays on its id while
        that is shown, else at its position, clamped."""
        wanted = self.highlighted_id
        self.row_keys = ids
        if self.source_for is None:
            # Nothing tells which rows changed: every row is drawn afresh.
            self.painted_rows.clear()
        if wanted is not None:
            with contextlib.suppress(ValueError):
                self.cursor_row = ids.index(wanted)
        self.cursor_row = self.clamp(self.cursor_row)
        # One line more than the rows, for the header, so the last row can scroll into view. No
        # width: the columns are fitted to the table's, so there is nothing to scroll sideways to.
        self.virtual_size = Size(0, len(ids) + 1)
        self.scroll_cursor_into_view()
        self.refresh()
        if self.highlighted_id != wanted:
            self.post_highlighted()

    def update_row(self, row_key: str) -> None:
        """Re-render one row on its next paint; repaints it now if it is on screen."""
        self.painted_rows.pop(row_key, None)
        top = int(self.scroll_y)
        for offset, shown in enumerate(self.row_keys[top : top + self.body_height()]):
            if shown == row_key:
                self.refresh_line(top + offset + 1)

    def refresh_rows(self) -> None:
        """Re-render every row, e.g. when what the cells show depends on time."""
        self.painted_rows.clear()
        self.refresh()

    def set_sort_mark(self, mark: tuple[str, bool] | None) -> None:
        if mark != self.sort_mark:
            self.sort_mark = mark
            self.refresh_line(0)

    def set_empty_text(self, text: str) -> None:
        if text != self.empty_text:
            self.empty_text = text
            self.refresh_line(1)

    def move_cursor(self, row: int) -> None:
        row = self.clamp(row)
        if not self.row_keys or row == self.cursor_row:
            return
        # The header takes virtual line 0.
        self.refresh_line(self.cursor_row + 1)
        self.cursor_row = row
        self.refresh_line(row + 1)
        self.scroll_cursor_into_view()
        self.post_highlighted()

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - max(1, self.body_height() - 1))

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + max(1, self.body_height() - 1))

    def action_half_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * max(1, self.body_height() // 2))

    def action_scroll_top(self) -> None:
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(len(self.row_keys) - 1)

    def action_select_cursor(self) -> None:
        if self.row_keys:
            self.post_message(self.RowSelected(self, self.cursor_row, self.row_keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = int(self.scroll_y) + offset.y - 1
        if not 0 <= row < len(self.row_keys):
            return
        event.stop()
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row)

    def clamp(self, row: int) -> int:
        return min(max(row, 0), max(len(self.row_keys) - 1, 0))

    def post_highlighted(self) -> None:
        if self.row_keys:
            self.post_message(self.RowHighlighted(self, self.cursor_row, self.row_keys[self.cursor_row]))

    def body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def scroll_cursor_into_view(self) -> None:
        top = int(self.scroll_y)
        height = self.body_height()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.painted_rows.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self.fitted_width:
            self.fitted_width, self.fitted = width, fit_columns(self.columns, width)
            self.painted_rows.clear()
        base = self.rich_style
        if y == 0:
            mark = self.sort_mark
            arrows = {} if mark is None else {mark[0]: SORT_ARROWS[mark[1]]}
            header = self.line([Text(column.label + arrows.get(column.key, "")) for column in self.columns])
            return header.crop_extend(0, width, None).apply_style(
                base + self.get_component_rich_style("virtual-table--header")
            )
        row = int(self.scroll_y) + y - 1
        if row >= len(self.row_keys):
            if row == 0 and self.empty_text:
                empty = Text(PAD + self.empty_text, style="italic", no_wrap=True, overflow="ellipsis")
                empty.truncate(width, overflow="ellipsis", pad=True)
                return Strip(empty.render(self.app.console), width).apply_style(base)
            return Strip.blank(width, base)
        row_style = base
        if row % 2 == 0:
            row_style += self.get_component_rich_style("virtual-table--even-row")
        row_key = self.row_keys[row]
        strip = self.painted_row(row_key)
        if self.is_marked is not None and self.is_marked(row_key):
            marked = self.get_component_rich_style("virtual-table--marked")
            gutter = Strip([Segment(MARK, Style(color=marked.color, bold=True))], 1)
            strip = Strip.join([gutter, strip.crop(1)])
            row_style += Style(bgcolor=marked.bgcolor)
        strip = strip.crop_extend(0, width, None).apply_style(row_style)
        over: Style | None = None
        if row == self.cursor_row:
            cursor = self.get_component_rich_style("virtual-table--cursor")
            # Only the background and weight: the cells' status colours stay readable on it.
            over = Style(bgcolor=cursor.bgcolor, bold=cursor.bold, reverse=cursor.reverse)
        if self.stale:
            over = DIM if over is None else over + DIM
        if over is not None:
            strip = Strip(Segment.apply_style(list(strip), post_style=over), strip.cell_length)
        return strip

    def painted_row(self, row_key: str) -> Strip:
        """The row as Rich paints it, from memory while the object it is drawn from is the same."""
        source = None if self.source_for is None else self.source_for(row_key)
        kept = self.painted_rows.get(row_key)
        if kept is not None and kept[0] is source:
            self.painted_rows.move_to_end(row_key)
            return kept[1]
        strip = self.line(self.cells_for(row_key))
        self.painted_rows[row_key] = (source, strip)
        if len(self.painted_rows) > ROWS_KEPT:
            self.painted_rows.popitem(last=False)
        return strip

    def line(self, cells: Sequence[Text]) -> Strip:
        """The cells of the columns shown, each cut to its width with an ellipsis, as one strip."""
        line = Text(no_wrap=True, end="")
        for at, width in self.fitted:
            value = cells[at] if at < len(cells) else Text()
            fitted = value.copy()
            fitted.truncate(width, overflow="ellipsis", pad=True)
            line.append(PAD)
            line.append_text(fitted)
            line.append(PAD)
        return Strip(line.render(self.app.console), line.cell_len)
