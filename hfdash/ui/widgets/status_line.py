"""The bottom status line: host, credential source, connection state, work in flight, freshness."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static


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


_CONNECTION_STYLE = {
    "ok": "#98c379",
    "retrying": "#e5c07b",
    "rate_limited": "bold #e5c07b",
    "offline": "bold #e06c75",
    "auth_failed": "bold #e06c75",
}


def describe(facts: StatusFacts, monotonic_now: float) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(facts.host, style="bold")
    line.append(f" · {facts.credential_source} · ")
    state = facts.connection
    label = state.replace("_", " ")
    if facts.until is not None and facts.until > monotonic_now:
        label += f" {facts.until - monotonic_now:.0f}s"
    line.append(label, style=_CONNECTION_STYLE.get(state, ""))
    flights = " ".join(f"{name} {count}" for name, count in facts.in_flight.items() if count)
    line.append(f" · in flight: {flights or 'none'}")
    if facts.last_refresh is None:
        line.append(" · not refreshed yet")
    else:
        age = max(0.0, monotonic_now - facts.last_refresh)
        line.append(" · refreshed just now" if age < 5 else f" · refreshed {age:.0f}s ago")
    line.append(" · polling " + ("on" if facts.polling else "PAUSED (p)"))
    if facts.downloads:
        line.append(f" · {facts.downloads}")
    return line


class StatusLine(Static):
    _shown: Text | None = None

    def show(self, facts: StatusFacts) -> None:
        line = describe(facts, time.monotonic())
        # Asked every second; most seconds nothing it says has changed.
        if line != self._shown:
            self._shown = line
            # One line whatever it says, so no layout: a layout repaints the whole screen.
            self.update(line, layout=False)
