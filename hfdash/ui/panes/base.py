"""One table pane: rows keyed by item id, updated in place, with filter, sort and paging state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from hfdash.services.clock import Clock
from hfdash.services.kinds import Category, Item
from hfdash.services.store import PaneStore, StoreChange
from hfdash.services.view import SORTS, PaneView, ViewSpec
from hfdash.ui.format import NOUNS, PANE_LABELS, counted, plain
from hfdash.ui.panes.columns import COLUMNS, Column, row_cells
from hfdash.ui.widgets.virtual_table import VirtualTable

T = TypeVar("T", bound=Item)

# Seconds the items must rest before every sort's order is worked out ahead of a key asking for it.
PREPARE_DELAY = 0.5


class FilterBox(Input):
    """The `/` filter box: Textual's Input, with its editing keys applied in the order they came.

    Input inserts a typed character as its key arrives, but runs a bound key (backspace, ctrl+w,
    the arrows…) only once that key has bubbled up to the app. Keys that come in one burst (a fast
    typist, keys over a slow SSH link, which arrive in one packet) are then applied out of order:
    `zzz`, three backspaces and `recap` read "zzzre" (Textualize/textual#6605; the fix proposed
    upstream, #6631, runs the widget's own bindings as the key arrives, as this box does).
    """

    ACTIONS_BY_KEY: ClassVar[dict[str, str]] = {
        key.strip(): binding.action
        for binding in Input.BINDINGS
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    }

    async def on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:
            # Behind enter or escape in the same burst, sent here before the focus moved: Input
            # must not type it, and bubbling up it meets the bindings of the table now focused.
            event.prevent_default()
            return
        action = next((self.ACTIONS_BY_KEY[key] for key in event.aliases if key in self.ACTIONS_BY_KEY), None)
        if action is not None:
            # Handled here, so the app does not run the binding a second time when the key bubbles up.
            event.stop()
            event.prevent_default()
            await self.run_action(action)
        if event.key == "escape":
            self._leave()

    async def action_submit(self) -> None:
        await super().action_submit()
        self._leave()

    def _leave(self) -> None:
        # Now, not when the screen hears of it: the next keys of the same burst are already on
        # their way, and must meet the table's bindings. The table follows the box in the focus chain.
        self.screen.focus_next()


class ResourcePane(Vertical, Generic[T]):
    """A table of one resource kind, with its filter box and info line; the screen feeds it store changes."""

    def __init__(self, kind: str, store: PaneStore[T], clock: Clock) -> None:
        super().__init__(id=f"pane-{kind}", classes="resource-pane")
        self.kind = kind
        self.label = PANE_LABELS[kind]
        self.columns: tuple[Column[T], ...] = COLUMNS[kind]
        self.store = store
        self.clock = clock
        self.spec = ViewSpec()
        self.visible_ids: list[str] = []
        self.loading = False
        self.error: str | None = None
        self.all_loading = False
        # `escape` asked `M` to stop: it ends once the page on its way is applied.
        self.all_stopping = False
        # While every page loads: how many pages and items have arrived, and items a second.
        self.progress: tuple[int, int, float] | None = None
        # Shown from the local cache and not yet confirmed by the API.
        self.stale = False
        self.view = PaneView()
        # Ids of the items marked, whatever the view shows; a deleted item's mark goes with it.
        self.marks: set[str] = set()
        # While marked items are deleted: how many are done, of how many.
        self.deleting: tuple[int, int] | None = None
        # What the info line shows now, and whether as an error.
        self._info: tuple[str, bool] | None = None
        self._prepare_timer: Timer | None = None
        # Its widgets are built and can show rows.
        self._built = False

    def compose(self) -> ComposeResult:
        yield FilterBox(
            placeholder="/ id, title or failure message · enter keeps · esc clears · ctrl+w erases a word",
            select_on_focus=False,
            compact=True,
            classes="pane-filter",
        )
        columns = [column.table_column() for column in self.columns]
        yield VirtualTable(
            columns, self._cells, source=lambda key: self.store.items.get(key), marked=self.marks.__contains__
        )
        yield Static(classes="pane-info")

    def on_mount(self) -> None:
        if not self.children:
            # Mounted as the app quits (a hidden pane joins after the first rows): Textual mounts
            # nothing into a closing widget.
            return
        # From here on its widgets take rows (is_mounted turns true only once this returns). A
        # pane mounted after the dashboard's first rows may hold its store's rows already.
        self._built = True
        # Watched rather than told by Input.Changed: the rows a keystroke selects then go out in
        # the frame that shows the keystroke, not in one after it (about 25 ms a key, measured).
        self.watch(self.filter_input, "value", self._filter_typed, init=False)
        self.table.stale = self.stale
        self.render_rows()

    def set_loading(self, loading: bool) -> None:
        # Rows on screen stay on screen while more load: the info line says "loading more…".
        # Covering them on every page would hide them for the whole of `M`.
        if loading and self.store.items:
            return
        super().set_loading(loading)

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def call_after_paint(self, callback: Callable[[], object]) -> None:
        """Runs `callback` after the next refresh, which paints the rows last shown."""
        if not self.is_running or not self.call_after_refresh(callback):
            callback()

    @property
    def filter_input(self) -> FilterBox:
        return self.query_one(FilterBox)

    def highlighted_id(self) -> str | None:
        return self.table.highlighted_id if self._built else None

    def highlighted(self) -> T | None:
        wanted = self.highlighted_id()
        return None if wanted is None else self.store.items.get(wanted)

    def failures(self) -> int:
        return self._view().counts[Category.FAILED]

    def in_flight(self) -> int:
        counts = self._view().counts
        return counts[Category.IN_FLIGHT] + counts[Category.WAITING]

    def marked(self) -> list[T]:
        """The marked items, newest first."""
        items, marks = self.store.items, self.marks
        # No walk over every item for the keys that find no marks, which is most presses.
        return [items[key] for key in self.store.order if key in marks] if marks else []

    def toggle_mark(self) -> None:
        """Marks or unmarks the row under the cursor, then moves down, as k9s does."""
        key = self.highlighted_id()
        if key is None:
            return
        self.marks ^= {key}
        self.table.update_row(key)
        self.table.action_cursor_down()
        self.update_info()

    def mark_shown(self) -> None:
        """Marks every row shown; unmarks them when all are marked already."""
        shown, marks = self.visible_ids, self.marks
        # Each set operation walks every row shown: at a hundred thousand, no more of them than needed.
        if len(marks) < len(shown) or not marks.issuperset(shown):
            marks.update(shown)
        elif len(marks) == len(shown):
            marks.clear()
        else:
            marks.difference_update(shown)
        self.table.refresh()
        self.update_info()

    def clear_marks(self) -> None:
        self.marks.clear()
        if self._built:
            self.table.refresh()
        self.update_info()

    def _view(self) -> PaneView:
        # The store may have been filled without a change passing through this pane.
        self.view.sync(self.store.items)
        return self.view

    def _cells(self, row_key: str) -> Sequence[Text]:
        item = self.store.items.get(row_key)
        return () if item is None else row_cells(self.columns, item, self.clock.now())

    def _filter_typed(self, value: str) -> None:
        text = plain(value)
        if text != value:
            # Pasted escapes or control characters: the box shows, and searches, the text alone.
            self.filter_input.value = text
            return
        self.set_view(replace(self.spec, text=text))

    def set_view(self, spec: ViewSpec) -> None:
        sorted_anew = spec.sort != self.spec.sort
        self.spec = spec
        self.render_rows()
        if sorted_anew:
            self.prepare_soon()

    def set_stale(self, stale: bool) -> None:
        self.stale = stale
        if self._built:
            self.table.stale = stale
        self.update_info()

    def note(self, change: StoreChange) -> None:
        """Takes in a store change without showing it yet: what filters and sorts read stays current."""
        if change:
            self.view.apply(self.store.items, change.touched())
        if self.marks and change.removed:
            self.marks.difference_update(change.removed)

    def show(self, change: StoreChange) -> None:
        """Shows a change already noted: rows repainted in place where their set and order stay."""
        if not change:
            self.update_info()
            return
        self.prepare_soon()
        if change.added or change.removed or not self.spec.is_default:
            self.render_rows()
            return
        for changed in change.updated if self._built else ():
            self.table.update_row(changed)
        self.update_info()

    def prepare_soon(self) -> None:
        """Sorts the items ahead of time once they rest, so a sort key or a keystroke only reads."""
        if self._prepare_timer is not None:
            self._prepare_timer.stop()
        # Items do not rest while every page loads; the end of it shows the rows again.
        if self._built and not self.all_loading:
            self._prepare_timer = self.set_timer(PREPARE_DELAY, self._prepare_next)

    def _prepare_next(self) -> None:
        self._prepare_timer = None
        view, order = self._view(), self.store.order
        for sort in SORTS:
            if view.prepare(order, sort):
                # One step at a time, so a key pressed meanwhile waits for one step at most.
                self.call_later(self._prepare_next)
                return

    def render_rows(self) -> None:
        """Show the store's items through the view, keeping the cursor on the same item."""
        if not self._built:
            return
        # The store keeps newest first, which is the default view: no need to look at the items.
        order, spec = self.store.order, self.spec
        self.visible_ids = ids = list(order) if spec.is_default else self._view().ids(order, spec)
        table = self.table
        table.set_rows(ids)
        sorted_by = next((column.key for column in self.columns if column.sort == self.spec.sort), None)
        table.set_sort_mark(None if sorted_by is None else (sorted_by, self.spec.descending))
        self.update_info()

    def empty_text(self) -> str:
        noun = NOUNS[self.kind][1]
        spec = self.spec
        status = "" if spec.status_filter == "all" else f"{spec.status_filter} "
        if spec.text:
            return f"no {status}{noun} match '{spec.text}' · esc clears"
        if status:
            return f"no {status}{noun} · f cycles the filter"
        if self.loading or not self.store.loaded:
            return ""
        # Every loaded item was deleted: older pages may still hold some.
        return f"no {noun} loaded · m loads more" if self.store.has_more else f"no {noun} yet"

    def update_info(self) -> None:
        if not self._built:
            return
        loaded = len(self.store)
        if self.all_loading:
            # One short line at 80 columns: what `M` has done, and what escape does now.
            if self.all_stopping:
                text = f"{loaded} loaded · stopping after this page (escape again: now)"
            elif self.progress is None:
                text = f"{loaded} loaded · loading every page (escape stops)"
            else:
                pages, items, rate = self.progress
                done = f"{counted(pages, 'page')}, {items:,} items, {rate:,.0f}/s"
                text = f"{loaded} loaded · loading every page: {done} (escape stops)"
        elif self.stale:
            text = f"{loaded} cached · syncing…"
        elif not self.store.loaded:
            # No count to give yet: the first page, or the cached rows, are on their way, or failed.
            text = "loading…" if self.loading or self.error is None else "nothing loaded"
        else:
            text = f"{loaded} loaded · more available (m)" if self.store.has_more else f"all {loaded} loaded"
        if self.loading and self.store.loaded and not self.all_loading:
            text += " · loading more…"
        spec = self.spec
        if not spec.is_default:
            text += f" · showing {len(self.visible_ids)}"
            if spec.status_filter != "all":
                text += f" · filter: {spec.status_filter}"
            if spec.text:
                text += " · text filter"
            if spec.sort != "created" or spec.reverse:
                text += f" · sort: {spec.sort} {'▼' if spec.descending else '▲'}"
            if spec.group:
                text += f" · failure: {plain(spec.group)}"
        if self.marks:
            text += f" · {len(self.marks)} marked"
        if self.deleting is not None:
            text += " · deleting {}/{} (escape stops)".format(*self.deleting)
        if self.error is not None:
            text = f"{text} · {self.error}"
        self.table.set_empty_text("" if self.visible_ids else self.empty_text())
        if (text, self.error is not None) == self._info:
            return
        self._info = (text, self.error is not None)
        info = self.query_one(".pane-info", Static)
        info.set_class(self.error is not None, "-error")
        # One line whatever it says, so no layout: a layout repaints the whole screen.
        info.update(Text(text), layout=False)
