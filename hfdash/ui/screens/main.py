"""The dashboard: three panes, a header counting failures, a side panel, a status line, and every key.

The status line says connection, freshness, polling, downloads, work in flight and host. At 80
columns not all of it fits: it keeps what a user acts on first and ends with an ellipsis."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Static

from hfdash.config.settings import PANES, Settings
from hfdash.services.clock import Clock
from hfdash.services.dashboard import Dashboard
from hfdash.services.downloads.manager import DownloadState, DownloadStatus
from hfdash.ui.format import clip, detail_text, plain
from hfdash.ui.screens.dashboard_actions import DashboardActions
from hfdash.ui.widgets.footer import Footer
from hfdash.ui.widgets.virtual_table import VirtualTable

# The side panel shows by itself where it leaves room for the table's main columns beside it.
WIDE_LAYOUT_COLUMNS = 150
# Seconds the cursor must rest on a row before the side panel shows it.
SIDE_PANEL_DELAY = 0.05
# Rows show ages ("5 minutes ago"): they are redrawn this often, even when nothing else changed.
AGE_REFRESH = 30.0


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """Everything the status line shows, gathered at one moment."""

    host: str
    credential_source: str
    connection: str
    connection_message: str
    until: float | None
    in_flight: dict[str, int]
    last_refresh: float | None
    polling: bool
    downloads: str = ""
    # A refresh or a page is being fetched now.
    refreshing: bool = False


# The status table's colours (format.py), which stay apart on a 16-colour terminal.
_CONNECTION_STYLE = {
    "ok": "#73b34a",
    "retrying": "#e0c040",
    "rate_limited": "bold #e0c040",
    "offline": "bold #e06c75",
    "auth_failed": "bold #e06c75",
}


def downloads_summary(statuses: list[DownloadStatus]) -> str:
    """How many downloads run and their overall progress; empty when none does."""
    running = [s for s in statuses if s.state in (DownloadState.ACTIVE, DownloadState.QUEUED)]
    if not running:
        return ""
    done = sum(s.bytes_done for s in running)
    total = sum(s.bytes_total or 0 for s in running)
    return f"downloads: {len(running)} running{f' {100 * done // total}%' if total else ''} (D)"


def describe(facts: StatusFacts, monotonic_now: float, width: int = 1000) -> Text:
    """What the line says, most needed first: a narrow line keeps the front and drops the rest."""
    state = facts.connection
    label = state.replace("_", " ")
    connection = Text(label, style=_CONNECTION_STYLE.get(state, ""))
    if facts.until is not None and facts.until > monotonic_now:
        connection.append(f" {facts.until - monotonic_now:.0f}s")
    # Why it is not ok, briefly: the message's first clause or sentence. What follows repeats the
    # countdown or gives advice, and the message can quote the server: it is shown as plain text.
    reason = plain(facts.connection_message).split("; ")[0].split(". ")[0].rstrip(".")
    if state != "ok" and reason and reason != label:
        connection.append(f": {clip(reason, 120)}")
    if facts.refreshing:
        connection.append(" · refreshing…", style="bold")
    elif facts.last_refresh is None:
        connection.append(" · not refreshed yet")
    else:
        age = max(0.0, monotonic_now - facts.last_refresh)
        connection.append(" · refreshed just now" if age < 5 else f" · refreshed {age:.0f}s ago")
    flights = " ".join(f"{name} {count}" for name, count in facts.in_flight.items() if count)
    # A refused credential is named next to the refusal: which one it was matters now, and the
    # line's end is what a narrow terminal drops.
    credential = [Text(facts.credential_source)]
    refused, rest = (credential, []) if state == "auth_failed" else ([], credential)
    segments = [
        connection,
        *refused,
        Text("polling on") if facts.polling else Text("polling PAUSED (p)", style="bold"),
        *([Text(facts.downloads)] if facts.downloads else []),
        Text(f"in flight: {flights or 'none'}"),
        Text(facts.host, style="bold"),
        *rest,
    ]
    line = Text(no_wrap=True, end="")
    for index, segment in enumerate(segments):
        more = index + 1 < len(segments)
        # Room is kept for " · …" while anything is left to drop.
        if line.cell_len + 3 + segment.cell_len + (4 if more else 0) > width and index:
            line.append(" · …", style="dim")
            break
        if index:
            line.append(" · ")
        line.append_text(segment)
    line.truncate(width, overflow="ellipsis")
    return line


class StatusLine(Static):
    _shown: Text | None = None
    _facts: StatusFacts | None = None

    def show(self, facts: StatusFacts) -> None:
        self._facts = facts
        line = describe(facts, time.monotonic(), self.content_size.width or 1000)
        # Asked every second; most seconds nothing it says has changed.
        if line != self._shown:
            self._shown = line
            # One line whatever it says, so no layout: a layout repaints the whole screen.
            self.update(line, layout=False)

    def on_resize(self) -> None:
        if self._facts is not None:
            self.show(self._facts)


class MainScreen(DashboardActions):
    # The table is focused by hand once built: the search box, first in the focus chain, must not be.
    AUTO_FOCUS = ""
    BINDINGS = [
        # The footer shows keys in this order and drops whole keys from the end when narrow: what a
        # user reaches for first comes first. The header names the panes with their numbers.
        Binding("question_mark", "help", "Help"),
        # The app's quit asks first when downloads are still running.
        Binding("q", "app.quit", "Quit"),
        Binding("slash", "search", "Search"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("F", "failures", "Failures"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("d", "download", "Download"),
        Binding("x,delete", "delete", "Delete"),
        Binding("space", "toggle_mark", "Mark"),
        Binding("D", "downloads", "Downloads"),
        Binding("M", "load_more(True)", "Load all"),
        Binding("m", "load_more", "More"),
        Binding("r", "refresh", "Refresh"),
        Binding("p", "toggle_polling", "Pause"),
        Binding("u", "refetch", "Fresh URLs"),
        Binding("c", "copy_url", "Copy URL"),
        Binding("y", "copy_id", "Copy ID"),
        Binding("1", "show_pane('renders')", "Renders", show=False),
        Binding("2", "show_pane('clips')", "AI Clips", show=False),
        Binding("3", "show_pane('agents')", "Video Agent", show=False),
        Binding("tab", "step_pane(1)", "Next pane", show=False, priority=True),
        Binding("shift+tab", "step_pane(-1)", "Previous pane", show=False, priority=True),
        Binding("enter", "open_detail", "Detail", show=False),
        Binding("escape", "clear_search", "Clear search", show=False),
        Binding("S", "reverse_sort", "Reverse sort", show=False),
        Binding("i", "toggle_side", "Side panel", show=False),
        Binding("asterisk", "mark_shown", "Mark all shown", show=False),
        Binding("U", "clear_marks", "Unmark all", show=False),
    ]

    def __init__(self, dashboard: Dashboard, settings: Settings, clock: Clock) -> None:
        super().__init__(dashboard, settings, clock)
        # What the header and side panel show now: repainting the same again is wasted work.
        self._header_text: Text | None = None
        self._side_shows: object = None
        self._side_timer: Timer | None = None
        # The side panel as `i` last set it; None: shown when the screen is wide enough.
        self.side_wanted: bool | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="header")
        with Horizontal(id="body"):
            # Only the pane in front: the others are built once its first rows are painted, or
            # when shown, if that comes first.
            with ContentSwitcher(initial=f"pane-{self.current}", id="panes"):
                yield self.controller.pane
            with VerticalScroll(id="side"):
                yield Static(id="side-text")
        yield StatusLine(id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self._update_header()
        # The pane in front loads alone: the others' pages would be read and applied in the
        # time its rows are waiting to be painted.
        self._start_first_load(self.controller, then=self._start_other_loads)
        self.run_worker(self._poll_loop(), group="poll", exclusive=True, exit_on_error=False)
        self.set_interval(1.0, self._update_status)
        self.client.on_state = self._status_changed
        self.set_interval(AGE_REFRESH, self._refresh_ages)
        self._focus_table()

    def _refresh_ages(self) -> None:
        if self.pane.is_mounted:
            self.pane.table.refresh_rows()

    async def action_show_pane(self, name: str) -> None:
        self.current = name
        await self._build_pane(name)
        self.query_one(ContentSwitcher).current = f"pane-{name}"
        self._start_first_load(self.controller)
        self._refresh_ages()
        self._update_header()
        self._update_side()
        self._focus_table()

    async def action_step_pane(self, step: int) -> None:
        await self.action_show_pane(PANES[(PANES.index(self.current) + step) % len(PANES)])

    def _update_header(self) -> None:
        header = Text(no_wrap=True, overflow="ellipsis")
        header.append(" hfdash ", style="bold reverse")
        for number, (name, controller) in enumerate(self.controllers.items(), start=1):
            header.append("  ")
            style = "bold underline" if name == self.current else ""
            header.append(f"{number} {controller.pane.label}", style=style)
            if failures := controller.pane.failures():
                header.append(f" ✖{failures}", style="bold #e06c75")
        if header != self._header_text:
            self._header_text = header
            # One line whatever it says, so no layout: a layout repaints the whole screen.
            self.query_one("#header", Static).update(header, layout=False)

    def on_resize(self, event: Resize) -> None:
        self._place_side(event.size.width)

    def action_toggle_side(self) -> None:
        self.side_wanted = not self.has_class("-side")
        self._place_side(self.size.width)

    def _place_side(self, width: int) -> None:
        wanted = width >= WIDE_LAYOUT_COLUMNS if self.side_wanted is None else self.side_wanted
        self.set_class(wanted, "-side")
        self._side_shows = None
        self._update_side()

    def _update_side(self) -> None:
        if not self.has_class("-side"):
            return
        item = self.pane.highlighted()
        # Items are frozen, so the same object shows the same text.
        shows = (self.current, item)
        if shows == self._side_shows:
            return
        self._side_shows = shows
        side = self.query_one("#side-text", Static)
        text = Text("nothing selected", style="dim") if item is None else detail_text(item, self.clock.now())
        side.update(text, layout=False)
        # A layout repaints the whole screen, which costs more than the rest of a cursor move:
        # only a text of another height needs one.
        width, height = side.size
        if not width or side.get_content_height(side.size, side.size, width) != height:
            side.refresh(layout=True)

    @on(VirtualTable.RowHighlighted)
    def _row_highlighted(self, _event: VirtualTable.RowHighlighted) -> None:
        if not self.has_class("-side"):
            return
        # The side panel follows once the cursor rests: painted in the cursor's own frame it
        # would make every cursor move repaint the whole body, and a held key would queue them.
        if self._side_timer is not None:
            self._side_timer.stop()
        self._side_timer = self.set_timer(SIDE_PANEL_DELAY, self._update_side)

    def _after_change(self) -> None:
        self._update_header()
        self._update_side()
        self._update_status()

    def _status_changed(self, _news: object = None) -> None:
        # A 429, a retry, going offline, or a refresh starting or ending shows at once, not at the
        # next second's tick.
        if self.is_mounted:
            self._update_status()

    on_worker_state_changed = _status_changed

    def on_unmount(self) -> None:
        self.client.on_state = None
        # Before the app closes the cache: a change shown in the last frame has not been written.
        for controller in self.controllers.values():
            controller.write_queued()

    def _update_status(self) -> None:
        state = self.client.state
        successes = [c.last_success for c in self.controllers.values() if c.last_success is not None]
        until = state.until
        if state.kind == "offline" and until is None and self.retry_at:
            # Offline means the client gave up; the next try is the poll loop's, after its back-off.
            until = min(self.retry_at.values())
        facts = StatusFacts(
            host=self.dashboard.host_label,
            credential_source=self.client.credential.source,
            connection=state.kind,
            connection_message=state.message,
            until=until,
            in_flight={c.pane.label: c.pane.in_flight() for c in self.controllers.values()},
            last_refresh=max(successes, default=None),
            polling=self.polling,
            downloads=downloads_summary(self.dashboard.downloads.statuses()),
            refreshing=any(
                w.node is self and w.group.startswith("load-") and not w.is_finished for w in self.workers
            ),
        )
        self.query_one(StatusLine).show(facts)
