"""`D`: every download with its progress, bytes, speed, ETA and path; x cancels, r retries."""

from __future__ import annotations

import humanize
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from hfdash.services.downloads.manager import DownloadManager, DownloadState, DownloadStatus
from hfdash.ui.format import bar, clip, clip_start, plain, seconds
from hfdash.ui.screens.table_screen import TableScreen
from hfdash.ui.widgets.virtual_table import TableColumn, VirtualTable

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
# Dropped from the lowest rank where the path would have less than 30 cells: the bytes say how far
# it got, and the path's file name says what it is.
COLUMNS = (
    TableColumn("state", "State", 13, priority=0),
    TableColumn("what", "What", 30, priority=3),
    TableColumn("progress", "Progress", 16, priority=4),
    TableColumn("bytes", "Bytes", 20, priority=2),
    TableColumn("speed", "Speed", 10, priority=5),
    TableColumn("eta", "ETA", 8, priority=6),
    TableColumn("path", "Path / error", PATH_WIDTH, min_width=30, priority=1, grow=True),
)


def row(status: DownloadStatus, path_width: int = PATH_WIDTH) -> list[Text]:
    total = humanize.naturalsize(status.bytes_total) if status.bytes_total else "?"
    percent = min(100, int(100 * status.bytes_done / status.bytes_total)) if status.bytes_total else 0
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
        Text(bar(100 if status.state is DownloadState.DONE else percent)),
        Text(f"{humanize.naturalsize(status.bytes_done)} / {total}"),
        Text(speed),
        Text(eta),
        where,
    ]


class DownloadsScreen(TableScreen[None]):
    NAME = "downloads"
    table_columns = COLUMNS
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("q,escape,D", "back", "Back"),
        Binding("x", "cancel", "Cancel download"),
        Binding("r", "retry", "Retry download"),
    ]

    def __init__(self, manager: DownloadManager) -> None:
        super().__init__()
        self.manager = manager
        self.statuses: dict[str, DownloadStatus] = {}

    def on_mount(self) -> None:
        where = clip_start(str(self.manager.destination), 100)
        title = Text(f"Downloads → {where}", no_wrap=True, overflow="ellipsis")
        self.query_one("#downloads-title", Static).update(title)
        self._unsubscribe = self.manager.subscribe(self._changed)
        self.fill()

    def on_unmount(self) -> None:
        self._unsubscribe()

    def cells_for(self, key: str) -> list[Text]:
        # Made as the row is painted, so the path is cut to the width its column has then.
        fitted = self.query_one(VirtualTable).fitted
        return row(self.statuses[key], fitted[-1][1] if fitted else PATH_WIDTH)

    def _changed(self, status: DownloadStatus) -> None:
        if status.id not in self.statuses:
            self.fill()
            return
        self.statuses[status.id] = status
        self.query_one(VirtualTable).update_row(status.id)

    def fill(self) -> None:
        self.statuses = {status.id: status for status in self.manager.statuses()}
        self.query_one(VirtualTable).set_rows(list(self.statuses))

    def action_cancel(self) -> None:
        wanted = self.cursor_key()
        if wanted is not None and self.manager.cancel(wanted):
            self.notify("download cancelled; the partial file is kept for a resume")

    def action_retry(self) -> None:
        wanted = self.cursor_key()
        if wanted is not None and self.manager.retry(wanted):
            self.notify("download queued again; it resumes from its partial file")
