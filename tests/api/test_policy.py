"""Pure pieces: retry policy, Retry-After parsing, path building, URL and log redaction, paging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import httpx
import pytest

from hfdash.api.errors import (
    ApiError,
    HttpStatusError,
    NotFoundError,
    PaginationError,
    ServerError,
    UnsafePathError,
    excerpt,
    sanitize,
    status_error,
)
from hfdash.api.log import describe_request, redact_url, short_hash
from hfdash.api.paths import segment
from hfdash.api.resources import iterate_pages
from hfdash.api.retry import RetryPolicy, parse_retry_after
from hfdash.models import Page

NOW = 1_795_176_000.0


def test_backoff_doubles_caps_and_jitters() -> None:
    low = RetryPolicy(rand=lambda: 0.0)
    high = RetryPolicy(rand=lambda: 1.0)
    mid = RetryPolicy(rand=lambda: 0.5)
    assert [mid.delay(n) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
    assert low.delay(0) == 0.75 and high.delay(0) == 1.25
    assert high.delay(10) == 30.0  # the cap holds after jitter too


def test_retry_after_is_used_exactly() -> None:
    policy = RetryPolicy(rand=lambda: 1.0)
    assert policy.delay(0, retry_after=7.0) == 7.0
    assert policy.delay(3, retry_after=0.0) == 0.0
    assert policy.delay(0, retry_after=300.0) == 300.0


def test_only_idempotent_methods_retry_and_only_so_often() -> None:
    policy = RetryPolicy(max_retries=2)
    assert policy.should_retry("GET", 0) and policy.should_retry("delete", 1)
    assert not policy.should_retry("GET", 2)
    assert not policy.should_retry("POST", 0)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("5", 5.0),
        (" 0 ", 0.0),
        ("Fri, 20 Nov 2026 12:00:30 GMT", 30.0),
        ("Fri, 20 Nov 2026 11:59:00 GMT", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("-3", None),
        ("1.5", None),
        ("²", None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, NOW) == expected


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("hfr_abc123", "hfr_abc123"),
        ("a/b", "a%2Fb"),
        ("../x", "..%2Fx"),
        ("a b?c#d&e", "a%20b%3Fc%23d%26e"),
        ("ünï", "%C3%BCn%C3%AF"),
        ("100%", "100%25"),
        ("-_.!~*'()", "-_.!~*'()"),
    ],
)
def test_segments_are_escaped_like_encode_uri_component(raw: str, escaped: str) -> None:
    assert segment(raw) == escaped


@pytest.mark.parametrize("bad", ["", ".", "..", "%2e", "%2E%2e", "%2e."])
def test_dot_segments_are_refused(bad: str) -> None:
    with pytest.raises(UnsafePathError) as caught:
        segment(bad)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, ApiError)


def test_redact_url_drops_query_fragment_and_userinfo() -> None:
    url = "https://user:pw@bucket.s3.amazonaws.com/a/b.mp4?X-Amz-Signature=abc&X-Amz-Expires=900#t=1"
    assert redact_url(url) == "https://bucket.s3.amazonaws.com/a/b.mp4"
    assert redact_url("/files/x?sig=1") == "/files/x"


def test_query_redaction() -> None:
    line = describe_request("GET", "/v3/ai-clipping", {"limit": 5, "token": "opaque-cursor"})
    assert line == f"GET /v3/ai-clipping?limit=5&token={short_hash('opaque-cursor')}"
    assert "opaque-cursor" not in line


def test_untrusted_text_is_flattened_and_cut() -> None:
    assert sanitize("a\x1b[31m\nb\r\n  c") == "a [31m b c"
    assert len(sanitize("x" * 1000)) == 200
    assert excerpt("<html><h1>502 Bad Gateway</h1></html>") == "502 Bad Gateway"
    assert sanitize("see https://h/x.mp4?sig=secret") == "see https://h/x.mp4"


def test_status_classes_branch_on_status() -> None:
    def error(status: int) -> type[HttpStatusError]:
        return type(
            status_error(httpx.Response(status, json={"error": {"code": "c", "message": "m"}}), "GET", "/x")
        )

    assert error(404) is NotFoundError
    assert error(599) is ServerError
    assert error(402) is HttpStatusError


def _fetcher(
    pages: Sequence[Page[int]],
) -> tuple[list[str | None], Callable[[str | None], Awaitable[Page[int]]]]:
    asked: list[str | None] = []

    async def fetch(token: str | None) -> Page[int]:
        asked.append(token)
        return pages[len(asked) - 1]

    return asked, fetch


async def test_pages_stop_on_has_more_false() -> None:
    asked, fetch = _fetcher([Page((1,), True, "a"), Page((2,), True, "b"), Page((3,), False, "c")])
    got = [p.items async for p in iterate_pages(fetch)]
    assert got == [(1,), (2,), (3,)] and asked == [None, "a", "b"]


async def test_repeated_token_is_a_pagination_error() -> None:
    asked, fetch = _fetcher([Page((1,), True, "a"), Page((2,), True, "a")])
    seen: list[tuple[int, ...]] = []
    with pytest.raises(PaginationError, match="repeated"):
        async for page in iterate_pages(fetch):
            seen.append(page.items)
    assert seen == [(1,), (2,)] and asked == [None, "a"]


async def test_has_more_without_token_is_a_pagination_error() -> None:
    _, fetch = _fetcher([Page((1,), True, None)])
    with pytest.raises(PaginationError, match="no next_token"):
        async for _ in iterate_pages(fetch):
            pass
