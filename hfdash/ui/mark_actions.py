"""`x`, `d`, `y` and `c` on the marked items of a pane: one confirmation, one background delete.

Each action takes the marked items as they were when its key was pressed: a DELETE is only
ever sent for an item the confirmation named.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from hfdash import models
from hfdash.api.errors import ApiError
from hfdash.models import Render
from hfdash.services.actions import ClipGone, DeleteOutcome, DeletePlan, delete_plan, fresh_video_url
from hfdash.services.bulk import BulkDelete
from hfdash.services.downloads.plan import Kind, Target
from hfdash.services.kinds import Category, Item, category, item_id
from hfdash.ui.modals.confirmation import counted

if TYPE_CHECKING:
    from hfdash.api.client import HeyGenClient
    from hfdash.services.downloads.manager import DownloadManager
    from hfdash.ui.panes.base import ResourcePane


def file_target(item: Item) -> Target | None:
    """What `d` downloads for a marked item, or None when it has no file."""
    if isinstance(item, Render) and category(item) is Category.COMPLETED:
        return Target(Kind.RENDER, item.render_id)
    if isinstance(item, models.ClipJob) and any(clip.video_url for clip in item.clips):
        return Target(Kind.CLIP_JOB, item.id)
    if isinstance(item, models.Session) and item.video_id and category(item) is Category.COMPLETED:
        return Target(Kind.VIDEO, item.video_id)
    return None


class MarkActions:
    def __init__(self, screen: Screen[Any], client: HeyGenClient, downloads: DownloadManager) -> None:
        self.screen = screen
        self.client = client
        self.downloads = downloads
        # The delete running now, and the pane it runs on: one at a time, so no item goes twice.
        self.bulk: BulkDelete | None = None
        self.bulk_pane: ResourcePane[Any] | None = None

    def _toast(self, message: str, *, error: bool = False) -> None:
        # Server text may hold Rich markup: toasts that quote it are never parsed as markup.
        self.screen.notify(message, severity="error" if error else "information", markup=False)

    def copy_ids(self, items: list[Item]) -> None:
        self.screen.app.copy_to_clipboard("\n".join(item_id(item) for item in items))
        self._toast(f"copied {counted(len(items), 'id')}, one per line")

    async def copy_urls(self, items: list[Item]) -> None:
        async def fresh(item: Item) -> str | None:
            if isinstance(item, models.ClipJob):
                return None
            try:
                return await fresh_video_url(self.client, item)
            except (ApiError, ClipGone):
                return None

        urls = [url for url in await asyncio.gather(*(fresh(item) for item in items)) if url]
        if urls:
            self.screen.app.copy_to_clipboard("\n".join(urls))
        missing = len(items) - len(urls)
        words = f"copied {counted(len(urls), 'fresh video URL')}, one per line"
        self._toast(words + (f"; {missing} had none" if missing else ""), error=not urls)

    def download(self, items: list[Item]) -> None:
        targets = [target for target in map(file_target, items) if target is not None]
        for target in targets:
            self.downloads.submit(target)
        missing = len(items) - len(targets)
        words = f"downloading {len(targets)} → {self.downloads.destination}  (D shows progress)"
        if not targets:
            words = "nothing to download"
        self._toast(words + (f"; {missing} had no file" if missing else ""), error=not targets)

    def delete(self, items: list[Item], pane: ResourcePane[Any], on_removed: Callable[[str], None]) -> None:
        if self.bulk is not None:
            self._toast("a delete is still running (escape stops it)", error=True)
            return
        planned: list[tuple[Item, DeletePlan]] = []
        for item in items:
            plan = delete_plan(item)
            if plan is not None:
                planned.append((item, plan))
        if not planned:
            self._toast("the API offers no delete for these items", error=True)
            return
        from hfdash.ui.modals.confirmation import ConfirmBulkDelete

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._start([item for item, _plan in planned], pane, on_removed)
            else:
                self._toast("delete cancelled")

        self.screen.app.push_screen(ConfirmBulkDelete(planned, len(items) - len(planned)), answered)

    def _start(self, items: list[Item], pane: ResourcePane[Any], on_removed: Callable[[str], None]) -> None:
        def step(key: str, outcome: DeleteOutcome | None) -> None:
            if outcome is not None:
                on_removed(key)
            pane.deleting = (bulk.done, bulk.total)
            pane.update_info()

        bulk = BulkDelete(self.client, items, step)
        self.bulk, self.bulk_pane = bulk, pane
        pane.deleting = (0, bulk.total)
        pane.update_info()

        async def run() -> None:
            try:
                await bulk.run()
            finally:
                self.bulk = self.bulk_pane = None
                pane.deleting = None
                pane.update_info()
                self._toast(bulk.summary(), error=bool(bulk.failed))

        self.screen.run_worker(run(), group="bulk-delete", exit_on_error=False)

    def stop(self, pane: ResourcePane[Any]) -> bool:
        """Stops the delete running on `pane`, if one is: what is not sent yet stays."""
        if self.bulk is None or self.bulk_pane is not pane or self.bulk.cancelled:
            return False
        self.bulk.cancel()
        self._toast(f"stopping: {self.bulk.not_sent} not sent, {len(self.bulk.in_flight)} finishing")
        return True
