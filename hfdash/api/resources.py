"""One thin class per resource kind: a path and a parser, nothing else (contract §1).

Resources depend on the Requester protocol, not on HeyGenClient, so client.py can build them
without the two modules importing each other (the shape of anthropic-sdk-python's `_resource.py`).
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Awaitable, Callable, Mapping
from typing import Generic, Protocol, TypeVar

from hfdash import models
from hfdash.api import responses
from hfdash.api.pages import iterate_pages
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
        """Send `method path?params`, retrying as the policy allows; the parsed body or a typed error.

        `sent` is set once the request is on the wire.
        """
        ...


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
        params: dict[str, str | int] = {} if limit is None else {"limit": limit}
        if token is not None:
            params["token"] = token
        if cursor_read is None:
            return await self._client._request(
                "GET", path, lambda body: models.parse_page(body, parse_item), params=params, sent=sent
            )
        head = await self._client._request("GET", path, models.parse_head, params=params, sent=sent)
        await cursor_read(head)
        return responses.shaped("GET", path, lambda: models.parse_items(head, parse_item))

    async def _one(self, method: str, item_id: str, parse: Callable[[object], T]) -> T:
        """`method` on one item by id; single-resource answers come wrapped in `{"data": ...}`."""
        path = f"{self.PATH}/{segment(item_id)}"
        return await self._client._request(method, path, lambda body: parse(models.unwrap_data(body)))


class _Listed(_Resource, Generic[T]):
    """A kind the API lists in pages, each item read by `parse_listed`."""

    def __init__(self, client: Requester, parse_listed: Callable[[object, str], T]) -> None:
        super().__init__(client)
        self._parse_listed = parse_listed

    async def list(
        self,
        limit: int | None = None,
        token: str | None = None,
        sent: asyncio.Event | None = None,
        cursor_read: CursorRead | None = None,
    ) -> Page[T]:
        return await self._page(self.PATH, self._parse_listed, limit, token, sent, cursor_read)


class RendersResource(_Listed[Render]):
    """Each listed render has LISTED_URL where it has a URL: `get` returns the URLs."""

    PATH = "/v3/hyperframes/renders"

    def __init__(self, client: Requester) -> None:
        super().__init__(client, models.parse_listed_render)

    async def get(self, render_id: str) -> Render:
        return await self._one("GET", render_id, models.parse_render)

    async def delete(self, render_id: str) -> str:
        return await self._one("DELETE", render_id, models.parse_render_deleted)


class ClipJobsResource(_Listed[ClipJob]):
    PATH = "/v3/ai-clipping"

    def __init__(self, client: Requester) -> None:
        super().__init__(client, models.parse_clip_job)

    async def get(self, job_id: str) -> ClipJob:
        return await self._one("GET", job_id, models.parse_clip_job)

    async def delete(self, job_id: str) -> str:
        return await self._one("DELETE", job_id, models.parse_clip_job_deleted)


class SessionsResource(_Listed[SessionSummary]):
    PATH = "/v3/video-agents"

    def __init__(self, client: Requester) -> None:
        super().__init__(client, models.parse_session_summary)

    async def get(self, session_id: str) -> Session:
        return await self._one("GET", session_id, models.parse_session)

    async def videos(self, session_id: str, token: str | None = None) -> Page[Video]:
        """No query parameters are documented here; a token is sent only if the server gave one."""
        return await self._page(f"{self.PATH}/{segment(session_id)}/videos", models.parse_video, None, token)

    async def all_videos(self, session_id: str) -> builtins.list[Video]:
        pages = iterate_pages(lambda token: self.videos(session_id, token), what="session video list")
        return [video async for page in pages for video in page.items]


class VideosResource(_Resource):
    PATH = "/v3/videos"

    async def get(self, video_id: str) -> Video:
        return await self._one("GET", video_id, models.parse_video)

    async def delete(self, video_id: str) -> VideoDeleted:
        return await self._one("DELETE", video_id, models.parse_video_deleted)
