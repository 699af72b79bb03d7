"""Textual's DataTable with the motions every hfdash table answers to, as the dashboard's table does."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import DataTable

from hfdash.ui.widgets.virtual_table import MOTIONS


class MotionTable(DataTable[object]):
    """DataTable's own keys, and vim's and less's."""

    BINDINGS: ClassVar[list[BindingType]] = MOTIONS

    def _half_page(self) -> int:
        # The header row is part of the region but never a row the cursor stands on.
        return max(1, (self.scrollable_content_region.height - 1) // 2)

    def action_half_page_up(self) -> None:
        self.move_cursor(row=max(self.cursor_row - self._half_page(), 0), animate=False)

    def action_half_page_down(self) -> None:
        self.move_cursor(row=min(self.cursor_row + self._half_page(), self.row_count - 1), animate=False)
