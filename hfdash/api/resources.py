"""One thin class per resource kind: a path and a parser, nothing else (contract §1)."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import TypeVar

from hfdash import models
from hfdash.api.base import Requester
from hfdash.api.pages import iterate_pages
from hfdash.api.paths import build_path
from hfdash.models import (
    ClipJob,
    Page,
    Render,
    Session,
    SessionSummary,
    Video,
    VideoDeleted,
    parse_page,
    unwrap_data,
)

T = TypeVar("T")


def _list_params(limit: int | None, token: str | None) -> dict[str, str | int]:
    params: dict[str, str | int] = {}
    if limit is not None:
        params["limit"] = limit
    if token is not None:
        params["token"] = token
    return params


class _Resource:
    def __init__(self, client: Requester) -> None:
        self._client = client

    async def _page(
        self, path: str, parse_item: Callable[[object, str], T], limit: int | None, token: str | None
    ) -> Page[T]:
        parse = partial(parse_page, parse_item=parse_item)
        return await self._client._request("GET", path, parse, params=_list_params(limit, token))

    async def _one(self, method: str, template: str, item_id: str, parse: Callable[[object], T]) -> T:
        """`method` on one item by id; single-resource answers come wrapped in `{"data": ...}`."""
        path = build_path(template, item_id)
        return await self._client._request(method, path, lambda body: parse(unwrap_data(body)))


class RendersResource(_Resource):
    LIST_PATH = "/v3/hyperframes/renders"
    _ONE = "/v3/hyperframes/renders/{}"

    async def list(self, limit: int | None = None, token: str | None = None) -> Page[Render]:
        """A page of renders, each with LISTED_URL where it has a URL: `get` returns the URLs."""
        return await self._page(self.LIST_PATH, models.parse_listed_render, limit, token)

    def pages(self, limit: int | None = None) -> AsyncIterator[Page[Render]]:
        return iterate_pages(lambda token: self.list(limit, token), what="render list")

    async def get(self, render_id: str) -> Render:
        return await self._one("GET", self._ONE, render_id, models.parse_render)

    async def delete(self, render_id: str) -> str:
        return await self._one("DELETE", self._ONE, render_id, models.parse_render_deleted)


class ClipJobsResource(_Resource):
    LIST_PATH = "/v3/ai-clipping"
    _ONE = "/v3/ai-clipping/{}"

    async def list(self, limit: int | None = None, token: str | None = None) -> Page[ClipJob]:
        return await self._page(self.LIST_PATH, models.parse_clip_job, limit, token)

    def pages(self, limit: int | None = None) -> AsyncIterator[Page[ClipJob]]:
        return iterate_pages(lambda token: self.list(limit, token), what="clip job list")

    async def get(self, job_id: str) -> ClipJob:
        return await self._one("GET", self._ONE, job_id, models.parse_clip_job)

    async def delete(self, job_id: str) -> str:
        return await self._one("DELETE", self._ONE, job_id, models.parse_clip_job_deleted)


class SessionsResource(_Resource):
    LIST_PATH = "/v3/video-agents"
    _ONE = "/v3/video-agents/{}"
    _VIDEOS = "/v3/video-agents/{}/videos"

    async def list(self, limit: int | None = None, token: str | None = None) -> Page[SessionSummary]:
        return await self._page(self.LIST_PATH, models.parse_session_summary, limit, token)

    def pages(self, limit: int | None = None) -> AsyncIterator[Page[SessionSummary]]:
        return iterate_pages(lambda token: self.list(limit, token), what="session list")

    async def get(self, session_id: str) -> Session:
        return await self._one("GET", self._ONE, session_id, models.parse_session)

    async def videos(self, session_id: str, token: str | None = None) -> Page[Video]:
        """No query parameters are documented here; a token is sent only if the server gave one."""
        return await self._page(build_path(self._VIDEOS, session_id), models.parse_video, None, token)

    async def all_videos(self, session_id: str) -> builtins.list[Video]:
        videos: builtins.list[Video] = []
        async for page in iterate_pages(
            lambda token: self.videos(session_id, token), what="session video list"
        ):
            videos.extend(page.items)
        return videos


class VideosResource(_Resource):
    _ONE = "/v3/videos/{}"

    async def get(self, video_id: str) -> Video:
        return await self._one("GET", self._ONE, video_id, models.parse_video)

    async def delete(self, video_id: str) -> VideoDeleted:
        return await self._one("DELETE", self._ONE, video_id, models.parse_video_deleted)
