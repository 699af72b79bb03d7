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
# Dropped from the lowest rank as the screen narrows: the label says which download a row is (a
# path appears only once a file is done), the bytes how far it got; the bar says it again.
COLUMNS = (
    TableColumn("state", "State", 13, min_width=12, priority=0),
    TableColumn("what", "What", 30, min_width=17, priority=1),
    TableColumn("progress", "Progress", 16, priority=6),
    TableColumn("bytes", "Bytes", 20, min_width=19, priority=2),
    TableColumn("speed", "Speed", 10, priority=4),
    TableColumn("eta", "ETA", 8, priority=5),
    TableColumn("path", "Path / error", PATH_WIDTH, min_width=22, priority=3, grow=True),
)

_WHAT_AT, _PATH_AT = ([column.key for column in COLUMNS].index(key) for key in ("what", "path"))


def row(status: DownloadStatus, path_width: int = PATH_WIDTH, label_width: int = 30) -> list[Text]:
    total = humanize.naturalsize(status.bytes_total) if status.bytes_total else "?"
    percent = min(100, int(100 * status.bytes_done / status.bytes_total)) if status.bytes_total else 0
    active = status.state is DownloadState.ACTIVE
    stalled = active and status.stalled_for is not None
    speed = f"{humanize.naturalsize(status.speed)}/s" if active and (status.speed or stalled) else ""
    eta = seconds(status.eta) if active and status.eta is not None else ""
    state = Text(status.state.value, style=_STATE_STYLE[status.state])
    if stalled and status.stalled_for is not None:
        state = Text(f"stalled {seconds(status.stalled_for)}", style=_STALLED_STYLE)
    if status.error:
        # An error keeps its start, the reason.
        where = Text(clip(plain(status.error), path_width), style="#e06c75")
    else:
        # A path keeps its end, the file name, and room for the note after it, where there is room
        # for both: a file name is about 24 cells.
        note = f"  ({plain(status.note)})" if status.note else ""
        if status.path and path_width - len(note) < 24:
            note = ""
        path = clip_start(plain(str(status.path)), path_width - len(note)) if status.path else ""
        where = Text(clip(path + note if path else note.strip(), path_width))
    return [
        state,
        Text(clip(plain(status.label), label_width)),
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
        # Made as the row is painted, so the label and path are cut to the widths their columns have then.
        widths = dict(self.query_one(VirtualTable).fitted)
        return row(self.statuses[key], widths.get(_PATH_AT, PATH_WIDTH), widths.get(_WHAT_AT, 30))

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
            kept = "; the partial file is kept for a resume" if self.statuses[wanted].bytes_done else ""
            self.notify(f"download cancelled{kept}")

    def action_retry(self) -> None:
        wanted = self.cursor_key()
        if wanted is not None and self.manager.retry(wanted):
            resumes = "; it resumes from its partial file" if self.statuses[wanted].bytes_done else ""
            self.notify(f"download queued again{resumes}")
