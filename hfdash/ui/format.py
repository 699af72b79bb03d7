"""Pure display helpers. Every string from the server goes through `plain()` first: Rich markup stays
literal because cells are built as rich.text.Text, and ANSI escapes and control characters are
replaced so they cannot move the cursor or recolour the terminal."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

import humanize
from rich.text import Text

from hfdash import models
from hfdash.services.kinds import Category, Item, category, failure_message

# CSI/OSC/other escape sequences first, then any remaining C0/C1 control character.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"[\t\r\n]+")
_URL_FIELDS = frozenset(
    {"video_url", "thumbnail_url", "gif_url", "captioned_video_url", "subtitle_url", "video_page_url"}
)
_TIME_FIELDS = frozenset({"created_at", "completed_at"})
_DURATION_FIELDS = frozenset({"duration", "duration_seconds", "source_duration"})
_NOT_LISTED = frozenset({"status", "status_raw", "clips", "messages", "failure_message"})

# Each state has its glyph and weight, readable with no colour (NO_COLOR), and a colour that stays
# its own on a 16-colour terminal (TERM=xterm): bright yellow, yellow, bright green, bright red,
# white, magenta. Pastels of one lightness would all become white there.
STATUS_STYLE: dict[Category, tuple[str, str]] = {
    Category.IN_FLIGHT: ("◐", "bold #e0c040"),
    Category.WAITING: ("⏸", "italic #c87832"),
    Category.COMPLETED: ("✔", "#73b34a"),
    Category.FAILED: ("✖", "bold #e06c75"),
    Category.CANCELLED: ("⊘", "dim #7f848e"),
    Category.UNKNOWN: ("?", "italic #c678dd"),
    Category.LOADING: ("…", "dim #7f848e"),
}

PANE_LABELS = {"renders": "Renders", "clips": "AI Clips", "agents": "Video Agent"}
# What each pane calls one of its items, and more than one.
NOUNS = {
    "renders": ("render", "renders"),
    "clips": ("clip job", "clip jobs"),
    "agents": ("session", "sessions"),
}


def plain(value: str | None, *, keep_newlines: bool = False) -> str:
    """Server text made safe for a terminal: escapes removed, control characters shown as �."""
    if not value:
        return ""
    if value.isprintable():
        # Every character `cleaned` removes or replaces is unprintable: most text is done here.
        return value
    return cleaned(value, keep_newlines=keep_newlines)


def cleaned(value: str, *, keep_newlines: bool = False) -> str:
    """`value` with escape sequences removed and control characters replaced by �."""
    text = _ESCAPES.sub("", value)
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return "\n".join(_CONTROLS.sub("�", line) for line in text.split("\n"))
    text = _WHITESPACE.sub(" ", text)
    return _CONTROLS.sub("�", text)


def clip(value: str, width: int) -> str:
    """Cut to `width` cells with an ellipsis."""
    if width <= 0:
        return ""
    return value if len(value) <= width else value[: width - 1] + "…"


def clip_start(value: str, width: int) -> str:
    """Cut to `width` cells from the start, so a path keeps its file name."""
    if width <= 0:
        return ""
    return value if len(value) <= width else "…" + value[len(value) - width + 1 :]


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def cell(value: str | None, width: int = 60, style: str = "") -> Text:
    return Text(clip(plain(value), width), style=style, no_wrap=True, overflow="ellipsis")


def status_cell(category: Category, raw: str) -> Text:
    symbol, style = STATUS_STYLE[category]
    label = plain(raw).replace("_", " ")
    if category is Category.UNKNOWN:
        label = f"unknown ({clip(plain(raw), 24)})"
    elif category is Category.LOADING:
        label = "loading"
    return Text(f"{symbol} {label}", style=style, no_wrap=True, overflow="ellipsis")


# The server's Unix time can lie outside what a calendar shows, and humanize dates an age back
# from today, which can leave the calendar too.
_OFF_CALENDAR = (OverflowError, OSError, ValueError)


def ago(timestamp: int | None, now: float) -> str:
    if not timestamp:
        return "—"
    try:
        return humanize.naturaltime(datetime.fromtimestamp(now, UTC) - datetime.fromtimestamp(timestamp, UTC))
    except _OFF_CALENDAR:
        return "invalid time"


def local_time(timestamp: int | None, now: float) -> str:
    """`2026-12-01 14:03:05 CET (3 hours ago)`: the wall clock where the user sits, and the age."""
    if not timestamp:
        return "—"
    try:
        local = datetime.fromtimestamp(timestamp, UTC).astimezone()
    except _OFF_CALENDAR:
        return f"invalid time ({clip(str(timestamp), 24)})"
    zone = local.strftime("%Z") or local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {zone} ({ago(timestamp, now)})"


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    hours, rest = divmod(round(value), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def number(value: object) -> str:
    return "—" if value is None else plain(str(value))


def bar(percent: int, width: int = 10) -> str:
    percent = max(0, min(100, percent))
    filled = round(width * percent / 100)
    return "█" * filled + "░" * (width - filled) + f" {percent:3d}%"


def _value(name: str, value: object, now: float) -> str:
    if value is None:
        return "—"
    if name in _URL_FIELDS:
        # Presigned URLs expire within minutes; `c` copies a freshly fetched one instead.
        return "present (c copies a fresh one)" if name == "video_url" else "present"
    if name in _TIME_FIELDS and isinstance(value, int):
        return local_time(value, now)
    # As the table shows them: 2:47, not 166.6.
    if name in _DURATION_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
        return seconds(value)
    if isinstance(value, tuple):
        return ", ".join(plain(str(part)) for part in value) or "—"
    return plain(str(value), keep_newlines=True)


def detail_text(item: Item, now: float) -> Text:
    """Every field of `item`, failure first and in red; times are aged from `now`, the dashboard's clock."""
    text = Text()
    state = category(item)
    failure = failure_message(item)
    code = getattr(item, "failure_code", None)
    if state is Category.FAILED or failure:
        text.append("FAILED", style="bold reverse #e06c75")
        text.append(" ")
        text.append(plain(failure, keep_newlines=True) or "(no failure message)", style="bold #e06c75")
        if code:
            text.append(f"\ncode: {plain(code)}", style="#e06c75")
        text.append("\n\n")
    text.append_text(status_cell(state, item.status_raw))
    text.append(f"   {plain(item.id)}\n", style="dim")
    text.append(plain(item.title) or "(untitled)", style="bold")
    text.append("\n\n")
    for field in dataclasses.fields(item):
        if field.name not in _NOT_LISTED:
            text.append(f"{field.name:>20}  ", style="dim")
            text.append(_value(field.name, getattr(item, field.name), now) + "\n")
    if isinstance(item, models.ClipJob):
        text.append(f"{'clips':>20}  ", style="dim")
        text.append(f"{item.clips_done} of {len(item.clips)} completed\n")
    if isinstance(item, models.Session) and item.messages:
        text.append("\nMessages (newest first)\n", style="bold")
        for message in item.messages:
            style = "#e06c75" if message.type == "error" else ("#61afef" if message.role == "model" else "")
            text.append(f"{plain(message.role):>8} ", style=f"bold {style}".strip())
            text.append(plain(message.content, keep_newlines=True) + "\n", style=style)
    return text
