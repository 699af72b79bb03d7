"""The columns of each table and how an item becomes a row of plain-text cells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from rich.text import Text

from hfdash.services.kinds import Item, category, item_id, status_raw
from hfdash.ui.format import ago, bar, cell, number, seconds, status_cell

if TYPE_CHECKING:
    from hfdash.models import Clip, ClipJob, Render, Session, SessionSummary, Video

T = TypeVar("T", bound=Item)
T_contra = TypeVar("T_contra", bound=Item, contravariant=True)


@dataclass(frozen=True, slots=True)
class Column(Generic[T_contra]):
    """One column of a pane's table: its header, width and the cell it shows for an item."""

    key: str
    label: str
    width: int
    value: Callable[[T_contra, float], Text]


def _status(item: Item, _now: float) -> Text:
    return status_cell(category(item), status_raw(item))


def _id(item: Item, _now: float) -> Text:
    return cell(item_id(item), 22, "dim")


def _title(item: Item, _now: float) -> Text:
    return cell(item.title or "(untitled)", 40)


def _created(item: Item, now: float) -> Text:
    return Text(ago(item.created_at, now), no_wrap=True)


def _text(value: str) -> Text:
    return Text(value, no_wrap=True)


STATUS: Column[Item] = Column("status", "Status", 13, _status)
TITLE: Column[Item] = Column("title", "Title", 28, _title)
ID: Column[Item] = Column("id", "ID", 15, _id)
CREATED: Column[Item] = Column("created", "Created", 14, _created)

RENDER_COLUMNS: tuple[Column[Render], ...] = (
    STATUS,
    TITLE,
    ID,
    CREATED,
    Column("duration", "Dur", 7, lambda r, _: _text(seconds(r.duration))),
    Column("fps", "FPS", 4, lambda r, _: _text(number(r.fps))),
    Column("quality", "Quality", 8, lambda r, _: cell(r.quality or "—", 8)),
    Column("format", "Fmt", 4, lambda r, _: cell(r.format, 5)),
    Column("resolution", "Res", 5, lambda r, _: cell(r.resolution or "—", 6)),
    Column("aspect", "Aspect", 6, lambda r, _: cell(r.aspect_ratio or "—", 6)),
)


def _clips_done(job: ClipJob) -> str:
    return f"{job.clips_done}/{len(job.clips)}" if job.clips else "0/0"


CLIP_JOB_COLUMNS: tuple[Column[ClipJob], ...] = (
    STATUS,
    TITLE,
    ID,
    CREATED,
    Column("progress", "Progress", 15, lambda j, _: _text(bar(j.progress))),
    Column("clips", "Clips", 6, lambda j, _: _text(_clips_done(j))),
    Column("source", "Source", 8, lambda j, _: _text(seconds(j.source_duration))),
)


def _session_progress(item: Session | SessionSummary, _now: float) -> Text:
    # A listed session's progress is not known until it is read.
    return _text("—" if item.status is None else bar(item.progress))


SESSION_COLUMNS: tuple[Column[Session | SessionSummary], ...] = (
    STATUS,
    TITLE,
    ID,
    CREATED,
    Column("progress", "Progress", 15, _session_progress),
)

VIDEO_COLUMNS: tuple[Column[Video], ...] = (
    STATUS,
    TITLE,
    ID,
    CREATED,
    Column("duration", "Dur", 7, lambda v, _: _text(seconds(v.duration))),
    Column("language", "Language", 10, lambda v, _: cell(v.output_language or "original", 10)),
)

CLIP_COLUMNS: tuple[Column[Clip], ...] = (
    STATUS,
    TITLE,
    ID,
    Column("duration", "Dur", 7, lambda c, _: _text(seconds(c.duration_seconds))),
    Column("virality", "Virality", 8, lambda c, _: _text(number(c.virality_score))),
    Column("aspect", "Aspect", 9, lambda c, _: cell(c.aspect_ratio or "—", 9)),
)


def row_cells(columns: tuple[Column[T], ...], item: T, now: float) -> list[Text]:
    return [column.value(item, now) for column in columns]
