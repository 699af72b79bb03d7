"""GETs of presigned file URLs (contract §7), on an httpx client of their own.

The presigned query is the only authority an object store needs, so this client never holds
a HeyGen credential: no API key or token can reach the file host, nor follow a redirect.
Like the API client it is httpx on its own transport, so proxies and CAs come from the
environment. Bodies are handed on as they arrive, never gathered in memory.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httpx

from hfdash import __version__
from hfdash.api.errors import RequestTimeout
from hfdash.api.responses import transport_error

# A stalled host is noticed after this long without a byte; connecting gets the same.
READ_TIMEOUT = 60.0


class FileResponse:
    """A file host's answer whose body is still on the wire."""

    def __init__(self, response: httpx.Response, where: str, timeout: float | None) -> None:
        self._response = response
        self._where = where
        self._timeout = timeout

    @property
    def status(self) -> int:
        return self._response.status_code

    def header(self, name: str) -> str | None:
        value: str | None = self._response.headers.get(name)
        return value

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as sent (no content decoding: sizes and ranges count these bytes)."""
        try:
            async for chunk in self._response.aiter_raw():
                yield chunk
        except httpx.TimeoutException:
            raise RequestTimeout(f"{self._where} stopped sending (timeout)") from None
        except (httpx.HTTPError, httpx.StreamError, ValueError) as exc:
            raise transport_error(exc, self._where, self._timeout) from None


class FileClient:
    """Downloads from presigned URLs, each streamed from byte `offset` on."""

    def __init__(self, *, timeout: httpx.Timeout | None = None) -> None:
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self._timeout or httpx.Timeout(READ_TIMEOUT),
                # Safe to follow: nothing secret rides along, and object stores do redirect.
                follow_redirects=True,
                headers={"User-Agent": f"hfdash/{__version__}"},
            )
        return self._client

    @asynccontextmanager
    async def get(self, url: str, offset: int = 0) -> AsyncIterator[FileResponse]:
        """GET `url` from byte `offset`; closes the response on exit. Errors never quote the URL."""
        where = f"the file host {urlsplit(url).hostname or ''}".rstrip()
        seconds = self._timeout.read if self._timeout is not None else READ_TIMEOUT
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            http = self._http()
            response = await http.send(http.build_request("GET", url, headers=headers), stream=True)
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError) as exc:
            raise transport_error(exc, where, seconds) from None
        try:
            yield FileResponse(response, where, seconds)
        finally:
            # Closing a half-read body drops its connection; a failure there changes nothing.
            with contextlib.suppress(httpx.HTTPError):
                await response.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __aenter__(self) -> FileClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
