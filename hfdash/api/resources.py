"""One thin class per resource kind: a path and a parser, nothing else (contract §1)."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator
from functools import partial
from typing import TYPE_CHECKING

from hfdash import models
from hfdash.api.base import Requester
from hfdash.api.pages import iterate_pages
from hfdash.api.paths import build_path
from hfdash.models import (
    Page,
    Render,
    parse_listed_render,
    parse_page,
    parse_render,
    parse_render_deleted,
    unwrap_data,
)

if TYPE_CHECKING:
    from hfdash.models import ClipJob, Session, SessionSummary, Video, VideoDeleted


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


class RendersResource(_Resource):
    LIST_PATH = "/v3/hyperframes/renders"
    _ONE = "/v3/hyperframes/renders/{}"

    async def list(self, limit: int | None = None, token: str | None = None) -> Page[Render]:
        """A page of renders, each with LISTED_URL where it has a URL: `get` returns the URLs."""
        return await self._client._request(
            "GET",
            self.LIST_PATH,
            partial(parse_page, parse_item=parse_listed_render),
            params=_list_params(limit, token),
        )

    def pages(self, limit: int | None = None) -> AsyncIterator[Page[Render]]:
        return iterate_pages(lambda token: self.list(limit, token), what="render list")

    async def get(self, render_id: str) -> Render:
        path = build_path(self._ONE, render_id)
        return await self._client._request("GET", path, lambda body: parse_render(unwrap_data(body)))

    async def delete(self, render_id: str) -> str:
        path = build_path(self._ONE, render_id)
        return await self._client._request(
            "DELETE", path, lambda body: parse_render_deleted(unwrap_data(body))
        )


class ClipJobsResource(_Resource):
    LIST_PATH = "/v3/ai-clipping"
    _ONE = "/v3/ai-clipping/{}"

    async def list(self, limit: int | None = None, token: str | None = None) -> Page[ClipJob]:
        return await self._client._request(
            "GET",
            self.LIST_PATH,
            partial(parse_page, parse_item=models.parse_clip_job),
            params=_list_params(limit, token),
        )

    def pages(self, limit: int | None = None) -> AsyncIterator[Page[ClipJob]]:
        return iterate_pages(lambda token: self.list(limit, token), what="clip job list")

    async def get(self, job_id: str) -> ClipJob:
        path = build_path(self._ONE, job_id)
        return await self._client._request("GET", path, lambda body: models.parse_clip_job(unwrap_data(body)))

    async def delete(self, job_id: str) -> str:
        path = build_path(self._ONE, job_id)
        return await self._client._request(
            "DELETE", path, lambda body: models.parse_clip_job_deleted(unwrap_data(body))
        )


class SessionsResource(_Resource):
    LIST_PATH = "/v3/video-agents"
    _ONE = "/v3/video-agents/{}"
    _VIDEOS = "/v3/video-agents/{}/videos"

    async def list(self, limit: int | None = None, token: str | None = None) -> Page[SessionSummary]:
        return await self._client._request(
            "GET",
            self.LIST_PATH,
            partial(parse_page, parse_item=models.parse_session_summary),
            params=_list_params(limit, token),
        )

    def pages(self, limit: int | None = None) -> AsyncIterator[Page[SessionSummary]]:
        return iterate_pages(lambda token: self.list(limit, token), what="session list")

    async def get(self, session_id: str) -> Session:
        path = build_path(self._ONE, session_id)
        return await self._client._request("GET", path, lambda body: models.parse_session(unwrap_data(body)))

    async def videos(self, session_id: str, token: str | None = None) -> Page[Video]:
        """No query parameters are documented here; a token is sent only if the server gave one."""
        path = build_path(self._VIDEOS, session_id)
        return await self._client._request(
            "GET", path, partial(parse_page, parse_item=models.parse_video), params=_list_params(None, token)
        )

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
        path = build_path(self._ONE, video_id)
        return await self._client._request("GET", path, lambda body: models.parse_video(unwrap_data(body)))

    async def delete(self, video_id: str) -> VideoDeleted:
        path = build_path(self._ONE, video_id)
        return await self._client._request(
            "DELETE", path, lambda body: models.parse_video_deleted(unwrap_data(body))
        )
