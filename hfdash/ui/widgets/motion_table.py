"""Textual's DataTable with the motions every hfdash table answers to, as the dashboard's table does."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class MotionTable(DataTable[object]):
    """The arrows, page keys, home and end stay DataTable's own; these add vim's and less's."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cursor_up", "Cursor up", show=False),
        Binding("j", "cursor_down", "Cursor down", show=False),
        Binding("ctrl+b", "page_up", "Page up", show=False),
        Binding("ctrl+f", "page_down", "Page down", show=False),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False),
        Binding("g", "scroll_top", "First row", show=False),
        Binding("G", "scroll_bottom", "Last row", show=False),
    ]

    def _half_page(self) -> int:
        # The header row is part of the region but never a row the cursor stands on.
        return max(1, (self.scrollable_content_region.height - 1) // 2)

    def action_half_page_up(self) -> None:
        self.move_cursor(row=max(self.cursor_row - self._half_page(), 0), animate=False)

    def action_half_page_down(self) -> None:
        self.move_cursor(row=min(self.cursor_row + self._half_page(), self.row_count - 1), animate=False)
