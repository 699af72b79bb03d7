"""The API client's transport: certificates are loaded only once a request needs TLS.

httpx's default transport loads the CA bundle when it is built (about 25 ms) whether or
not any request ever uses TLS. The demo, the simulator and tests speak plain HTTP on
loopback and never need it; against the real API the first request loads it, after the
dashboard has painted whatever it had cached.
"""

from __future__ import annotations

import ssl

import httpx


class LazyTlsTransport(httpx.AsyncBaseTransport):
    """httpx's own transport, one pool for plain HTTP and one, built on first use, for HTTPS."""

    def __init__(self) -> None:
        self._plain: httpx.AsyncHTTPTransport | None = None
        self._tls: httpx.AsyncHTTPTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._for(request.url.scheme).handle_async_request(request)

    def _for(self, scheme: str) -> httpx.AsyncHTTPTransport:
        if scheme == "http":
            if self._plain is None:
                # A context that trusts no certificate at all: this pool never speaks TLS, and
                # if it ever were asked to, verification would fail rather than pass.
                self._plain = httpx.AsyncHTTPTransport(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
            return self._plain
        if self._tls is None:
            self._tls = httpx.AsyncHTTPTransport()
        return self._tls

    async def aclose(self) -> None:
        for transport in (self._plain, self._tls):
            if transport is not None:
                await transport.aclose()
