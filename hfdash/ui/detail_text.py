"""Every field of an item as safe text: failure first and in red, URLs shown as present or absent."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rich.text import Text

from hfdash import models
from hfdash.services.kinds import Category, Item, category, failure_message, item_id, status_raw
from hfdash.ui.format import local_time, plain, seconds, status_cell

if TYPE_CHECKING:
    from hfdash.models import AgentMessage

_URL_FIELDS = frozenset(
    {"video_url", "thumbnail_url", "gif_url", "captioned_video_url", "subtitle_url", "video_page_url"}
)
_TIME_FIELDS = frozenset({"created_at", "completed_at"})
_DURATION_FIELDS = frozenset({"duration", "duration_seconds", "source_duration"})
_SKIP = frozenset({"status", "status_raw", "clips", "messages", "failure_message"})


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
    """Every field of `item`; times are aged from `now`, the dashboard's clock."""
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
    text.append_text(status_cell(state, status_raw(item)))
    text.append(f"   {plain(item_id(item))}\n", style="dim")
    text.append(plain(item.title) or "(untitled)", style="bold")
    text.append("\n\n")
    for field in dataclasses.fields(item):
        if field.name not in _SKIP:
            text.append(f"{field.name:>20}  ", style="dim")
            text.append(_value(field.name, getattr(item, field.name), now) + "\n")
    if isinstance(item, models.ClipJob):
        text.append(f"{'clips':>20}  ", style="dim")
        text.append(f"{item.clips_done} of {len(item.clips)} completed\n")
    if isinstance(item, models.Session) and item.messages:
        text.append("\nMessages (newest first)\n", style="bold")
        for message in item.messages:
            text.append_text(_message(message))
    return text


def _message(message: AgentMessage) -> Text:
    line = Text()
    style = "#e06c75" if message.type == "error" else ("#61afef" if message.role == "model" else "")
    line.append(f"{plain(message.role):>8} ", style=f"bold {style}".strip())
    line.append(plain(message.content, keep_newlines=True) + "\n", style=style)
    return line
