"""The HTTP(S) server: a ThreadingHTTPServer on loopback, one handler, and the Simulator wrapper."""

from __future__ import annotations

import email.utils
import socket
import ssl
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from . import control, files, routes
from .config import SimConfig
from .faults import Effects
from .routes import Request, Response
from .state import SimState


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sim_state: SimState
    tls: ssl.SSLContext | None = None

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        if self.tls is not None:
            # The handshake runs on the handler's thread, so a slow client never holds up accept().
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up (or a "drop" fault cutting them off, or refusing our certificate)
        # are routine, not errors.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError | ssl.SSLError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "hfdash-sim"
    sys_version = ""
    # Headers and body go out in separate writes; with Nagle on, each response stalls ~40 ms
    # on the client's delayed ACK.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        """Requests go to the structured request log instead of stderr."""

    def date_time_string(self, timestamp: float | None = None) -> str:
        # The simulated clock, so a frozen simulator answers byte-for-byte the same.
        return email.utils.formatdate(self.server.sim_state.now(), usegmt=True)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self, method: str) -> None:
        state = self.server.sim_state
        path, _, qs = self.path.partition("?")
        body = self._read_body()
        if path.startswith("/_sim/"):
            status, obj = control.handle(state, method, path, body)
            self._send(routes._json(status, obj), method)
            return
        started = time.monotonic()
        headers = {k.lower(): v for k, v in self.headers.items()}
        query = dict(parse_qsl(qs, keep_blank_values=True))
        req = Request(method, path, query, headers, body)
        effects = state.faults.pick(method, path, routes.classify(path))
        if effects.delay > 0:
            time.sleep(effects.delay)
        rid = state.next_request_id()
        try:
            resp = routes.dispatch(state, req, effects, rid)
        except Exception:
            # Answer rather than hang the client on a simulator bug, and say so loudly.
            traceback.print_exc()
            resp = routes._json(500, {"error": {"code": "internal_error", "message": "simulator bug"}})
        state.record(
            {
                "t": started,
                "sim_t": state.now(),
                "method": method,
                "path": path,
                # Presigned query strings carry signatures: keep only the path for files.
                "query": {} if path.startswith("/files/") else query,
                "status": resp.status,
                "fault": effects.label,
                "auth": routes.auth_scheme(headers),
            }
        )
        resp.headers.setdefault("X-Request-Id", rid)
        self._send(resp, method, effects)

    def _send(self, resp: Response, method: str, effects: Effects | None = None) -> None:
        if effects is not None and effects.lost_reply:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        stream = resp.stream
        length = stream.end - stream.start if stream else len(resp.body)
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(length))
        for name, value in resp.headers.items():
            self.send_header(name, value)
        for name, value in effects.headers if effects is not None else ():
            self.send_header(name, value)
        self.end_headers()
        if method == "HEAD":
            return
        if stream is None:
            self.wfile.write(resp.body)
            return
        limit = length
        if effects is not None and effects.drop:
            limit = effects.drop_after if effects.drop_after is not None else length // 2
            limit = max(0, min(limit, length - 1))
        sent = 0
        rate = self.server.sim_state.cfg.throttle
        started = time.monotonic()
        try:
            for chunk in files.iter_bytes(stream.key, stream.start, stream.start + limit):
                self.wfile.write(chunk)
                sent += len(chunk)
                if rate > 0:
                    # Paced against the start, not per chunk, so sleep overshoot never accumulates.
                    ahead = started + sent / rate - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)
            if limit < length:
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class Simulator:
    """The simulated API on a daemon thread: start(), url, api_key, state, stop().

    With tls=(certificate, key) it serves HTTPS on the same routes, presigned file URLs included.
    """

    def __init__(
        self,
        cfg: SimConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: tuple[str | Path, str | Path] | None = None,
    ) -> None:
        self.cfg = cfg or SimConfig()
        self.state = SimState(self.cfg)
        self._host = host
        self._port = port
        self._tls: ssl.SSLContext | None = None
        if tls is not None:
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(certfile=tls[0], keyfile=tls[1])
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulator is not running; call start() first")
        host, port = self._server.server_address[:2]
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://{host!s}:{port}"

    @property
    def api_key(self) -> str:
        return self.state.cfg.api_key

    def start(self) -> Simulator:
        if self._server is not None:
            return self
        server = _Server((self._host, self._port), _Handler)
        server.sim_state = self.state
        server.tls = self._tls
        self._server = server
        self.state.base_url = self.url
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="hfdash-sim", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
