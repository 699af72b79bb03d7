"""The columns of each table and how an item becomes a row of plain-text cells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rich.text import Text

from hfdash.services.kinds import Item, category
from hfdash.ui.format import ago, bar, cell, number, seconds, status_cell
from hfdash.ui.widgets.virtual_table import TableColumn

if TYPE_CHECKING:
    from hfdash.models import Clip, ClipJob, Render, Session, SessionSummary, Video

T = TypeVar("T", bound=Item)
T_contra = TypeVar("T_contra", bound=Item, contravariant=True)


@dataclass(frozen=True, slots=True)
class Column(Generic[T_contra]):
    """One column of a pane's table: header, widths, rank (see fit_columns) and the cell it shows for
    an item; `sort` names the sort that orders by it, so its header can show the direction."""

    key: str
    label: str
    width: int
    value: Callable[[T_contra, float], Text]
    priority: int
    min_width: int = 0
    grow: bool = False
    sort: str = ""

    def table_column(self) -> TableColumn:
        return TableColumn(self.key, self.label, self.width, self.min_width, self.priority, self.grow)


# Priorities, shared by every table: status and title stay longest, then what a kind is watched
# by (a job's progress), when it was created, its id, then the details.
STATUS: Column[Item] = Column(
    "status", "Status", 13, lambda i, _: status_cell(category(i), i.status_raw), 0, sort="status"
)
# The title is bounded only so that a hostile one costs little: it takes what the width leaves.
TITLE: Column[Item] = Column(
    "title", "Title", 28, lambda i, _: cell(i.title or "(untitled)", 200), 10, min_width=22, grow=True
)
PROGRESS_RANK = 15
CREATED: Column[Item] = Column(
    "created", "Created", 14, lambda i, now: Text(ago(i.created_at, now), no_wrap=True), 20, sort="created"
)
# An id shown to 12 characters and its ellipsis still tells rows apart.
ID: Column[Item] = Column("id", "ID", 16, lambda i, _: cell(i.id, 22, "dim"), 30, min_width=13)
DURATION: Column[Item] = Column(
    "duration", "Dur", 7, lambda i, _: cell(seconds(i.duration)), 40, min_width=5, sort="duration"
)


# Every pane lists these first.
LISTED: tuple[Column[Item], ...] = (STATUS, TITLE, ID, CREATED)

RENDER_COLUMNS: tuple[Column[Render], ...] = (
    *LISTED,
    DURATION,
    Column("fps", "FPS", 4, lambda r, _: cell(number(r.fps)), 70),
    Column("quality", "Quality", 8, lambda r, _: cell(r.quality or "—", 8), 50),
    Column("format", "Fmt", 4, lambda r, _: cell(r.format, 5), 80),
    Column("resolution", "Res", 5, lambda r, _: cell(r.resolution or "—", 6), 60),
    Column("aspect", "Aspect", 6, lambda r, _: cell(r.aspect_ratio or "—", 6), 90),
)

CLIP_JOB_COLUMNS: tuple[Column[ClipJob], ...] = (
    *LISTED,
    Column("progress", "Progress", 15, lambda j, _: cell(bar(j.progress)), PROGRESS_RANK),
    Column("clips", "Clips", 6, lambda j, _: cell(f"{j.clips_done}/{len(j.clips)}"), 40),
    Column("source", "Source", 8, lambda j, _: cell(seconds(j.source_duration)), 50, sort="duration"),
)


def _session_progress(item: Session | SessionSummary, _now: float) -> Text:
    # A listed session's progress is not known until it is read.
    return cell("—" if item.status is None else bar(item.progress))


SESSION_COLUMNS: tuple[Column[Session | SessionSummary], ...] = (
    *LISTED,
    Column("progress", "Progress", 15, _session_progress, PROGRESS_RANK),
)

VIDEO_COLUMNS: tuple[Column[Video], ...] = (
    *LISTED,
    DURATION,
    Column("language", "Language", 10, lambda v, _: cell(v.output_language or "original", 10), 50),
)

CLIP_COLUMNS: tuple[Column[Clip], ...] = (
    STATUS,
    TITLE,
    ID,
    DURATION,
    Column("virality", "Virality", 8, lambda c, _: cell(number(c.virality_score)), 50),
    Column("aspect", "Aspect", 9, lambda c, _: cell(c.aspect_ratio or "—", 9), 60),
)

COLUMNS: dict[str, Any] = {"renders": RENDER_COLUMNS, "clips": CLIP_JOB_COLUMNS, "agents": SESSION_COLUMNS}


def row_cells(columns: tuple[Column[T], ...], item: T, now: float) -> list[Text]:
    return [column.value(item, now) for column in columns]
