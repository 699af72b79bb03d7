"""What the Detail, Downloads and Failures screens share: one table fitted to its width, `?` and back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from hfdash.ui.widgets.footer import Footer
from hfdash.ui.widgets.virtual_table import MOTIONS, TableColumn, fit_columns

ResultT = TypeVar("ResultT")


class MotionTable(DataTable[object]):
    """Textual's DataTable with the motions every hfdash table answers to: vim's and less's too."""

    BINDINGS: ClassVar[list[BindingType]] = MOTIONS

    def action_half_page(self, step: int) -> None:
        # The header row is part of the region but never a row the cursor stands on.
        half = max(1, (self.scrollable_content_region.height - 1) // 2)
        self.move_cursor(row=min(max(self.cursor_row + step * half, 0), self.row_count - 1), animate=False)


class TableScreen(Screen[ResultT]):
    # Each lists `?` and `q` first in its BINDINGS: the footer shows keys in that order and cuts
    # the line at the right end.
    # Its help is titled "<Name> keys"; its title line and table are #<name>-title and #<name>-table.
    NAME = ""
    table_columns: Sequence[TableColumn] = ()

    def __init__(self) -> None:
        super().__init__()
        # (index, width) of the columns shown: the table is fitted to its width, not scrolled.
        self.fitted: list[tuple[int, int]] = []
        # The rows last shown, each a key and a cell per column.
        self.rows: Sequence[tuple[str, Sequence[Text]]] = ()
        self.row_keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id=f"{self.NAME}-title")
        yield MotionTable(cursor_type="row", id=f"{self.NAME}-table")
        yield Footer()

    def on_mount(self) -> None:
        # The table takes the keys, not the text above it.
        for table in self.query(DataTable):
            table.focus()

    def fill(self) -> None:
        """Shows every row again, in the columns fitted."""
        self.show_rows(self.rows)

    def on_resize(self) -> None:
        # After the layout that gives the table its new width.
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        columns = self.table_columns
        if not columns:
            return
        table = self.query_one(DataTable)
        width = table.scrollable_content_region.width
        fitted = fit_columns(columns, width)
        if not width or fitted == self.fitted:
            return
        self.fitted = fitted
        table.clear(columns=True)
        for at, fitted_width in fitted:
            table.add_column(columns[at].label, key=columns[at].key, width=fitted_width)
        self.fill()

    def show_rows(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        """Replaces the rows, each a key and a cell per column; the cursor stays on its row's key."""
        keep = self.cursor_key()
        self.rows, self.row_keys = rows, [key for key, _cells in rows]
        if not self.fitted:
            return
        table = self.query_one(DataTable)
        table.clear()
        for key, cells in rows:
            table.add_row(*(cells[at] for at, _width in self.fitted), key=key)
        if keep in self.row_keys:
            table.move_cursor(row=self.row_keys.index(keep), animate=False)

    def cursor_key(self) -> str | None:
        if not self.row_keys:
            return None
        row = self.query_one(DataTable).cursor_row
        return None if row < 0 else self.row_keys[min(row, len(self.row_keys) - 1)]

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        from hfdash.ui.modals import HelpScreen

        self.app.push_screen(HelpScreen(f"{self.NAME.capitalize()} keys", self.BINDINGS))
