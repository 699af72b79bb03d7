"""A GET of one presigned file URL, without httpx's body reader on the common path.

httpx hands every body through h11's pure-Python parser, which copies each chunk twice; on a fast
link that capped downloads at about 0.4x curl's rate and 2.6 s of CPU per GiB. This client sends
one `GET` per connection (`Connection: close`), parses the head itself and reads the body into a
preallocated buffer (wire.py), and runs at curl's rate (tests/benchmarks/bench_download.py).

It is used only for the file host's own client (`FileClient`) and only for direct connections:
when `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` applies to the URL's host (and `NO_PROXY` does not
exempt it), the download goes through httpx, which speaks to proxies; no CONNECT tunnel here.
Redirects are followed (up to 5) on the direct path without asking again about proxies. Nothing
sent carries a HeyGen credential: the presigned query is the only authority.
"""

from __future__ import annotations

import ssl
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import SplitResult, quote, urljoin, urlsplit

import httpx

from hfdash import __version__
from hfdash.api.http1 import FetchError, Head, framing
from hfdash.services.downloads.transport import FileClient, httpx_reply
from hfdash.services.downloads.wire import Body, Timeouts, Wire

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Already-escaped targets pass unchanged; spaces, controls and non-ASCII are percent-encoded.
_TARGET_SAFE = "!#$%&'()*+,/:;=?@[]~"


class Reply(Protocol):
    """A response being read: what the engine needs from either client."""

    @property
    def status(self) -> int: ...

    def header(self, name: str) -> str | None: ...

    async def read(self) -> bytes | memoryview:
        """The next bytes of the body, empty at the end; a view is valid until the next read."""
        ...


@dataclass(frozen=True, slots=True)
class _Reply:
    head: Head
    body: Body

    @property
    def status(self) -> int:
        return self.head.status

    def header(self, name: str) -> str | None:
        return self.head.get(name)

    async def read(self) -> memoryview:
        return await self.body.read()


@dataclass(frozen=True, slots=True)
class _Request:
    host: str
    port: int
    tls: bool
    data: bytes


def _request(url: str, offset: int) -> _Request:
    parts: SplitResult = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchError(f"the file URL has an unsupported scheme {scheme!r}")
    try:
        host, port = parts.hostname, parts.port or _DEFAULT_PORTS[scheme]
    except ValueError:
        raise FetchError("the file URL has an invalid port") from None
    if not host:
        raise FetchError("the file URL has no host")
    try:
        # International names go out in their IDNA (ASCII) form, as httpx sends them.
        host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError("the file URL has an invalid host name") from None
    target = quote(parts.path or "/", safe=_TARGET_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_TARGET_SAFE)
    authority = f"[{host}]" if ":" in host else host
    if port != _DEFAULT_PORTS[scheme]:
        authority += f":{port}"
    lines = [
        f"GET {target} HTTP/1.1",
        f"Host: {authority}",
        f"User-Agent: hfdash/{__version__}",
        "Accept: */*",
        "Accept-Encoding: identity",
        "Connection: close",
    ]
    if offset:
        lines.append(f"Range: bytes={offset}-")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
    return _Request(host, port, scheme == "https", data)


@asynccontextmanager
async def open_direct(
    url: str,
    *,
    offset: int = 0,
    timeouts: Timeouts | None = None,
    tls: ssl.SSLContext | None = None,
    max_redirects: int = MAX_REDIRECTS,
) -> AsyncIterator[Reply]:
    """GET `url` (from byte `offset` when non-zero) on a fresh connection, closed on exit."""
    timeouts = timeouts or Timeouts()
    for _ in range(max_redirects + 1):
        request = _request(url, offset)
        context = (tls or ssl.create_default_context()) if request.tls else None
        wire = await Wire.connect(request.host, request.port, context, timeouts)
        try:
            await wire.send(request.data)
            head = await wire.read_head()
            location = head.get("location")
            if head.status in _REDIRECTS and location:
                # Same GET, same Range, to the new place; the URL itself is never put in a message.
                url = urljoin(url, location.strip())
                continue
            yield _Reply(head, Body(wire, framing(head), request.host))
            return
        finally:
            wire.close()
    raise FetchError(f"the file host redirected more than {max_redirects} times")


def needs_proxy(url: str) -> bool:
    """Whether httpx, trusting the environment, would send this URL through a proxy."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    if not (proxies.get(parts.scheme.lower()) or proxies.get("all")):
        return False
    # The standard library's reading of NO_PROXY (exact hosts, domain suffixes, "*"), from the
    # same place getproxies() looked: the environment, or the system's settings on macOS/Windows.
    return not bool(urllib.request.proxy_bypass(parts.hostname or ""))


@asynccontextmanager
async def open_reply(http: httpx.AsyncClient, url: str, offset: int) -> AsyncIterator[Reply]:
    """The file at `url` from `offset`, direct when `http` is the file host's own, unproxied client.

    Any other client (a caller's own transport, mocks, proxies) keeps httpx's whole path.
    """
    if isinstance(http, FileClient) and not (http.trust_env and needs_proxy(url)):
        timeouts = Timeouts(http.timeout.connect, http.timeout.read)
        async with open_direct(url, offset=offset, timeouts=timeouts, tls=http.ssl_context) as reply:
            yield reply
    else:
        async with httpx_reply(http, url, offset) as reply:
            yield reply
