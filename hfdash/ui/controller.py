"""Loads and polls one pane: calls its source, applies changes to the store, shows them in the pane.

Errors reach the screen, which shows them, so a failed page load can be retried with `m`."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from hfdash.api.errors import PaginationError
from hfdash.models import Page, PageHead
from hfdash.services.cache import ItemCache, encode_change
from hfdash.services.kinds import Category, Item, category, created_at
from hfdash.services.sources import MAX_PAGE_SIZE, Source
from hfdash.services.store import PaneStore, StoreChange
from hfdash.ui.panes.base import ResourcePane

_WATCHED = frozenset({Category.IN_FLIGHT, Category.WAITING, Category.UNKNOWN})
# Seconds between the repaints of the rows while `M` loads.
SHOW_EVERY = 1.0
# Seconds between updates of the info line's progress (pages, items, rate) while `M` loads:
# each costs a partial repaint of the screen, several milliseconds with the dashboard full.
COUNT_EVERY = 0.5


@dataclass(slots=True)
class PaneController:
    """Loads, polls and caches one pane's items, and shows each change in its pane."""

    source: Source[Any]
    store: PaneStore[Any]
    pane: ResourcePane[Any]
    page_size: int
    # Told of an item seen reaching a terminal state: its pane, its new state and its title.
    on_transition: Callable[[str, Category, str], None]
    cache: ItemCache
    last_poll: float = 0.0
    last_head: float = 0.0
    last_success: float | None = None
    # Items whose reaching a terminal state is news, kept as changes arrive: walking every item
    # before each page or poll would cost more than the request at a hundred thousand items.
    watched: set[str] = field(default_factory=set)
    # Cached rows are being brought up to date: the first page is being read already.
    syncing: bool = False
    # Changes the cache has yet to hold, encoded, oldest first.
    _unsaved: list[str] = field(default_factory=list, init=False)
    # The last save handed to the cache's thread: while `M` runs, changes wait until it is written.
    _writing: Future[None] | None = field(default=None, init=False)
    # The page `M` has asked for and not yet applied: a second escape drops it.
    _asked: asyncio.Future[Page[Any]] | None = field(default=None, init=False)
    # During `M`: the page after the one awaited, asked for once that one's cursor was read.
    _next_asked: asyncio.Future[Page[Any]] | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        return self.pane.kind

    async def load_first(self) -> None:
        """The first page; after a restart, the cached items at once, then only what can have changed."""
        # No file yet (a first start): nothing to read, and the request goes out without waiting
        # for a thread's answer, which would come back only after the first frame is painted.
        if not self.store.items and self.cache.path.exists():
            # SQLite reads block: a large cache would otherwise hold every key and frame meanwhile.
            cached = await asyncio.to_thread(self.cache.load, self.name)
            if (notice := self.cache.take_notice()) is not None:
                self.pane.notify(notice, title="Cache", severity="warning", markup=False)
            if cached is not None:
                restored = self.store.restore(cached.items, cached.pages, cached.next_token, cached.has_more)
                # Written back unchanged would cost a full rewrite of the cache on every start.
                self._show(restored, persist=False)
                self.pane.set_stale(True)
                # No loading indicator: it would hide the cached rows until the network answered.
                self.syncing = True
                try:
                    await self._guarded(self._sync, shows_loading=False)
                finally:
                    self.syncing = False
                return
        if not self.syncing:
            await self._guarded(self._load_first)

    async def load_next(self) -> None:
        token = self.store.next_token
        if self.store.has_more and token is not None and not self.pane.all_loading:
            await self._guarded(lambda: self._load_next(token))

    async def load_all(self) -> None:
        """Every remaining page, in the largest pages the API serves, until escape stops it. The info
        line counts pages as they arrive; the rows and the cache follow at a bounded rate: repainting
        and writing for every page cost more than the requests at a hundred thousand items."""
        self.pane.all_loading = True
        try:
            await self._guarded(self._load_remaining)
        finally:
            # Ahead of any later change of the same rows: the cache's thread writes in order.
            self._write_unsaved()
            self.pane.all_loading = self.pane.all_stopping = False
            self.pane.progress = None
            self.pane.update_info()
            self.pane.prepare_soon()
            # Once the frame that says so is out.
            self.pane.call_after_paint(_settle_loaded)

    def stop_loading_all(self) -> None:
        """`escape` during `M`: the page on its way is still applied; a second escape drops it, as a
        hung page would hold `M` until its timeout. The cursor stays at the last page applied."""
        if self.pane.all_stopping and self._asked is not None:
            self._asked.cancel()
        self.pane.all_stopping = True
        self.pane.update_info()

    async def _load_remaining(self) -> None:
        """The pages after the store's cursor. Each page's items are parsed and applied once the
        request for the next one is on the wire: cursor paging is sequential, but the server can
        build that page meanwhile."""
        token = self.store.next_token
        if not self.store.has_more or token is None:
            return
        asked: asyncio.Future[Page[Any]] | None = self._ask(token)
        pages = items = 0
        started = last_shown = last_counted = time.monotonic()
        # What was applied to the store since the pane last showed it.
        unshown = StoreChange()
        try:
            while asked is not None:
                self._asked = asked
                try:
                    page = await asked
                except asyncio.CancelledError:
                    current = asyncio.current_task()
                    if current is not None and current.cancelling():
                        raise  # the worker itself is being cancelled, not only the page
                    break
                finally:
                    self._asked = asked = None
                # Asked for as soon as this page's cursor was read, unless it repeats or `M` stops.
                asked, self._next_asked = self._next_asked, None
                page, looped = self._cut_loop(page, token)
                change = self.store.apply_next(self.source.prepare(self.store, page), token)
                self.pane.note(change)
                # Encoded now, while the next page is on its way, rather than in a thread that
                # would hold the interpreter lock as that page arrives.
                self._queue_for_cache(change)
                unshown.merge(change)
                pages += 1
                items += len(page.items)
                if looped:
                    raise self._loop_error()
                now = time.monotonic()
                self.pane.progress = (pages, items, items / max(now - started, 1e-3))
                if now - last_shown >= SHOW_EVERY:
                    last_shown = last_counted = now
                    self._show(unshown, noted=True, persist=False)
                    unshown = StoreChange()
                    self._write_unsaved(batching=True)
                elif now - last_counted >= COUNT_EVERY:
                    last_counted = now
                    self.pane.update_info()
                token = page.next_token or token
        finally:
            for pending in (asked, self._next_asked):
                if pending is not None:
                    pending.cancel()
            self._next_asked = None
            self._show(unshown, noted=True, persist=False)

    def _ask(self, token: str, sent: asyncio.Event | None = None) -> asyncio.Future[Page[Any]]:
        """The page after `token`. Once its cursor is read, and before its items are parsed, the
        page after it is asked for: the server builds that one while this one is parsed and applied."""

        async def ask_after(head: PageHead) -> None:
            following = head.next_token if head.has_more else None
            if following is not None and not self.pane.all_stopping and not self._repeats(following, token):
                self._next_asked = await self._ask_next(following)

        return asyncio.ensure_future(self.source.list(MAX_PAGE_SIZE, token, sent, ask_after))

    async def _ask_next(self, token: str) -> asyncio.Future[Page[Any]]:
        """Sends the request for the page after `token`; returns once it is sent (or has failed)."""
        sent = asyncio.Event()
        asked = self._ask(token, sent)
        gone = asyncio.ensure_future(sent.wait())
        try:
            await asyncio.wait((asked, gone), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            asked.cancel()
            raise
        finally:
            gone.cancel()
        return asked

    async def refresh_head(self) -> None:
        await self._guarded(self._load_first)

    async def poll(self) -> None:
        await self._guarded(self._poll, shows_loading=False)

    async def _poll(self) -> None:
        self._show(await self.source.poll(self.store, self.page_size))
        self.last_poll = time.monotonic()

    def apply_item(self, item: Item) -> None:
        self._show(self.store.upsert(item) if item.id in self.store.items else StoreChange())

    def remove(self, wanted: str) -> None:
        self._show(self.store.remove(wanted))

    async def _load_first(self) -> None:
        page = await self.source.list(limit=self.page_size)
        self._show(self.store.apply_head(self.source.prepare(self.store, page)))
        self.last_head = time.monotonic()
        self.pane.set_stale(False)

    async def _sync(self) -> None:
        """Brings cached items up to date: pages newer than the cached head, then items in flight.
        Terminal items are never re-read: they cannot change, only disappear, as their page shows."""
        known = set(self.store.items)
        page = await self.source.list(limit=self.page_size)
        change = self.store.apply_head(self.source.prepare(self.store, page))
        seen = {item.id for item in page.items}
        index = 1
        while page.has_more and page.next_token is not None and known.isdisjoint(seen):
            token = page.next_token
            page = await self.source.list(limit=MAX_PAGE_SIZE, token=token)
            change.merge(self.store.apply_gap(self.source.prepare(self.store, page), token, index))
            seen.update(item.id for item in page.items)
            index += 1
        # Known items inside the range just read but missing from it were deleted meanwhile.
        reached = min((created_at(item) for item in page.items), default=None) if page.has_more else None
        change.merge(self.store.forget_unseen(known, seen, reached))
        self.last_head = time.monotonic()
        self._show(change)
        await self._poll()
        self.pane.set_stale(False)

    async def _load_next(self, token: str) -> None:
        page, looped = self._cut_loop(await self.source.list(limit=self.page_size, token=token), token)
        self._show(self.store.apply_next(self.source.prepare(self.store, page), token))
        if looped:
            raise self._loop_error()

    def _cut_loop(self, page: Page[Any], token: str) -> tuple[Page[Any], bool]:
        """The page, made the last where it names a cursor already followed, and whether it did:
        following it again would re-read the same pages forever (`M` would never end)."""
        nxt = page.next_token
        if page.has_more and nxt is not None and self._repeats(nxt, token):
            return Page(page.items, has_more=False, next_token=None), True
        return page, False

    def _repeats(self, following: str, token: str) -> bool:
        return following == token or self.store.followed(following)

    def _loop_error(self) -> PaginationError:
        return PaginationError(f"the {self.pane.label} list repeated a cursor; stopped loading more")

    async def _guarded(self, step: Callable[[], Awaitable[None]], *, shows_loading: bool = True) -> None:
        # Background polls do not mark the pane busy, so `m` is never ignored because of them.
        if shows_loading:
            self.pane.loading = True
            self.pane.update_info()
        try:
            await step()
        except Exception as error:
            self.pane.error = str(error) or type(error).__name__
            raise
        else:
            self.pane.error = None
            self.last_success = time.monotonic()
        finally:
            if shows_loading:
                self.pane.loading = False
            self.pane.update_info()

    def _write_unsaved(self, *, batching: bool = False) -> None:
        """Hands the queued changes, and the paging as of them, to the cache's thread. While `M` runs
        (`batching`), they wait as long as the last batch is being written and then go as one: a
        write a page would cost more than the requests."""
        if batching and self._writing is not None and not self._writing.done():
            return
        unsaved, self._unsaved, store = self._unsaved, [], self.store
        self._writing = self.cache.save_soon(
            self.name, unsaved, (list(store.pages), store.next_token, store.has_more)
        )

    def write_queued(self) -> None:
        """Hands the changes not yet written to the cache's thread. Asked once per change shown before
        the frame, and as the dashboard closes: a change not written by then would be lost."""
        if self._unsaved:
            self._write_unsaved()

    def _show(self, change: StoreChange, *, persist: bool = True, noted: bool = False) -> None:
        if not noted:
            self.pane.note(change)
        self.pane.show(change)
        if change and persist:
            self._persist(change)
        items, watched = self.store.items, self.watched
        for changed in change.updated:
            item = items.get(changed)
            # Only a change seen happening is news; a first read of a session's status is not.
            if item is not None and changed in watched:
                now = category(item)
                if now in (Category.COMPLETED, Category.FAILED):
                    self.on_transition(self.name, now, item.title or item.id)
        for key in change.touched():
            item = items.get(key)
            if item is not None and category(item) in _WATCHED:
                watched.add(key)
            else:
                watched.discard(key)

    def _persist(self, change: StoreChange) -> None:
        self._queue_for_cache(change)
        # While `M` runs, its batches carry the change; else it goes after the frame that shows it,
        # so the rows come first.
        if not self.pane.all_loading:
            self.pane.call_after_refresh(self.write_queued)

    def _queue_for_cache(self, change: StoreChange) -> None:
        if change:
            self._unsaved.append(encode_change(self.store.items, change.touched()))


def _settle_loaded() -> None:
    """Sets what `M` loaded aside from the collector's full passes: each walks every object alive,
    about 400 ms with a hundred thousand items loaded, and a keystroke that met one waited for it.
    No collection first: it would be one such pass, at once. The cyclic garbage alive then stays,
    which is little: a page's objects are freed by their reference counts."""
    gc.freeze()
