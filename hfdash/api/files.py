"""GETs of presigned file URLs (contract §7), on an httpx client of their own.

The presigned query is the only authority an object store needs, so this client never holds
a HeyGen credential: no API key or token can reach the file host, nor follow a redirect.
It is httpx's synchronous `Client`: on Python 3.11 `AsyncClient` reads TLS through asyncio's
transport one 16 KiB record per wakeup, at less than half the rate (docs/performance.md). Its
calls block, so the download engine makes them on a thread. Proxies and CAs come from the
environment, as httpx reads them. Bodies are handed on as they arrive, never gathered in memory.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from hfdash import __version__
from hfdash.api.errors import RequestTimeout, transport_error


@dataclass(frozen=True, slots=True)
class FileResponse:
    """A file host's answer whose body is still on the wire."""

    status: int
    headers: Mapping[str, str]
    # The body as sent (no content decoding: sizes and ranges count these bytes).
    chunks: Iterator[bytes]


def _chunks(response: httpx.Response, where: str) -> Iterator[bytes]:
    try:
        yield from response.iter_raw()
    except httpx.TimeoutException:
        raise RequestTimeout(f"{where} stopped sending (timeout)") from None
    except (httpx.HTTPError, httpx.StreamError, ValueError) as exc:
        raise transport_error(exc, where, None) from None


class FileClient:
    """Downloads from presigned URLs, each streamed from byte `offset` on. Safe to share by threads."""

    def __init__(self, *, timeout: httpx.Timeout | None = None) -> None:
        # A stalled host is noticed after a minute without a byte; connecting gets the same.
        self._timeout = timeout or httpx.Timeout(60.0)
        self._client: httpx.Client | None = None
        self._opening = threading.Lock()

    def _http(self) -> httpx.Client:
        # Built on first use: its TLS context costs the dashboard's start otherwise.
        with self._opening:
            if self._client is None:
                self._client = httpx.Client(
                    timeout=self._timeout,
                    # Safe to follow: nothing secret rides along, and object stores do redirect.
                    follow_redirects=True,
                    headers={"User-Agent": f"hfdash/{__version__}"},
                )
            return self._client

    @contextlib.contextmanager
    def get(self, url: str, offset: int = 0) -> Iterator[FileResponse]:
        """GET `url` from byte `offset`; closes the response on exit. Errors never quote the URL."""
        where = f"the file host {urlsplit(url).hostname or ''}".rstrip()
        headers = {"Accept-Encoding": "identity"} | ({"Range": f"bytes={offset}-"} if offset else {})
        try:
            http = self._http()
            response = http.send(http.build_request("GET", url, headers=headers), stream=True)
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError) as exc:
            raise transport_error(exc, where, self._timeout.read) from None
        try:
            yield FileResponse(response.status_code, response.headers, _chunks(response, where))
        finally:
            # Closing a half-read body drops its connection; a failure there changes nothing.
            with contextlib.suppress(httpx.HTTPError):
                response.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> FileClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
