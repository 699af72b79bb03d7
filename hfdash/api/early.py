"""One GET sent from a thread before the program has finished importing itself.

A start spends most of its time importing Textual, and all of it before a request could leave
from the event loop: the API's answer to the first page then comes on top. Asked from here, it
comes meanwhile. Only bytes travel in the thread, over a plain blocking socket that the kernel
waits on without the interpreter; the client checks and parses the answer as it does any other
(`HeyGenClient.ask_early`).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from hfdash.api.http1 import (
    CHUNKED,
    MAX_HEAD,
    UNTIL_CLOSE,
    ProtocolError,
    chunk_size,
    framing,
    head_end,
    parse_head,
)

if TYPE_CHECKING:
    import ssl

# The body may be this long at most: a first page is tens of kilobytes.
MAX_BODY = 16 * 1024 * 1024
_READ = 64 * 1024


class EarlyAnswer(NamedTuple):
    """A whole response as the host sent it, body unframed."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


def ask(
    url: str,
    headers: Mapping[str, str],
    timeout: float,
    tls: Callable[[], ssl.SSLContext],
) -> Future[EarlyAnswer]:
    """GETs `url` from a daemon thread; the future holds the answer or why there is none."""
    answer: Future[EarlyAnswer] = Future()

    def run() -> None:
        try:
            answer.set_result(_get(url, headers, timeout, tls))
        except BaseException as error:  # any failure only means asking again from the event loop
            answer.set_exception(error)

    threading.Thread(target=run, name="hfdash-early-request", daemon=True).start()
    return answer


def _get(
    url: str, headers: Mapping[str, str], timeout: float, tls: Callable[[], ssl.SSLContext]
) -> EarlyAnswer:
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}"]
    for name, value in headers.items():
        if any(c in name + value for c in "\r\n\x00"):
            raise ProtocolError("a header holds a line break")
        lines.append(f"{name}: {value}")
    # One request on this connection: the host closes it after the answer.
    lines.append("Connection: close")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    with socket.create_connection((host, port), timeout=timeout) as plain:
        sock = tls().wrap_socket(plain, server_hostname=host) if secure else plain
        with sock:
            sock.sendall(request)
            return _read(sock)


def _read(sock: socket.socket) -> EarlyAnswer:
    """The final answer's head, parsed once, then its body as its framing says (RFC 9112 §6.3)."""
    received = bytearray()

    def more(what: str) -> bool:
        data = sock.recv(_READ)
        received.extend(data)
        if len(received) > MAX_HEAD + MAX_BODY:
            raise ProtocolError("the host's answer is too long for a page")
        if not data and what:
            raise ProtocolError(f"the host closed the connection {what}")
        return bool(data)

    while True:
        while (end := head_end(received)) is None:
            if len(received) > MAX_HEAD:
                raise ProtocolError("the host sent an overlong response head")
            more("before answering")
        head = parse_head(bytes(received[:end]))
        del received[:end]
        # Interim 1xx answers come before the final one.
        if head.status >= 200:
            break
    frame = framing(head)
    if frame == UNTIL_CLOSE:
        while more(""):
            pass
        body = bytes(received)
    elif frame == CHUNKED:
        while (unchunked := _unchunked(received, 0)) is None:
            more("in the middle of its answer")
        body = unchunked
    else:
        while len(received) < frame:
            more("in the middle of its answer")
        body = bytes(received[:frame])
    return EarlyAnswer(head.status, head.reason, list(head.headers.items()), body)


def _unchunked(received: bytearray, at: int) -> bytes | None:
    """The chunked body starting at `at`, trailers included, or None while it is incomplete."""
    body = bytearray()
    while True:
        line_end = received.find(b"\n", at)
        if line_end < 0:
            return None
        size = chunk_size(received[at : line_end + 1])
        at = line_end + 1
        if size == 0:
            # Trailer fields, if any, end with a blank line.
            blank = head_end(received, at - 2) if at >= 2 else None
            return bytes(body) if blank is not None else None
        if len(received) < at + size + 2:
            return None
        body += received[at : at + size]
        at += size
        if received[at : at + 2] == b"\r\n":
            at += 2
        elif received[at : at + 1] == b"\n":
            at += 1
        else:
            raise ProtocolError("the host sent a chunk longer than it said")
