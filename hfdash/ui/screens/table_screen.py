"""What the Detail, Downloads and Failures screens share: one table fitted to its width, `?` and back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from hfdash.ui.widgets.footer import Footer
from hfdash.ui.widgets.virtual_table import TableColumn, VirtualTable

ResultT = TypeVar("ResultT")


class TableScreen(Screen[ResultT]):
    # Each lists `?` and `q` first in its BINDINGS: the footer shows keys in that order and cuts
    # the line at the right end.
    # Its help is titled "<Name> keys"; its title line and table are #<name>-title and #<name>-table.
    NAME = ""
    table_columns: Sequence[TableColumn] = ()

    def __init__(self) -> None:
        super().__init__()
        # The cells of each row shown, by key, in the order shown.
        self.cells: dict[str, Sequence[Text]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id=f"{self.NAME}-title")
        yield self.new_table(f"{self.NAME}-table")
        yield Footer()

    def new_table(self, table_id: str) -> VirtualTable:
        return VirtualTable(self.table_columns, self.cells_for, id=table_id)

    def on_mount(self) -> None:
        # The table takes the keys, not the text above it.
        for table in self.query(VirtualTable):
            table.focus()

    def cells_for(self, key: str) -> Sequence[Text]:
        return self.cells[key]

    def show_rows(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        """Replaces the rows, each a key and a cell per column; the cursor stays on its row's key."""
        self.cells = dict(rows)
        self.query_one(VirtualTable).set_rows(list(self.cells))

    def cursor_key(self) -> str | None:
        tables = self.query(VirtualTable)
        return tables.first().highlighted_id if tables else None

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        from hfdash.ui.modals import HelpScreen

        self.app.push_screen(HelpScreen(f"{self.NAME.capitalize()} keys", self.BINDINGS))
