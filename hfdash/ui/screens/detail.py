"""An item's every field; a clip job's clips or a session's videos in a table below.

Actions here apply to the highlighted clip or video when the table has focus,
otherwise to the item itself. Closed, it hands back the item as last read, or that it was deleted.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from hfdash.api.client import HeyGenClient
from hfdash.api.errors import ApiError
from hfdash.models import Clip, ClipJob, Session, SessionSummary, Video
from hfdash.services.clock import Clock
from hfdash.services.downloads.manager import DownloadManager
from hfdash.services.kinds import Item, item_id, needs_poll
from hfdash.ui.detail_text import detail_text
from hfdash.ui.format import clip, plain
from hfdash.ui.item_actions import ItemActions
from hfdash.ui.panes.columns import CLIP_COLUMNS, VIDEO_COLUMNS, Column, row_cells
from hfdash.ui.screens.help import HelpScreen, binding_rows
from hfdash.ui.widgets.column_fit import fit_columns
from hfdash.ui.widgets.footer import Footer
from hfdash.ui.widgets.motion_table import MotionTable


@dataclass(frozen=True, slots=True)
class DetailOutcome:
    """The item as the detail screen last read it; `deleted` when it was deleted there."""

    item: Item
    deleted: bool = False


class DetailScreen(Screen[DetailOutcome | None]):
    # `?` and `q` first: the footer shows keys in this order and cuts the line at the right end.
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("q,escape", "back", "Back"),
        Binding("u", "refetch", "Fresh URLs"),
        Binding("c", "copy_url", "Copy URL"),
        Binding("y", "copy_id", "Copy ID"),
        Binding("x,delete", "delete", "Delete"),
        Binding("d", "download", "Download"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(
        self, item: Item, client: HeyGenClient, downloads: DownloadManager, clock: Clock, poll_interval: float
    ) -> None:
        super().__init__()
        self.item = item
        self.client = client
        self.clock = clock
        self.poll_interval = poll_interval
        self.actions = ItemActions(self, client, downloads)
        self.children_items: list[Clip | Video] = []
        # The item was read again here: the dashboard takes the fresher copy on the way back.
        self._read_again = False
        # (index, width) of the child columns shown: the table is fitted to its width, not scrolled.
        self._fitted: list[tuple[int, int]] = []

    @property
    def columns(self) -> tuple[Column[Any], ...] | None:
        if isinstance(self.item, ClipJob):
            return CLIP_COLUMNS
        if isinstance(self.item, Session | SessionSummary):
            return VIDEO_COLUMNS
        return None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-scroll"):
            yield Static(detail_text(self.item, self.clock.now()), id="detail-text")
        if self.columns is not None:
            label = "Clips" if isinstance(self.item, ClipJob) else "Videos"
            yield Static(label, id="detail-children-title")
            table = MotionTable(cursor_type="row", id="detail-children")
            yield table
        yield Footer()

    def on_mount(self) -> None:
        columns = self.columns
        if columns is None:
            return
        table = self.query_one("#detail-children", DataTable)
        self._show_item(self.item)
        table.focus()
        self.run_worker(self._follow(), group="detail-poll", exclusive=True, exit_on_error=False)

    def _show_item(self, item: Item) -> None:
        self.item = item
        self.query_one("#detail-text", Static).update(detail_text(item, self.clock.now()))
        if isinstance(item, ClipJob):
            self._show_children(list(item.clips))

    def on_resize(self) -> None:
        # After the layout that gives the table its new width.
        self.call_after_refresh(self._fit_children)

    def _fit_children(self) -> None:
        columns = self.columns
        if columns is None:
            return
        table = self.query_one("#detail-children", DataTable)
        width = table.scrollable_content_region.width
        fitted = fit_columns([column.table_column() for column in columns], width)
        if not width or fitted == self._fitted:
            return
        self._fitted = fitted
        table.clear(columns=True)
        for at, fitted_width in fitted:
            table.add_column(columns[at].label, key=columns[at].key, width=fitted_width)
        self._show_children(self.children_items)

    def _show_children(self, children: list[Clip | Video]) -> None:
        columns = self.columns
        if columns is None:
            return
        table = self.query_one("#detail-children", DataTable)
        keep = self._child_id()
        self.children_items = children
        table.clear()
        now = self.clock.now()
        for child in children:
            cells = row_cells(columns, child, now)
            table.add_row(*(cells[at] for at, _width in self._fitted), key=child.id)
        ids = [child.id for child in children]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        title = self.query_one("#detail-children-title", Static)
        noun = "Clips" if isinstance(self.item, ClipJob) else "Videos"
        title.update(f"{noun} ({len(children)})" if children else f"{noun}: none yet")
        # Whether `x` applies depends on what the cursor is on.
        self.refresh_bindings()

    def _child_id(self) -> str | None:
        child = self._highlighted_child()
        return None if child is None else child.id

    def _highlighted_child(self) -> Clip | Video | None:
        if not self.children_items:
            return None
        table = self.query_one("#detail-children", DataTable)
        row = min(max(table.cursor_row, 0), len(self.children_items) - 1)
        return self.children_items[row]

    def _target(self) -> tuple[Item, ClipJob | None]:
        child = self._highlighted_child()
        if child is not None and self.focused is not None and self.focused.id == "detail-children":
            return child, self.item if isinstance(self.item, ClipJob) else None
        return self.item, None

    async def _follow(self) -> None:
        """Re-read the item (and a session's videos) while anything here is still in flight."""
        while True:
            try:
                await self._reload_once()
            except ApiError as error:
                self.notify(str(error), title="refresh failed", severity="error", markup=False)
            busy = needs_poll(self.item) or any(needs_poll(child) for child in self.children_items)
            if not busy:
                return
            await asyncio.sleep(self.poll_interval)

    async def _reload_once(self) -> None:
        item = self.item
        if isinstance(item, SessionSummary | Session):
            fresh_session = await self.client.sessions.get(item.session_id)
            videos = await self.client.sessions.all_videos(item.session_id)
            self._show_item(fresh_session)
            self._show_children(list(videos))
            self._read_again = True
        elif isinstance(item, ClipJob):
            fresh_job = await self.client.clip_jobs.get(item.id)
            self._show_item(fresh_job)
            self._read_again = True

    def action_back(self) -> None:
        self.dismiss(DetailOutcome(self.item) if self._read_again else None)

    async def action_refetch(self) -> None:
        target, parent = self._target()
        fresh = await self.actions.refetch(target, parent)
        if fresh is None:
            return
        if target is self.item:
            self._show_item(fresh)
            self._read_again = True
        elif isinstance(self.item, ClipJob) and parent is not None:
            await self.action_reload()

    async def action_copy_url(self) -> None:
        target, parent = self._target()
        await self.actions.copy_url(target, parent)

    async def action_download(self) -> None:
        target, parent = self._target()
        await self.actions.download(target, parent)

    def action_copy_id(self) -> None:
        target, _parent = self._target()
        self.actions.copy_id(target)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A clip is deleted with its job, from the list: the key is not offered on one.
        return not (action == "delete" and isinstance(self._target()[0], Clip))

    def action_delete(self) -> None:
        target, _parent = self._target()
        if isinstance(target, Clip):
            self.notify(
                "single clips cannot be deleted; delete the whole job from the list", severity="error"
            )
            return
        self.actions.delete(target, self._removed)

    def _removed(self, removed_id: str) -> None:
        if removed_id == item_id(self.item):
            self.dismiss(DetailOutcome(self.item, deleted=True))
            return
        kept = [child for child in self.children_items if child.id != removed_id]
        self._show_children(kept)

    async def action_reload(self) -> None:
        try:
            await self._reload_once()
        except ApiError as error:
            self.notify(str(error), title="reload failed", severity="error", markup=False)
            return
        self.notify(f"reloaded {clip(plain(item_id(self.item)), 40)}", markup=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen("Detail keys", binding_rows(self.BINDINGS)))

    @on(DataTable.RowSelected, "#detail-children")
    def _child_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
