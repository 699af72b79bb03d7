"""How each pane loads pages and keeps its items in flight current, spending few requests.

- Renders: re-read only the list pages that hold renders in flight, one request a page, never one GET
  per render; at most MAX_POLLED_PAGES a cycle, or after `M` over a long history renders left in flight
  deep in it would cost a request per page every cycle. The first page every cycle; deeper ones take turns.
- Clip jobs: one GET per job in flight, because only GET reports granular progress.
- Sessions: the list carries no status, so each listed session is read once by id; terminal ones are
  kept, only those still running are read again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar, cast

from hfdash.api.client import HeyGenClient
from hfdash.api.errors import ApiError, NotFoundError
from hfdash.api.resources import CursorRead
from hfdash.models import Page, Render, Session, SessionSummary
from hfdash.services.kinds import Item
from hfdash.services.store import PaneStore, StoreChange

T = TypeVar("T", bound=Item)
# The largest page the list endpoints serve.
MAX_PAGE_SIZE = 100
# Pages of renders re-read in one poll cycle, at most.
MAX_POLLED_PAGES = 4


class _Resource(Protocol[T]):
    async def list(
        self,
        limit: int | None = None,
        token: str | None = None,
        sent: asyncio.Event | None = None,
        cursor_read: CursorRead | None = None,
    ) -> Page[T]: ...

    async def get(self, item_id: str, /) -> T: ...


class Source(Generic[T]):
    """What a pane needs from the API: as it stands (clip jobs), a kind listed and read by id as it
    is, polled with one GET per item in flight."""

    def __init__(self, resource: _Resource[T]) -> None:
        self._resource = resource
        # A page after `token`: `sent` is set once its request is on the wire, `cursor_read` is
        # awaited with its cursor before its items are parsed.
        self.list = resource.list

    def prepare(self, store: PaneStore[T], page: Page[T]) -> Page[T]:
        return page

    async def poll(self, store: PaneStore[T], limit: int) -> StoreChange:
        """GETs each item in flight at once (the client's limiter bounds how many); a 404 removes it."""
        change = StoreChange()

        async def one(wanted: str) -> None:
            try:
                item = await self._resource.get(wanted)
            except NotFoundError:
                change.merge(store.remove(wanted))
                return
            if wanted in store.items:
                change.merge(store.upsert(item))

        results = await asyncio.gather(*(one(key) for key in list(store.pending)), return_exceptions=True)
        # An error that is no API error goes first: it is a bug, not a failed request.
        if errors := [found for found in results if found is not None]:
            raise min(errors, key=lambda error: isinstance(error, ApiError))
        return change


class RendersSource(Source[Render]):
    def __init__(self, client: HeyGenClient) -> None:
        super().__init__(client.renders)
        # The deepest page the last cycle re-read: the next cycle carries on after it.
        self._polled_to = 0

    async def poll(self, store: PaneStore[Render], limit: int) -> StoreChange:
        change = StoreChange()
        chosen = pages_this_cycle(store.pages_pending(), self._polled_to, MAX_POLLED_PAGES)
        if chosen:
            self._polled_to = chosen[-1]
        for index in chosen:
            record = store.pages[index]
            # A page loaded by `M` holds 100 items: re-read all of it, not the first page_size.
            size = min(max(limit, len(record.ids)), MAX_PAGE_SIZE)
            page = await self._resource.list(limit=size, token=record.token)
            change.merge(store.apply_refresh(page, index))
        return change


def pages_this_cycle(holding: Sequence[int], polled_to: int, most: int) -> list[int]:
    """Which of the pages `holding` items in flight to re-read now, at most `most`; the last is the
    deepest of this turn. The first page always, where new work appears; then the deeper ones in
    turn, starting after `polled_to` and wrapping round, so every page is re-read within a few cycles."""
    if len(holding) <= most:
        return list(holding)
    head = [0] if holding[0] == 0 else []
    deeper = [index for index in holding if index != 0]
    start = next((n for n, index in enumerate(deeper) if index > polled_to), 0)
    turn = (deeper[start:] + deeper[:start])[: most - len(head)]
    return head + turn


class SessionsSource(Source[Session | SessionSummary]):
    def __init__(self, client: HeyGenClient) -> None:
        # Pages are read-only: a page of summaries is a page of sessions or summaries.
        super().__init__(cast("_Resource[Session | SessionSummary]", client.sessions))

    def prepare(
        self, store: PaneStore[Session | SessionSummary], page: Page[Session | SessionSummary]
    ) -> Page[Session | SessionSummary]:
        """Keep a session's fetched detail when a list page brings back only its summary."""
        kept: list[Session | SessionSummary] = []
        for item in page.items:
            known = store.items.get(item.id)
            summary = isinstance(item, SessionSummary)
            kept.append(known if summary and isinstance(known, Session) else item)
        return Page(items=tuple(kept), has_more=page.has_more, next_token=page.next_token)
