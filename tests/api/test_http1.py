"""Response heads, body framing and chunk sizes, parsed without a network."""

from __future__ import annotations

import pytest

from hfdash.api.http1 import (
    CHUNKED,
    UNTIL_CLOSE,
    ProtocolError,
    chunk_size,
    framing,
    head_end,
    parse_head,
)


def test_a_head_is_parsed_with_lowercase_names_and_joined_repeats() -> None:
    head = parse_head(
        b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 5-9/10\r\nX-A: 1\r\nx-a:  2 \r\n\r\n"
    )
    assert (head.status, head.reason, head.minor_version) == (206, "Partial Content", 1)
    assert head.get("content-range") == "bytes 5-9/10"
    assert head.get("X-A") == "1, 2"


def test_bare_newlines_an_empty_reason_and_folded_lines_are_accepted() -> None:
    head = parse_head(b"HTTP/1.0 200\nX-Long: one\n two\n\n")
    assert (head.status, head.reason, head.minor_version) == (200, "", 0)
    assert head.get("x-long") == "one two"


@pytest.mark.parametrize(
    "block",
    [
        b"HTTP/2 200 OK\r\n\r\n",
        b"ICY 200 OK\r\n\r\n",
        b"HTTP/1.1 20 OK\r\n\r\n",
        b"HTTP/1.1 abc OK\r\n\r\n",
        b"<html>hello</html>\r\n\r\n",
        b"\r\n\r\n",
    ],
)
def test_garbage_status_lines_are_refused(block: bytes) -> None:
    with pytest.raises(ProtocolError, match=r"status line|empty response"):
        parse_head(block)


@pytest.mark.parametrize(
    "field",
    [b"no colon here", b"Bad Name: x", b": empty name", b" folded first: x", b"X\x00: y"],
)
def test_malformed_header_fields_are_refused(field: bytes) -> None:
    with pytest.raises(ProtocolError, match="malformed header"):
        parse_head(b"HTTP/1.1 200 OK\r\n" + field + b"\r\n\r\n")


def test_head_end_finds_the_blank_line_with_either_ending() -> None:
    assert head_end(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody") == 25
    assert head_end(b"HTTP/1.1 200 OK\nA: b\n\nbody") == 22
    assert head_end(b"HTTP/1.1 200 OK\r\nA: b\r\n") is None


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", 42),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 42, 42\r\n\r\n", 42),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 42\r\n\r\n", CHUNKED),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n", CHUNKED),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", UNTIL_CLOSE),
        (b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", UNTIL_CLOSE),
        (b"HTTP/1.1 200 OK\r\n\r\n", UNTIL_CLOSE),
        (b"HTTP/1.1 204 No Content\r\n\r\n", 0),
        (b"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", 0),
    ],
)
def test_framing_follows_rfc_9112(block: bytes, expected: int) -> None:
    assert framing(parse_head(block)) == expected


@pytest.mark.parametrize("value", [b"-1", b"1e3", b"12, 13", b"\xd9\xa3", b""])
def test_invalid_content_length_is_refused(value: bytes) -> None:
    with pytest.raises(ProtocolError, match="Content-Length"):
        framing(parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: " + value + b"\r\n\r\n"))


@pytest.mark.parametrize(
    ("line", "size"),
    [(b"0\r\n", 0), (b"1A\r\n", 26), (b"ff;name=value\r\n", 255), (b"10 \n", 16)],
)
def test_chunk_sizes(line: bytes, size: int) -> None:
    assert chunk_size(line) == size


@pytest.mark.parametrize(
    "line", [b"\r\n", b"xyz\r\n", b"-5\r\n", b"0x10\r\n", b"12345678901234567\r\n", b"5"]
)
def test_malformed_chunk_sizes_are_refused(line: bytes) -> None:
    with pytest.raises(ProtocolError, match="chunk size"):
        chunk_size(line)
