"""The file host's httpx client, and httpx's path for the downloads the direct client does not take.

`FileClient` is the client the engine recognises as the file host's own: its timeouts and TLS
context also configure the direct GET client (fetch.py). Downloads through a proxy, or through any
other httpx client a caller passes in, read their bodies with httpx as before.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx


class FileClient(httpx.AsyncClient):
    """httpx for the file host: no HeyGen auth header ever reaches the object store (§7)."""

    def __init__(self, timeout: httpx.Timeout | None = None) -> None:
        # One context for both paths: loading the CA bundle is the slow part of building a client.
        self.ssl_context: ssl.SSLContext = httpx.create_ssl_context()
        super().__init__(
            timeout=timeout or httpx.Timeout(30.0, read=60.0),
            follow_redirects=True,
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
            verify=self.ssl_context,
        )


class _HttpxReply:
    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self._chunks = response.aiter_raw()

    @property
    def status(self) -> int:
        return self._response.status_code

    def header(self, name: str) -> str | None:
        value: str | None = self._response.headers.get(name)
        return value

    async def read(self) -> bytes:
        try:
            return await anext(self._chunks)
        except StopAsyncIteration:
            return b""


@asynccontextmanager
async def httpx_reply(http: httpx.AsyncClient, url: str, offset: int) -> AsyncIterator[_HttpxReply]:
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    async with http.stream("GET", url, headers=headers) as response:
        yield _HttpxReply(response)
