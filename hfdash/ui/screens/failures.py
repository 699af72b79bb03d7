"""`F`: every failed item loaded, grouped by kind, code and template; `enter` shows a group in its pane."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import Static

from hfdash.services.clock import Clock
from hfdash.services.failures import FailureGroup, group_failures
from hfdash.ui.controller import PaneController
from hfdash.ui.format import PANE_LABELS, ago, cell, plain
from hfdash.ui.screens.table_screen import TableScreen
from hfdash.ui.widgets.virtual_table import TableColumn, VirtualTable

# The pane to show and the group's key in it.
Shown = tuple[str, str]
# Fitted to the width as the panes' tables are: the lowest ranked go first, the failure takes the rest.
COLUMNS = (
    TableColumn("count", "Count", 6, priority=0),
    TableColumn("kind", "Kind", 11, priority=2),
    TableColumn("code", "Code", 20, min_width=4, priority=5),
    TableColumn("failure", "Failure", 64, min_width=24, priority=1, grow=True),
    TableColumn("newest", "Newest", 14, priority=3),
    TableColumn("oldest", "Oldest", 14, priority=6),
    TableColumn("example", "Example", 30, min_width=12, priority=4),
)
# Seconds between regroupings while the screen is open: polls bring failures, deletes take them.
REGROUP_EVERY = 1.0


def cells(group: FailureGroup, now: float) -> tuple[Text, ...]:
    return (
        cell(f"{group.count:,}", style="bold #e06c75"),
        cell(PANE_LABELS.get(group.pane, group.pane)),
        cell(plain(group.code) or "—", 200, "" if group.code else "dim"),
        cell(group.template, 200),
        cell(ago(group.newest, now)),
        cell(ago(group.oldest, now)),
        cell(group.example, 200, "dim"),
    )


class FailuresScreen(TableScreen[Shown | None]):
    NAME = "failures"
    table_columns = COLUMNS
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("q,escape", "back", "Back"),
        # The table's own enter selects the row, which shows its group: this names it in the help.
        Binding("enter", "show_group", "Show the group in its pane"),
    ]

    def __init__(self, controllers: dict[str, PaneController], clock: Clock) -> None:
        super().__init__()
        self.controllers = controllers
        self.clock = clock
        self.groups: list[FailureGroup] = []
        # What the groups were worked out from: unchanged, and they are not worked out again.
        self._grouped_from: object = None

    def on_mount(self) -> None:
        self.regroup()
        self.set_interval(REGROUP_EVERY, self.regroup)

    def regroup(self) -> None:
        panes = self.controllers.items()
        # A pane's view counts every change of its items: none, and the groups still hold.
        source = tuple((len(c.store), c.pane.failures(), c.pane.view.version) for _n, c in panes)
        if source != self._grouped_from:
            self._grouped_from = source
            self.groups = group_failures(
                {n: [c.store.items[k] for k in c.pane.view.failed()] for n, c in panes}
            )
        now = self.clock.now()
        rows = [(f"{group.pane}\x00{group.key}", cells(group, now)) for group in self.groups]
        if rows == list(self.cells.items()):
            return
        self.show_rows(rows)
        failed = sum(group.count for group in self.groups)
        loaded = sum(len(c.store) for c in self.controllers.values())
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append("Failures", style="bold")
        if failed:
            count = f"{failed:,} failed item{'s' * (failed > 1)} in {len(self.groups):,} group"
            title.append(f" · {count}{'s' * (len(self.groups) > 1)}, of {loaded:,} loaded")
            title.append(" · enter shows a group in its pane", style="dim")
        else:
            title.append(f" · no failed items among the {loaded:,} loaded")
        unloaded = [PANE_LABELS[name] for name, c in self.controllers.items() if c.store.has_more]
        if unloaded:
            title.append(f" · more history not loaded: {', '.join(unloaded)} (M on a pane loads it all)")
        self.query_one("#failures-title", Static).update(title)

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_show_group()

    def action_show_group(self) -> None:
        shown = self.cursor_key()
        if shown is not None:
            pane, key = shown.split("\x00", 1)
            self.dismiss((pane, key))
