"""One table pane: rows keyed by item id, updated in place, with filter, sort and paging state."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowDoesNotExist

from hfdash.services.clock import Clock
from hfdash.services.kinds import Category, Item, category, item_id
from hfdash.services.store import PaneStore, StoreChange
from hfdash.services.view import ViewSpec, apply_view
from hfdash.ui.panes.columns import Column, row_cells

T = TypeVar("T", bound=Item)


class ResourcePane(Vertical, Generic[T]):
    """A table of one resource kind. The screen feeds it store changes; it posts requests up."""

    class NearEnd(Message):
        """The cursor reached the last loaded row: the screen may load the next page."""

        def __init__(self, pane: ResourcePane[Item]) -> None:
            super().__init__()
            self.pane = pane

        @property
        def control(self) -> ResourcePane[Item]:
            return self.pane

    def __init__(
        self,
        kind: str,
        label: str,
        columns: tuple[Column[T], ...],
        store: PaneStore[T],
        clock: Clock,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="resource-pane")
        self.kind = kind
        self.label = label
        self.columns = columns
        self.store = store
        self.clock = clock
        self.spec = ViewSpec()
        self.visible_ids: list[str] = []
        self.loading = False
        self.error: str | None = None
        self.all_loading = False

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: id, title or failure message  (enter keeps, escape clears)")
        table: DataTable[object] = DataTable(cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(classes="pane-info")

    def on_mount(self) -> None:
        table = self.table
        for column in self.columns:
            table.add_column(column.label, key=column.key, width=column.width)
        self.query_one(Input).display = False
        self.render_rows()

    @property
    def table(self) -> DataTable[object]:
        return self.query_one(DataTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one(Input)

    def highlighted_id(self) -> str | None:
        table = self.table
        if not self.visible_ids or table.row_count == 0:
            return None
        row = min(max(table.cursor_row, 0), len(self.visible_ids) - 1)
        return self.visible_ids[row]

    def highlighted(self) -> T | None:
        wanted = self.highlighted_id()
        return None if wanted is None else self.store.items.get(wanted)

    def failures(self) -> int:
        return sum(1 for item in self.store.items.values() if category(item) is Category.FAILED)

    def in_flight(self) -> int:
        return sum(
            1
            for item in self.store.items.values()
            if category(item) in (Category.IN_FLIGHT, Category.WAITING)
        )

    def set_view(self, spec: ViewSpec) -> None:
        self.spec = spec
        self.render_rows()

    def apply(self, change: StoreChange) -> None:
        """Show a store change: cells updated in place when the rows' set and order cannot change."""
        if not change:
            self.update_info()
            return
        if change.added or change.removed or not self.spec.is_default:
            self.render_rows()
            return
        table = self.table
        now = self.clock.now()
        for changed in change.updated:
            item = self.store.items.get(changed)
            if item is None:
                continue
            try:
                for column, value in zip(self.columns, row_cells(self.columns, item, now), strict=True):
                    table.update_cell(changed, column.key, value)
            except RowDoesNotExist:
                self.render_rows()
                return
        self.update_info()

    def render_rows(self) -> None:
        """Rebuild the rows from the store, keeping the cursor on the same item."""
        if not self.is_mounted:
            return
        table = self.table
        keep = self.highlighted_id()
        old_row = table.cursor_row
        items = apply_view(self.store.ordered(), self.spec)
        self.visible_ids = [item_id(item) for item in items]
        now = self.clock.now()
        table.clear()
        for item in items:
            table.add_row(*row_cells(self.columns, item, now), key=item_id(item))
        if keep is not None and keep in self.visible_ids:
            table.move_cursor(row=self.visible_ids.index(keep), animate=False)
        elif self.visible_ids:
            table.move_cursor(row=min(max(old_row, 0), len(self.visible_ids) - 1), animate=False)
        self.update_info()

    def update_info(self) -> None:
        if not self.is_mounted:
            return
        loaded = len(self.store)
        if not self.store.loaded and self.loading:
            text = "loading…"
        elif self.store.has_more:
            text = f"{loaded} loaded · more available (m)"
        else:
            text = f"all {loaded} loaded"
        if self.loading and self.store.loaded:
            text += " · loading more…"
        if self.all_loading:
            text += " · loading every page (escape stops)"
        shown = len(self.visible_ids)
        if not self.spec.is_default:
            text += f" · showing {shown}"
            if self.spec.status_filter != "all":
                text += f" · filter: {self.spec.status_filter}"
            if self.spec.text:
                text += " · text filter"
            if self.spec.sort != "created":
                text += f" · sort: {self.spec.sort}"
        info = self.query_one(".pane-info", Static)
        info.update(text)
        info.set_class(self.error is not None, "-error")
        if self.error is not None:
            info.update(f"{text} · {self.error}")

    @on(DataTable.RowHighlighted)
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.table.row_count - 1 and self.store.has_more and self.spec.is_default:
            self.post_message(self.NearEnd(self))  # type: ignore[arg-type]
