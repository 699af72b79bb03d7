"""`D`: every download with its progress, bytes, speed, ETA and path; x cancels, r retries."""

from __future__ import annotations

import humanize
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Static

from hfdash.services.downloads.manager import DownloadManager, DownloadState, DownloadStatus
from hfdash.ui.format import bar, clip, clip_start, plain, seconds
from hfdash.ui.screens.help import HelpScreen, binding_rows
from hfdash.ui.widgets.footer import Footer
from hfdash.ui.widgets.motion_table import MotionTable

# The status table's colours and weights (format.py): apart on 16 colours and with none.
_STATE_STYLE = {
    DownloadState.QUEUED: "#7f848e",
    DownloadState.ACTIVE: "bold #e0c040",
    DownloadState.DONE: "#73b34a",
    DownloadState.FAILED: "bold #e06c75",
    DownloadState.CANCELLED: "dim #7f848e",
}
_STALLED_STYLE = "bold reverse #c87832"
PATH_WIDTH = 60
PATH_MIN = 30
COLUMNS = (
    ("state", "State", 13),
    ("what", "What", 30),
    ("progress", "Progress", 16),
    ("bytes", "Bytes", 20),
    ("speed", "Speed", 10),
    ("eta", "ETA", 8),
    ("path", "Path / error", PATH_WIDTH),
)
# Dropped in this order where the path would have less than PATH_MIN: the bytes say how far it got,
# and the path's file name says what it is.
DROPPED_FIRST = ("eta", "speed", "progress", "what")
Column = tuple[str, str, int]


def fitted_columns(width: int) -> tuple[Column, ...]:
    """The columns shown at `width`; the path takes what the others leave."""
    shown = [column for column in COLUMNS if column[0] != "path"]
    for dropped in (None, *DROPPED_FIRST):
        shown = [column for column in shown if column[0] != dropped]
        room = width - sum(column_width + 2 for _key, _label, column_width in shown) - 4
        if room >= PATH_MIN:
            break
    return (*shown, ("path", "Path / error", max(room, PATH_MIN)))


def percent(status: DownloadStatus) -> int:
    if status.state is DownloadState.DONE:
        return 100
    if not status.bytes_total:
        return 0
    return min(100, int(100 * status.bytes_done / status.bytes_total))


def row(status: DownloadStatus, path_width: int = PATH_WIDTH) -> list[Text]:
    total = humanize.naturalsize(status.bytes_total) if status.bytes_total else "?"
    active = status.state is DownloadState.ACTIVE
    stalled = active and status.stalled_for is not None
    speed = f"{humanize.naturalsize(status.speed)}/s" if active and (status.speed or stalled) else ""
    eta = humanize.naturaldelta(status.eta) if active and status.eta is not None else ""
    state = Text(status.state.value, style=_STATE_STYLE[status.state])
    if stalled and status.stalled_for is not None:
        state = Text(f"stalled {seconds(status.stalled_for)}", style=_STALLED_STYLE)
    if status.error:
        # An error keeps its start, the reason.
        where = Text(clip(plain(status.error), path_width), style="#e06c75")
    else:
        # A path keeps its end, the file name, and room for the note after it.
        note = f"  ({plain(status.note)})" if status.note else ""
        path = clip_start(plain(str(status.path)), max(path_width - len(note), 20)) if status.path else ""
        where = Text(clip(path + note if path else note.strip(), path_width))
    return [
        state,
        Text(clip(plain(status.label), 30)),
        Text(bar(percent(status))),
        Text(f"{humanize.naturalsize(status.bytes_done)} / {total}"),
        Text(speed),
        Text(eta),
        where,
    ]


def summary(statuses: list[DownloadStatus]) -> str:
    """One line for the status bar: how many run and overall progress."""
    running = [s for s in statuses if s.state in (DownloadState.ACTIVE, DownloadState.QUEUED)]
    if not running:
        return ""
    done = sum(s.bytes_done for s in running)
    total = sum(s.bytes_total or 0 for s in running)
    share = f" {100 * done // total}%" if total else ""
    return f"downloads: {len(running)} running{share} (D)"


class DownloadsScreen(Screen[None]):
    # `?` and `q` first: the footer shows keys in this order and cuts the line at the right end.
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("q,escape,D", "back", "Back"),
        Binding("x", "cancel", "Cancel download"),
        Binding("r", "retry", "Retry download"),
    ]

    def __init__(self, manager: DownloadManager) -> None:
        super().__init__()
        self.manager = manager
        self.ids: list[str] = []
        self.columns: tuple[Column, ...] = ()

    def compose(self) -> ComposeResult:
        where = clip_start(str(self.manager.destination), 100)
        yield Static(Text(f"Downloads → {where}", no_wrap=True, overflow="ellipsis"), id="downloads-title")
        table = MotionTable(cursor_type="row", id="downloads-table")
        yield table
        yield Footer()

    @property
    def path_width(self) -> int:
        return self.columns[-1][2] if self.columns else PATH_WIDTH

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._fit(self.size.width or 160)
        self._unsubscribe = self.manager.subscribe(self._changed)
        table.focus()

    def on_unmount(self) -> None:
        self._unsubscribe()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        # The path keeps its end, the file name, in view: the other columns make room for it.
        columns = fitted_columns(width)
        if columns == self.columns:
            return
        self.columns = columns
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, label, column_width in columns:
            table.add_column(label, key=key, width=column_width)
        self.refresh_rows()

    def _changed(self, status: DownloadStatus) -> None:
        table = self.query_one(DataTable)
        if status.id not in self.ids:
            self.refresh_rows()
            return
        cells = dict(zip((key for key, _label, _width in COLUMNS), row(status, self.path_width), strict=True))
        for key, _label, _width in self.columns:
            table.update_cell(status.id, key, cells[key])

    def refresh_rows(self) -> None:
        table = self.query_one(DataTable)
        statuses = self.manager.statuses()
        keep = table.cursor_row
        table.clear()
        self.ids = [status.id for status in statuses]
        keys = [key for key, _label, _width in COLUMNS]
        for status in statuses:
            cells = dict(zip(keys, row(status, self.path_width), strict=True))
            table.add_row(*(cells[key] for key, _label, _width in self.columns), key=status.id)
        if self.ids:
            table.move_cursor(row=min(keep, len(self.ids) - 1), animate=False)

    def _highlighted(self) -> str | None:
        if not self.ids:
            return None
        table = self.query_one(DataTable)
        return self.ids[min(max(table.cursor_row, 0), len(self.ids) - 1)]

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen("Downloads keys", binding_rows(self.BINDINGS)))

    def action_cancel(self) -> None:
        wanted = self._highlighted()
        if wanted is not None and self.manager.cancel(wanted):
            self.notify("download cancelled; the partial file is kept for a resume")

    def action_retry(self) -> None:
        wanted = self._highlighted()
        if wanted is not None and self.manager.retry(wanted):
            self.notify("download queued again; it resumes from its partial file")
