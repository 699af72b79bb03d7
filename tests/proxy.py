"""A forward HTTP proxy on loopback for the proxy tests, standard library only.

Absolute-form requests (`GET http://host:port/path`) are relayed to the origin and the answer
piped back; `CONNECT host:port` opens a tunnel and pipes both ways, so HTTPS stays end to end.
Each request is recorded as (method, target) before it is relayed. The origin's answer is sent
on with `Connection: close`, so the relay never has to frame a body itself.

The proxy alone knows ONLY_THROUGH_PROXY, a name that never resolves (RFC 6761 `.invalid`):
a request to it that went direct would fail, so one that succeeds went through the proxy.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

ONLY_THROUGH_PROXY = "api.hfdash.invalid"
_ALIASES = {ONLY_THROUGH_PROXY: "127.0.0.1"}


@dataclass
class ProxyLog:
    url: str = ""
    passed: list[tuple[str, str]] = field(default_factory=list)

    def targets(self, method: str) -> list[str]:
        return [target for m, target in self.passed if m == method]


def _pipe(one: socket.socket, other: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    peers = {one: other, other: one}
    while True:
        readable, _, _ = select.select(list(peers), [], [], 10.0)
        if not readable:
            return
        for source in readable:
            data = source.recv(256 * 1024)
            if not data:
                return
            peers[source].sendall(data)


class _Handler(BaseHTTPRequestHandler):
    server: _ProxyServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the record in ProxyLog is what tests read."""

    def do_CONNECT(self) -> None:
        self.server.log.passed.append(("CONNECT", self.path))
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((_ALIASES.get(host, host), int(port)), timeout=10)
        except OSError:
            self.send_error(502)
            return
        with upstream:
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.wfile.flush()
            _pipe(self.connection, upstream)
        self.close_connection = True

    def _relay(self) -> None:
        self.server.log.passed.append((self.command, self.path))
        parts = urlsplit(self.path)
        if parts.scheme != "http" or not parts.hostname:
            self.send_error(400, "absolute-form http:// targets only")
            return
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        lines = [f"{self.command} {target} HTTP/1.1"]
        lines += [
            f"{k}: {v}"
            for k, v in self.headers.items()
            if k.lower() not in ("connection", "proxy-connection")
        ]
        lines.append("Connection: close")
        try:
            address = (_ALIASES.get(parts.hostname, parts.hostname), parts.port or 80)
            upstream = socket.create_connection(address, timeout=10)
        except OSError:
            self.send_error(502)
            return
        with upstream:
            upstream.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            reader = upstream.makefile("rb")
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                line = reader.readline(128 * 1024)
                if not line:
                    break
                if not line.lower().startswith(b"connection:"):
                    head += line
            self.wfile.write(head[:-2] + b"Connection: close\r\n\r\n")
            while chunk := reader.read1(256 * 1024):
                self.wfile.write(chunk)
        self.close_connection = True

    do_GET = do_POST = do_DELETE = do_HEAD = _relay


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    log: ProxyLog

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients and origins hanging up mid-relay are routine here."""


@contextlib.contextmanager
def forward_proxy() -> Iterator[ProxyLog]:
    server = _ProxyServer(("127.0.0.1", 0), _Handler)
    server.log = ProxyLog(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.log
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def dead_proxy_url() -> str:
    """A loopback port that refuses connections: a proxy that is set but not there."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
