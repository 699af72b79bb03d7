"""Copy, re-fetch, download and delete on one item (dashboard and detail) or on a pane's marked items.

Each action captures its items as they were when its key was pressed, so a table that reorders
meanwhile can never redirect it to another row, and a DELETE is only sent for an item the
confirmation named."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from hfdash.api.errors import ApiError, NotFoundError
from hfdash.api.log import redact_url
from hfdash.models import Clip, ClipJob, Render, Session, SessionSummary, Video
from hfdash.services.actions import (
    ClipGone,
    DeleteOutcome,
    delete_item,
    delete_plan,
    fresh_video_url,
    refetch,
)
from hfdash.services.downloads.manager import DownloadManager
from hfdash.services.downloads.plan import Kind, Target, Variant
from hfdash.services.kinds import Category, Item, category, failure_message
from hfdash.ui.format import clip, counted, plain

if TYPE_CHECKING:
    from hfdash.api.client import HeyGenClient
    from hfdash.services.bulk import BulkDelete
    from hfdash.ui.panes.base import ResourcePane

# Told the id of an item the server no longer has.
Removed = Callable[[str], None]
_KIND_NOUN = {Render: "render", ClipJob: "clip job", Clip: "clip", Video: "video"}


def file_target(item: Item) -> Target | None:
    """What `d` downloads for a marked item, or None when it has no file."""
    if isinstance(item, Render) and category(item) is Category.COMPLETED:
        return Target(Kind.RENDER, item.render_id)
    if isinstance(item, ClipJob) and any(one.video_url for one in item.clips):
        return Target(Kind.CLIP_JOB, item.id)
    if isinstance(item, Session) and item.video_id and category(item) is Category.COMPLETED:
        return Target(Kind.VIDEO, item.video_id)
    return None


def _named(item: Item) -> str:
    """`render hfr_1`."""
    return f"{_KIND_NOUN.get(type(item), 'session')} {clip(plain(item.id), 40)}"


def _has_url(item: Item) -> bool:
    if isinstance(item, ClipJob):
        return any(one.video_url for one in item.clips)
    return bool(getattr(item, "video_url", None))


class ItemActions:
    """What keys do to items: toasts on `screen`, requests through `client`, files through `downloads`."""

    # The delete of marked items running now: one at a time, so no item goes twice.
    bulk: BulkDelete | None = None

    def __init__(self, screen: Screen[Any], client: HeyGenClient, downloads: DownloadManager) -> None:
        self.screen = screen
        self.client = client
        self.downloads = downloads

    def _toast(self, message: str, *, error: bool = False, title: str = "") -> None:
        # Server text may hold Rich markup: toasts that quote it are never parsed as markup.
        self.screen.notify(message, title=title, severity="error" if error else "information", markup=False)

    async def download(self, item: Item, parent: ClipJob | None = None) -> None:
        """`d`: a render's video, every clip of a job, one clip, or a session video's chosen file."""
        if isinstance(item, Video):
            await self._choose_variant(item.id)
            return
        if isinstance(item, Session | SessionSummary):
            try:
                session = await self.client.sessions.get(item.session_id)
            except ApiError as error:
                self._toast(str(error), error=True, title="could not read the session")
                return
            if session.video_id is None:
                if not self._said_failed(session):
                    self._toast("this session has no video yet", error=True)
                return
            await self._choose_variant(session.video_id, session)
            return
        # A failed job's completed clips can still be fetched; a failed render or clip has nothing.
        has_clips = isinstance(item, ClipJob) and any(c.video_url for c in item.clips)
        if not has_clips and (self._said_failed(item) or self._said_not_ready(item)):
            return
        # The status line counts a download at once; its one toast comes when it ends.
        if isinstance(item, Render):
            self.downloads.submit(Target(Kind.RENDER, item.render_id))
        elif isinstance(item, ClipJob):
            self.downloads.submit(Target(Kind.CLIP_JOB, item.id))
        elif parent is not None:
            self.downloads.submit(Target(Kind.CLIP_JOB, parent.id, clip_id=item.id))

    async def _choose_variant(self, video_id: str, session: Session | None = None) -> None:
        try:
            video = await self.client.videos.get(video_id)
        except ApiError as error:
            self._toast(str(error), error=True, title="could not read the video")
            return
        from hfdash.ui.modals import VariantMenu, available_variants

        variants = available_variants(video)
        if not variants:
            if not (self._said_failed(video) or (session is not None and self._said_failed(session))):
                self._toast(f"video {clip(plain(video_id), 40)} has no file to download yet", error=True)
            return

        def chosen(variant: Variant | None) -> None:
            if variant is not None:
                self.downloads.submit(Target(Kind.VIDEO, video_id, variant))

        self.screen.app.push_screen(VariantMenu(video, variants), chosen)

    def _said_failed(self, item: Item) -> bool:
        """A failed item will never have a file: say so and why (`render hfr_1 failed: out of credits`)."""
        state = category(item)
        if state not in (Category.FAILED, Category.CANCELLED):
            return False
        verb = "was cancelled" if state is Category.CANCELLED else "failed"
        why = plain(failure_message(item)) or "the server gave no reason"
        self._toast(f"{_named(item)} {verb}: {clip(why, 200)}", error=True)
        return True

    def _said_not_ready(self, item: Item) -> bool:
        """Still in flight: no file yet, and no Downloads row that could only fail."""
        if category(item) not in (Category.IN_FLIGHT, Category.WAITING):
            return False
        status = clip(plain(item.status_raw) or "in flight", 30)
        self._toast(f"{_named(item)} is {status}: no file yet (d again once done)")
        return True

    def copy_id(self, item: Item) -> None:
        self.screen.app.copy_to_clipboard(item.id)
        self._toast(f"copied id {clip(plain(item.id), 60)}")

    async def copy_url(self, item: Item, parent: ClipJob | None = None) -> None:
        if isinstance(item, ClipJob) and parent is None:
            self._toast("a clip job has no single video: press enter and copy a clip's URL", error=True)
            return
        try:
            url = await fresh_video_url(self.client, item, parent)
        except (ApiError, ClipGone) as error:
            self._toast(str(error), error=True, title="could not fetch a fresh URL")
            return
        if not url:
            if not self._said_failed(item):
                self._toast(f"{clip(plain(item.id), 40)} has no video URL yet", error=True)
            return
        self.screen.app.copy_to_clipboard(url)
        self._toast(f"copied a fresh video URL: {clip(plain(redact_url(url)), 60)}?…")

    async def refetch(
        self, item: Item, parent: ClipJob | None = None, on_removed: Removed | None = None
    ) -> Item | None:
        try:
            fresh = await refetch(self.client, item, parent)
        except (ApiError, ClipGone) as error:
            if isinstance(error, NotFoundError) and on_removed is not None and parent is None:
                self.gone(item, on_removed)
            else:
                self._toast(str(error), error=True, title=f"could not re-read {clip(plain(item.id), 30)}")
            return None
        urls = "URLs are fresh" if _has_url(fresh) else f"{clip(plain(fresh.status_raw), 30)}, no file URL"
        self._toast(f"re-read {clip(plain(fresh.id), 40)}: {urls}")
        return fresh

    def gone(self, item: Item, on_removed: Removed) -> None:
        """The server answered 404 for `item`: deleted elsewhere, so it leaves the list."""
        self._toast(f"{_named(item)} is gone (deleted elsewhere); removed from the list")
        on_removed(item.id)

    def delete(self, item: Item, on_removed: Removed) -> None:
        if (plan := delete_plan(item)) is None:
            self._toast(
                "the API offers no delete for this item; open a session (enter) to delete its videos",
                error=True,
            )
            return
        from hfdash.ui.modals import ConfirmDelete

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.screen.run_worker(self._delete(item, on_removed), group="delete", exit_on_error=False)
            else:
                self._toast("delete cancelled")

        self.screen.app.push_screen(ConfirmDelete(item, plan), answered)

    async def _delete(self, target: Item, on_removed: Removed) -> None:
        label = clip(plain(target.id), 40)
        try:
            outcome = await delete_item(self.client, target)
        except ApiError as error:
            self._toast(str(error), error=True, title=f"delete of {label} failed; nothing changed")
            return
        on_removed(target.id)
        if outcome is DeleteOutcome.ALREADY_GONE:
            self._toast(f"{label} was already gone (deleted elsewhere); removed from the list")
        else:
            self._toast(f"deleted {label}")

    def copy_ids(self, items: list[Item]) -> None:
        self.screen.app.copy_to_clipboard("\n".join(item.id for item in items))
        self._toast(f"copied {counted(len(items), 'id')}, one per line")

    async def copy_urls(self, items: list[Item]) -> None:
        async def fresh(item: Item) -> str | None:
            if isinstance(item, ClipJob):
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

    def download_marked(self, items: list[Item]) -> None:
        targets = [target for target in map(file_target, items) if target is not None]
        for target in targets:
            self.downloads.submit(target)
        missing = len(items) - len(targets)
        where = f" → {self.downloads.destination}  (D shows progress)"
        words = f"downloading {len(targets)}{where}" if targets else "nothing to download"
        self._toast(words + (f"; {missing} had no file" if missing else ""), error=not targets)

    def delete_marked(self, items: list[Item], pane: ResourcePane[Any], on_removed: Removed) -> None:
        if self.bulk is not None:
            self._toast("a delete is still running (escape stops it)", error=True)
            return
        planned = [(item, plan) for item in items if (plan := delete_plan(item)) is not None]
        if not planned:
            self._toast("the API offers no delete for these items", error=True)
            return
        from hfdash.ui.modals import ConfirmBulkDelete

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._start_bulk([item for item, _plan in planned], pane, on_removed)
            else:
                self._toast("delete cancelled")

        self.screen.app.push_screen(ConfirmBulkDelete(planned, len(items) - len(planned)), answered)

    def _start_bulk(self, items: list[Item], pane: ResourcePane[Any], on_removed: Removed) -> None:
        from hfdash.services.bulk import BulkDelete

        def step(key: str | None = None, outcome: DeleteOutcome | None = None) -> None:
            if key is not None and outcome is not None:
                on_removed(key)
            pane.deleting = (bulk.done, bulk.total)
            pane.update_info()

        self.bulk = bulk = BulkDelete(self.client, items, step)
        step()

        async def run() -> None:
            try:
                await bulk.run()
            finally:
                self.bulk = pane.deleting = None
                pane.update_info()
                self._toast(bulk.summary(), error=bool(bulk.failed))

        self.screen.run_worker(run(), group="bulk-delete", exit_on_error=False)

    def stop_bulk(self, pane: ResourcePane[Any]) -> bool:
        """Stops the delete of marked items running on `pane`, if one is: what is not sent yet stays."""
        if self.bulk is None or pane.deleting is None or self.bulk.cancelled:
            return False
        self.bulk.cancel()
        self._toast(f"stopping: {self.bulk.not_sent} not sent, {len(self.bulk.in_flight)} finishing")
        return True
