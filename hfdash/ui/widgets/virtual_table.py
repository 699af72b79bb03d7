"""A table that paints only the rows on screen, so its cost does not grow with the number of rows.

Rows are a list of ids plus a function that turns an id into cells; a row becomes
text only when it is painted, and stays cached until `update_row` says it changed or
the object it is drawn from (`source`) is replaced, so re-ordering rows (a sort, a
filter) repaints them from the cache. Stock DataTable builds objects for every row it holds, which at
a hundred thousand rows costs seconds per rebuild.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
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

CellsFor = Callable[[str], Sequence[Text]]
# What a row is drawn from, e.g. the item behind an id: a new object means the cached row is stale.
SourceFor = Callable[[str], object]

# One space either side of every cell, as DataTable pads.
_PAD = 1
# Rows kept rendered: several screens' worth, so scrolling back and forth never re-renders.
_ROW_CACHE_SIZE = 2000
# Paintings kept per row: both stripes, at the current width and one before.
_PAINTED_PER_ROW = 4


_DIM = Style(dim=True)
_PAD_TEXT = " " * _PAD


@dataclass(frozen=True, slots=True)
class _PaintStyles:
    """The styles every line is painted with, as they stand since the last change of style."""

    base: Style
    header: Style
    even: Style
    cursor: Style


@dataclass(frozen=True, slots=True)
class TableColumn:
    """A column as the table draws it."""

    key: str
    label: str
    width: int


def _no_cells(_row_key: str) -> Sequence[Text]:
    return ()


class VirtualTable(ScrollView, can_focus=True):
    """Rows keyed by id, one line each, a header line that stays put, and a row cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "cursor_first", "First row", show=False),
        Binding("end,ctrl+end", "cursor_last", "Last row", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--even-row",
        "virtual-table--odd-row",
    }

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        /* Always there: a scrollbar coming or going lays out the whole screen again, which
           cost a filter keystroke 15 to 30 ms whenever its rows crossed a screen's height. */
        overflow-y: scroll;
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .virtual-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        &:dark > .virtual-table--even-row {
            background: $surface-darken-1 40%;
        }
    }
    """

    # Rows painted dim: what they show may be out of date (read from the cache, not yet synced).
    stale: reactive[bool] = reactive(False)

    class RowHighlighted(Message):
        """The cursor moved onto a row (or the row under it changed)."""

        def __init__(self, table: VirtualTable, cursor_row: int, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowSelected(Message):
        """Enter pressed on a row, or a click on the row already highlighted."""

        def __init__(self, table: VirtualTable, cursor_row: int, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[TableColumn] = (),
        cells: CellsFor = _no_cells,
        *,
        source: SourceFor | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._columns: tuple[TableColumn, ...] = tuple(columns)
        self._cells = cells
        self._source = source
        self._ids: list[str] = []
        self._cursor = 0
        # Per id: the object the row was drawn from, its cells, and the row as painted per
        # stripe (even or not) and width.
        self._row_cache: OrderedDict[str, tuple[object, Sequence[Text], dict[tuple[bool, int], Strip]]] = (
            OrderedDict()
        )
        # A cell's style over a row's: worked out once per pair rather than per cell painted.
        self._combined_styles: dict[tuple[Style, Style], Style] = {}
        self._header: Strip | None = None
        self._styles: _PaintStyles | None = None
        self._parsed_styles: dict[str, Style] = {}
        # Which set of rows was last given, and which was last painted; what waits for them.
        self._rows_given = 0
        self._rows_painted = 0
        self._after_paint: list[Callable[[], object]] = []
        self._resize_virtual()

    # -- data ------------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[TableColumn, ...]:
        return self._columns

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        self._columns = tuple(columns)
        self._header = None
        self._row_cache.clear()
        self._resize_virtual()
        self.refresh()

    def set_cells(self, cells: CellsFor) -> None:
        self._cells = cells
        self._row_cache.clear()
        self.refresh()

    @property
    def row_keys(self) -> list[str]:
        """The ids in display order; the table owns this list, so callers must not change it."""
        return self._ids

    @property
    def row_count(self) -> int:
        return len(self._ids)

    def set_rows(self, ids: list[str], *, keep: str | None = None) -> None:
        """Show `ids` in this order (the list is taken, not copied), keeping the cursor on `keep`.

        Without `keep` the cursor stays on the id it was on if that id is still shown,
        else at the same position clamped to the new length.
        """
        wanted = keep if keep is not None else self.highlighted_id
        old_cursor = self._cursor
        self._ids = ids
        self._rows_given += 1
        if self._source is None:
            # Nothing tells which rows changed: every row is drawn afresh.
            self._row_cache.clear()
        self._resize_virtual()
        row = self._find(wanted) if wanted is not None else None
        if row is None:
            row = old_cursor
        self._cursor = self._clamp(row)
        self._scroll_cursor_into_view()
        self.refresh()
        if self.highlighted_id != wanted and self._ids:
            self._post_highlighted()

    def clear(self) -> None:
        self.set_rows([])

    def call_after_paint(self, callback: Callable[[], object]) -> None:
        """Runs `callback` once the rows given last are on the terminal, in the order asked.

        Textual's call_after_refresh can run before that frame: it runs when the screen is idle,
        and a table whose rows just changed has not yet told the screen it needs repainting. A
        table that is not displayed paints nothing, so its callbacks run after the next refresh.
        """
        if self._rows_painted == self._rows_given or not self._displayed():
            if not self.is_running or not self.call_after_refresh(callback):
                callback()
        else:
            self._after_paint.append(callback)

    async def rows_painted(self, within: float) -> None:
        """Returns once the rows given last are on the terminal, or after `within` seconds."""
        painted = asyncio.Event()
        self.call_after_paint(painted.set)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(painted.wait(), within)

    def _displayed(self) -> bool:
        return self.is_mounted and all(node.display for node in self.ancestors_with_self)

    def _painting(self) -> None:
        # The frame being rendered is written to the terminal before the loop runs anything else.
        self._rows_painted = self._rows_given
        if not self._after_paint:
            return
        waiting, self._after_paint = self._after_paint, []
        loop = asyncio.get_running_loop()
        for callback in waiting:
            loop.call_soon(callback)

    def on_unmount(self) -> None:
        # Never painted now: what waited for it (cache writes among them) still runs.
        waiting, self._after_paint = self._after_paint, []
        for callback in waiting:
            callback()

    def update_row(self, row_key: str) -> None:
        """Re-render one row on its next paint; repaints it now if it is on screen."""
        self._row_cache.pop(row_key, None)
        top = int(self.scroll_y)
        for offset, shown in enumerate(self._ids[top : top + self._body_height()]):
            if shown == row_key:
                # refresh_line takes virtual lines; the header takes virtual line 0.
                self.refresh_line(top + offset + 1)

    def refresh_rows(self) -> None:
        """Re-render every row, e.g. when what the cells show depends on time."""
        self._row_cache.clear()
        self.refresh()

    def get_cell(self, row_key: str, column_key: str) -> Text:
        if self._find(row_key) is None:
            raise KeyError(row_key)
        for column, value in zip(self._columns, self._cells(row_key), strict=False):
            if column.key == column_key:
                return value
        raise KeyError(column_key)

    # -- cursor ----------------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @cursor_row.setter
    def cursor_row(self, row: int) -> None:
        self.move_cursor(row)

    @property
    def highlighted_id(self) -> str | None:
        return self._ids[self._cursor] if self._ids else None

    def move_cursor(self, row: int, *, animate: bool = False) -> None:
        if not self._ids:
            return
        row = self._clamp(row)
        if row == self._cursor:
            return
        self._refresh_row_line(self._cursor)
        self._cursor = row
        self._refresh_row_line(row)
        self._scroll_cursor_into_view(animate=animate)
        self._post_highlighted()

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - max(1, self._body_height() - 1))

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + max(1, self._body_height() - 1))

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(len(self._ids) - 1)

    def action_select_cursor(self) -> None:
        if self._ids:
            self.post_message(self.RowSelected(self, self._cursor, self._ids[self._cursor]))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = int(self.scroll_y) + offset.y - 1
        if not 0 <= row < len(self._ids):
            return
        event.stop()
        if row == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(row)

    def _clamp(self, row: int) -> int:
        return min(max(row, 0), max(len(self._ids) - 1, 0))

    def _find(self, row_key: str) -> int | None:
        # Near the cursor first: the id kept across a change is usually where it was.
        ids = self._ids
        start = max(self._cursor - 64, 0)
        window = ids[start : self._cursor + 64]
        if row_key in window:
            return start + window.index(row_key)
        try:
            return ids.index(row_key)
        except ValueError:
            return None

    def _post_highlighted(self) -> None:
        if self._ids:
            self.post_message(self.RowHighlighted(self, self._cursor, self._ids[self._cursor]))

    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_cursor_into_view(self, *, animate: bool = False) -> None:
        top = int(self.scroll_y)
        height = self._body_height()
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=animate, immediate=not animate)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=animate, immediate=not animate)

    def _refresh_row_line(self, row: int) -> None:
        top = int(self.scroll_y)
        if top <= row < top + self._body_height():
            self.refresh_line(row + 1)

    def _resize_virtual(self) -> None:
        width = sum(column.width + 2 * _PAD for column in self._columns)
        # One line more than the rows, for the header, so the last row can scroll into view.
        size = Size(width, len(self._ids) + 1)
        if size == self.virtual_size:
            return
        if not self.is_mounted:
            self.virtual_size = size
            return
        # Setting virtual_size asks for a layout of the whole screen, which repaints every widget:
        # at a filter keystroke's pace, most of its cost. Only the scrollbars need to know, and
        # they ask for a layout themselves when they appear or disappear.
        self.set_reactive(VirtualTable.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def on_resize(self) -> None:
        self._scroll_cursor_into_view()

    def watch_stale(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._header = None
        self._row_cache.clear()
        self._combined_styles.clear()
        self._styles = None

    # -- painting --------------------------------------------------------------------------------

    def _paint_styles(self) -> _PaintStyles:
        # Worked out once per change of style rather than per line: reading a widget's style walks
        # its ancestors' backgrounds, which cost most of the time a full repaint of the rows took.
        styles = self._styles
        if styles is None:
            base = self.rich_style
            cursor = self.get_component_rich_style("virtual-table--cursor")
            styles = self._styles = _PaintStyles(
                base=base,
                header=base + self.get_component_rich_style("virtual-table--header"),
                even=base + self.get_component_rich_style("virtual-table--even-row"),
                # Only the background and weight: the cells' status colours stay readable on it.
                cursor=Style(bgcolor=cursor.bgcolor, bold=cursor.bold, reverse=cursor.reverse),
            )
        return styles

    def render_line(self, y: int) -> Strip:
        if self._rows_painted != self._rows_given:
            self._painting()
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_x)
        styles = self._paint_styles()
        if y == 0:
            header = self._header_strip()
            return header.crop_extend(scroll_x, scroll_x + width, None).apply_style(styles.header)
        row = int(self.scroll_y) + y - 1
        if row >= len(self._ids):
            return Strip.blank(width, styles.base)
        even = row % 2 == 0
        row_style = styles.even if even else styles.base
        if scroll_x == 0:
            strip = self._row_strip(self._ids[row], even, row_style, width)
        else:
            cells, _painted = self._cached_row(self._ids[row])
            strip = self._line(cells).crop_extend(scroll_x, scroll_x + width, None).apply_style(row_style)
        post: Style | None = styles.cursor if row == self._cursor else None
        if self.stale:
            post = _DIM if post is None else post + _DIM
        if post is not None:
            strip = Strip(Segment.apply_style(list(strip), post_style=post), strip.cell_length)
        return strip

    def _header_strip(self) -> Strip:
        if self._header is None:
            self._header = self._line([Text(column.label) for column in self._columns])
        return self._header

    def _cached_row(self, row_key: str) -> tuple[Sequence[Text], dict[tuple[bool, int], Strip]]:
        """The row's cells and its paintings so far, formatted afresh if its source was replaced."""
        source = None if self._source is None else self._source(row_key)
        cached = self._row_cache.get(row_key)
        if cached is None or cached[0] is not source:
            cached = (source, self._cells(row_key), {})
            self._row_cache[row_key] = cached
            if len(self._row_cache) > _ROW_CACHE_SIZE:
                self._row_cache.popitem(last=False)
        else:
            self._row_cache.move_to_end(row_key)
        return cached[1], cached[2]

    def _row_strip(self, row_key: str, even: bool, row_style: Style, width: int) -> Strip:
        """The row as painted unscrolled at `width` cells, from the cache when it still holds."""
        cells, painted = self._cached_row(row_key)
        strip = painted.get((even, width))
        if strip is None:
            if len(painted) >= _PAINTED_PER_ROW:
                painted.clear()
            strip = painted[even, width] = self._line(cells, row_style, width)
        return strip

    def _line(self, cells: Sequence[Text], row_style: Style | None = None, width: int | None = None) -> Strip:
        """The cells fitted to their columns, over `row_style`, cut or padded to `width` cells (by
        default the columns' own width).

        Cells of one style (all of the dashboard's) become segments directly, in one pass: going
        through a Rich Text, then cropping and restyling the line, cost most of the time a row took
        to paint, and a filter keystroke paints a screenful of rows not painted before.
        """
        if any(value.spans for value in cells):
            strip = self._rich_line(cells)
            if width is not None:
                strip = strip.crop_extend(0, width, None)
            return strip if row_style is None else strip.apply_style(row_style)
        if width is None:
            width = sum(column.width + 2 * _PAD for column in self._columns[: len(cells)])
        return self._styled_line(cells, row_style or Style.null(), width)

    def _styled_line(self, cells: Sequence[Text], row_style: Style, width: int) -> Strip:
        """Cells of one style each, painted over `row_style` and cut or padded to `width` cells:
        what `_line(cells).crop_extend(0, width).apply_style(row_style)` paints."""
        segments: list[Segment] = []
        room = width
        combined = self._combined_styles
        for column, value in zip(self._columns, cells, strict=False):
            cell_style = self._style(value.style)
            style = combined.get((row_style, cell_style))
            if style is None:
                style = combined[row_style, cell_style] = row_style + cell_style
            for text, length, painted in (
                (_PAD_TEXT, _PAD, row_style),
                (_fit(value.plain, column.width), column.width, style),
                (_PAD_TEXT, _PAD, row_style),
            ):
                if length >= room:
                    segments.append(Segment(set_cell_size(text, room), painted))
                    return Strip(Segment.simplify(segments), width)
                segments.append(Segment(text, painted))
                room -= length
        segments.append(Segment(" " * room, row_style))
        return Strip(Segment.simplify(segments), width)

    def _style(self, style: str | Style) -> Style:
        if isinstance(style, Style):
            return style
        parsed = self._parsed_styles.get(style)
        if parsed is None:
            parsed = self._parsed_styles[style] = self.app.console.get_style(style, default=Style.null())
        return parsed

    def _rich_line(self, cells: Sequence[Text]) -> Strip:
        line = Text(no_wrap=True, end="")
        pad = " " * _PAD
        for column, value in zip(self._columns, cells, strict=False):
            fitted = value.copy()
            fitted.truncate(column.width, overflow="ellipsis", pad=True)
            line.append(pad)
            line.append_text(fitted)
            line.append(pad)
        segments = [segment for segment in line.render(self.app.console) if segment.text != "\n"]
        return Strip(segments, line.cell_len)


def _fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis, as Rich's Text.truncate does."""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(text, width - 1) + "…"
