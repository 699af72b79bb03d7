"""The bottom status line: connection, freshness, polling, downloads, work in flight, host. At 80
columns not all of it fits: it keeps what a user acts on first and ends with an ellipsis."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from hfdash.services.downloads.manager import DownloadState, DownloadStatus
from hfdash.ui.format import clip, plain


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
