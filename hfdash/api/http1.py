"""HTTP/1.1 response heads and body framing, kept pure: the API's and the file host's clients read with it.

Everything here works on bytes already received, so the rules (RFC 9112) are tested without a
network. Errors are `FetchError`s whose messages may be shown as they are: they never carry a
URL, only what went wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

# A head larger than this is not an API or a file host answering; refusing bounds the memory it takes.
MAX_HEAD = 64 * 1024
MAX_LINE = 8 * 1024
CHUNKED: Final = -1
UNTIL_CLOSE: Final = -2

_STATUS = re.compile(r"HTTP/1\.([01]) ([0-9]{3})(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")


class FetchError(Exception):
    """The host could not be reached or answered something unusable; retrying may help.

    Not an OSError on purpose: the engine treats OSError as a disk failure.
    """


class ConnectFailed(FetchError):
    pass


class FetchTimeout(FetchError):
    pass


class Dropped(FetchError):
    """The connection ended (or broke) before the whole body arrived."""


class ProtocolError(FetchError):
    """The bytes from the host are not HTTP/1.x as a GET response must be."""


@dataclass(frozen=True, slots=True)
class Head:
    status: int
    reason: str
    # HTTP/1.0 answers have no chunked bodies and always close the connection.
    minor_version: int
    # Lower-cased names; repeated fields joined with ", " as RFC 9110 §5.3 allows.
    headers: dict[str, str]

    def get(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def head_end(data: bytes | bytearray | memoryview, start: int = 0) -> int | None:
    """Where the body starts if `data` holds a complete head (blank line included), else None."""
    match = _HEAD_END.search(data, start)
    return match.end() if match else None


def parse_head(block: bytes) -> Head:
    """Parse a complete head: status line and header fields, up to and including the blank line."""
    lines = block.decode("latin-1").split("\n")
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        raise ProtocolError("the host sent an empty response")
    status = _STATUS.fullmatch(lines[0])
    if status is None:
        raise ProtocolError("the host sent a malformed status line")
    headers: dict[str, str] = {}
    last: str | None = None
    for line in lines[1:]:
        if line[:1] in (" ", "\t"):
            # obs-fold: a continuation of the previous field, read as a single space (RFC 9112 §5.2).
            if last is None:
                raise ProtocolError("the host sent a malformed header")
            headers[last] = f"{headers[last]} {line.strip()}"
            continue
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name) or any(c in value for c in "\x00\r"):
            raise ProtocolError("the host sent a malformed header")
        last = name.lower()
        value = value.strip(" \t")
        headers[last] = f"{headers[last]}, {value}" if last in headers else value
    return Head(int(status.group(2)), status.group(3) or "", int(status.group(1)), headers)


def framing(head: Head) -> int:
    """How the body of a GET response ends: a byte count, CHUNKED or UNTIL_CLOSE (RFC 9112 §6.3)."""
    if head.status < 200 or head.status in (204, 304):
        return 0
    coding = head.get("transfer-encoding")
    if coding is not None:
        # Content-Length is ignored beside Transfer-Encoding; a last coding other than chunked
        # means the body runs to the end of the connection.
        last = coding.split(",")[-1].strip().lower()
        if last == "chunked" and head.minor_version == 1:
            return CHUNKED
        return UNTIL_CLOSE
    length = head.get("content-length")
    if length is None:
        return UNTIL_CLOSE
    values = {v.strip() for v in length.split(",")}
    if len(values) != 1 or not all(v.isdigit() and v.isascii() for v in values):
        raise ProtocolError("the host sent an invalid Content-Length")
    return int(values.pop())


def chunk_size(line: bytes | bytearray | memoryview) -> int:
    """The size a chunk-size line (extensions allowed, line ending included) announces."""
    match = _CHUNK_SIZE.fullmatch(line)
    if match is None:
        raise ProtocolError("the host sent a malformed chunk size")
    return int(match.group(1), 16)
