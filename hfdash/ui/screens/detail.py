"""An item's every field; a clip job's clips or a session's videos in a table below, which the keys
act on when the table has the focus."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from hfdash.api.client import HeyGenClient
from hfdash.api.errors import ApiError, NotFoundError
from hfdash.models import Clip, ClipJob, Session, SessionSummary, Video
from hfdash.services.actions import delete_plan, refetch
from hfdash.services.clock import Clock
from hfdash.services.downloads.manager import DownloadManager
from hfdash.services.kinds import Item, needs_poll
from hfdash.ui.format import clip, detail_text, plain
from hfdash.ui.item_actions import ItemActions
from hfdash.ui.panes.columns import CLIP_COLUMNS, VIDEO_COLUMNS, Column, row_cells
from hfdash.ui.screens.table_screen import TableScreen
from hfdash.ui.widgets.footer import Footer


@dataclass(frozen=True, slots=True)
class DetailOutcome:
    """The item as the detail screen last read it; `deleted` when it was deleted there."""

    item: Item
    deleted: bool = False


class DetailScreen(TableScreen[DetailOutcome | None]):
    NAME = "detail"
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("q,escape", "back", "Back"),
        Binding("u", "refetch", "Fresh URLs"),
        Binding("c", "copy_url", "Copy URL"),
        Binding("y", "copy_id", "Copy ID"),
        Binding("x,delete", "delete", "Delete"),
        Binding("d", "download", "Download"),
        Binding("r", "reload", "Reload"),
        # As in the tables; a table below, when it has the focus, takes them for its cursor first.
        Binding("j", "scroll_fields(1)", "Scroll down", show=False),
        Binding("k", "scroll_fields(-1)", "Scroll up", show=False),
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
        self._read_again = False
        self.columns: tuple[Column[Any], ...] = ()
        self.noun = ""
        if isinstance(item, ClipJob):
            self.columns, self.noun = CLIP_COLUMNS, "Clips"
        elif isinstance(item, Session | SessionSummary):
            self.columns, self.noun = VIDEO_COLUMNS, "Videos"
        self.table_columns = [column.table_column() for column in self.columns]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-scroll"):
            yield Static(detail_text(self.item, self.clock.now()), id="detail-text")
        if self.columns:
            yield Static(self.noun, id="detail-children-title")
            yield self.new_table("detail-children")
        yield Footer()

    def on_mount(self) -> None:
        if self.columns:
            self._show_item(self.item)
        # Children are read on opening; an item alone only while it is still in flight.
        if self.columns or needs_poll(self.item):
            self.run_worker(self._follow(), group="detail-poll", exclusive=True, exit_on_error=False)

    def _show_item(self, item: Item) -> None:
        # Read again here: the dashboard takes the fresher copy on the way back.
        self._read_again = self._read_again or item is not self.item
        self.item = item
        self.query_one("#detail-text", Static).update(detail_text(item, self.clock.now()))
        if isinstance(item, ClipJob):
            self._show_children(list(item.clips))

    def _show_children(self, children: list[Clip | Video]) -> None:
        self.children_items = children
        now = self.clock.now()
        self.show_rows([(child.id, row_cells(self.columns, child, now)) for child in children])
        title = f"{self.noun} ({len(children)})" if children else f"{self.noun}: none yet"
        self.query_one("#detail-children-title", Static).update(title)
        # Whether `x` applies depends on what the cursor is on.
        self.refresh_bindings()

    def _target(self) -> tuple[Item, ClipJob | None]:
        key = self.cursor_key()
        child = next((child for child in self.children_items if child.id == key), None)
        if child is not None and self.focused is not None and self.focused.id == "detail-children":
            return child, self.item if isinstance(self.item, ClipJob) else None
        return self.item, None

    async def _follow(self) -> None:
        """Re-read the item (and a session's videos) while anything here is still in flight."""
        while True:
            await self._reload_once("refresh failed")
            if not (needs_poll(self.item) or any(needs_poll(child) for child in self.children_items)):
                return
            await asyncio.sleep(self.poll_interval)

    async def _reload_once(self, failed: str) -> bool:
        """Whether the item was read again; why not is told under the title `failed`."""
        item = self.item
        try:
            if isinstance(item, SessionSummary | Session):
                fresh_session = await self.client.sessions.get(item.session_id)
                videos = await self.client.sessions.all_videos(item.session_id)
                self._show_item(fresh_session)
                self._show_children(list(videos))
            else:
                self._show_item(await refetch(self.client, item))
        except NotFoundError:
            self.actions.gone(item, self._removed)
            return False
        except ApiError as error:
            self.notify(str(error), title=failed, severity="error", markup=False)
            return False
        return True

    def action_scroll_fields(self, lines: int) -> None:
        self.query_one("#detail-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_back(self) -> None:
        self.dismiss(DetailOutcome(self.item) if self._read_again else None)

    async def action_refetch(self) -> None:
        target, parent = self._target()
        if (fresh := await self.actions.refetch(target, parent, self._removed)) is None:
            return
        if target is self.item:
            self._show_item(fresh)
        elif parent is not None:
            await self.action_reload()

    async def action_copy_url(self) -> None:
        await self.actions.copy_url(*self._target())

    async def action_download(self) -> None:
        await self.actions.download(*self._target())

    def action_copy_id(self) -> None:
        self.actions.copy_id(self._target()[0])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Not offered where the API has no delete: a clip goes with its job, a session with its videos.
        return not (action == "delete" and delete_plan(self._target()[0]) is None)

    def action_delete(self) -> None:
        self.actions.delete(self._target()[0], self._removed)

    def _removed(self, removed_id: str) -> None:
        if removed_id == self.item.id:
            self.dismiss(DetailOutcome(self.item, deleted=True))
            return
        self._show_children([child for child in self.children_items if child.id != removed_id])

    async def action_reload(self) -> None:
        if await self._reload_once("reload failed"):
            self.notify(f"reloaded {clip(plain(self.item.id), 40)}", markup=False)
