"""One thin class per resource kind: a path and a parser, nothing else (contract §1).

Resources depend on the Requester protocol, not on HeyGenClient, so client.py can build them
without the two modules importing each other (the shape of anthropic-sdk-python's `_resource.py`).
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Generic, Protocol, TypeVar

from hfdash import models
from hfdash.api.errors import PaginationError, shaped
from hfdash.api.log import short_hash
from hfdash.api.paths import segment
from hfdash.models import ClipJob, Page, PageHead, Render, Session, SessionSummary, Video, VideoDeleted

T = TypeVar("T")
Params = Mapping[str, str | int]
# Awaited with a list page's cursor before its items are parsed (`M` asks for the next page then).
CursorRead = Callable[[PageHead], Awaitable[None]]


class Requester(Protocol):
    async def _request(
        self,
        method: str,
        path: str,
        parse: Callable[[object], T],
        *,
        params: Params | None = None,
        sent: asyncio.Event | None = None,
    ) -> T:
        """`parse` of the answer to `method path?params`, retried as policy allows; `sent` set once sent."""


async def iterate_pages(
    fetch: Callable[[str | None], Awaitable[Page[T]]], *, what: str = "list"
) -> AsyncIterator[Page[T]]:
    """Each page, following `next_token` (contract §5). As in the hyperframes CLI, `has_more` without a
    token or a token seen before is a PaginationError, not a loop; the page showing it still comes first."""
    seen: set[str] = set()
    token: str | None = None
    while True:
        page = await fetch(token)
        yield page
        if not page.has_more:
            return
        token = page.next_token
        if not token:
            raise PaginationError(f"the {what} says there is more, but gave no next_token")
        if token in seen:
            raise PaginationError(
                f"the {what} repeated a next_token ({short_hash(token)}); stopped to avoid a loop"
            )
        seen.add(token)


class _Resource:
    PATH = ""

    def __init__(self, client: Requester) -> None:
        self._client = client

    async def _page(
        self,
        path: str,
        parse_item: Callable[[object, str], T],
        limit: int | None,
        token: str | None,
        sent: asyncio.Event | None = None,
        cursor_read: CursorRead | None = None,
    ) -> Page[T]:
        params = {key: value for key, value in (("limit", limit), ("token", token)) if value is not None}
        head = await self._client._request("GET", path, models.parse.parse_head, params=params, sent=sent)
        if cursor_read is not None:
            await cursor_read(head)
        return shaped("GET", path, lambda: models.parse.parse_items(head, parse_item))

    async def _one(self, method: str, item_id: str, parse: Callable[[object], T]) -> T:
        path = f"{self.PATH}/{segment(item_id)}"
        return await self._client._request(method, path, lambda body: parse(models.parse.unwrap_data(body)))


class _Listed(_Resource, Generic[T]):
    parse_listed: Callable[[object, str], T]

    async def list(
        self,
        limit: int | None = None,
        token: str | None = None,
        sent: asyncio.Event | None = None,
        cursor_read: CursorRead | None = None,
    ) -> Page[T]:
        return await self._page(self.PATH, self.parse_listed, limit, token, sent, cursor_read)


class RendersResource(_Listed[Render]):
    """Each listed render has LISTED_URL where it has a URL: `get` returns the URLs."""

    PATH = "/v3/hyperframes/renders"
    parse_listed = staticmethod(models.renders.parse_listed_render)

    async def get(self, render_id: str) -> Render:
        return await self._one("GET", render_id, models.renders.parse_render)

    async def delete(self, render_id: str) -> str:
        return await self._one("DELETE", render_id, models.renders.parse_render_deleted)


class ClipJobsResource(_Listed[ClipJob]):
    PATH = "/v3/ai-clipping"
    parse_listed = staticmethod(models.clips.parse_clip_job)

    async def get(self, job_id: str) -> ClipJob:
        return await self._one("GET", job_id, models.clips.parse_clip_job)

    async def delete(self, job_id: str) -> str:
        return await self._one("DELETE", job_id, models.clips.parse_clip_job_deleted)


class SessionsResource(_Listed[SessionSummary]):
    PATH = "/v3/video-agents"
    parse_listed = staticmethod(models.agents.parse_session_summary)

    async def get(self, session_id: str) -> Session:
        return await self._one("GET", session_id, models.agents.parse_session)

    async def videos(self, session_id: str, token: str | None = None) -> Page[Video]:
        """No query parameters are documented here; a token is sent only if the server gave one."""
        return await self._page(
            f"{self.PATH}/{segment(session_id)}/videos", models.agents.parse_video, None, token
        )

    async def all_videos(self, session_id: str) -> builtins.list[Video]:
        pages = iterate_pages(lambda token: self.videos(session_id, token), what="session video list")
        return [video async for page in pages for video in page.items]


class VideosResource(_Resource):
    PATH = "/v3/videos"

    async def get(self, video_id: str) -> Video:
        return await self._one("GET", video_id, models.agents.parse_video)

    async def delete(self, video_id: str) -> VideoDeleted:
        return await self._one("DELETE", video_id, models.agents.parse_video_deleted)
