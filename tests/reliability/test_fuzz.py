"""Property tests: no JSON breaks a parser, and no hostile string reaches the terminal as markup.

Every parser, given any JSON value (or a well-shaped body whose fields hold any JSON value),
returns a model or raises ModelError; nothing else. Every model, however hostile its strings
and numbers, renders to table cells and the detail view without raising, and what it renders
carries no escape sequence, control character or markup-made style.
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from hfdash.api.errors import ResponseShapeError, excerpt, parse_body, sanitize, status_error
from hfdash.models import Clip, ModelError
from hfdash.models.agents import parse_session, parse_session_summary, parse_video, parse_video_deleted
from hfdash.models.clips import parse_clip_job, parse_clip_job_deleted
from hfdash.models.parse import parse_error, unwrap_data
from hfdash.models.renders import parse_render, parse_render_deleted
from hfdash.services.kinds import Item, search_text
from hfdash.simulator.hostile import HOSTILE_STRINGS
from hfdash.ui.format import STATUS_STYLE, cleaned, detail_text, plain
from hfdash.ui.panes.columns import (
    CLIP_COLUMNS,
    CLIP_JOB_COLUMNS,
    RENDER_COLUMNS,
    SESSION_COLUMNS,
    VIDEO_COLUMNS,
    Column,
    row_cells,
)
from tests.pages import parse_page

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RENDER_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What json.loads can produce: Python's decoder also accepts NaN and Infinity, and integers of
# any size up to its digit limit.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)

KNOWN_KEYS = (
    "data",
    "has_more",
    "next_token",
    "error",
    "code",
    "message",
    "param",
    "doc_url",
    "render_id",
    "id",
    "session_id",
    "status",
    "format",
    "title",
    "created_at",
    "completed_at",
    "duration",
    "duration_seconds",
    "source_duration",
    "fps",
    "progress",
    "virality_score",
    "clips",
    "messages",
    "role",
    "content",
    "type",
    "resource_ids",
    "video_url",
    "deleted",
    "failure_message",
    "failure_code",
    "output_language",
)
# Objects keyed by the names the parsers read, so fuzzing reaches past the first type check.
shaped = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.sampled_from(KNOWN_KEYS), children, max_size=8)
    ),
    max_leaves=30,
)

ITEM_PARSERS: dict[str, Callable[[object, str], object]] = {
    "render": parse_render,
    "clip_job": parse_clip_job,
    "session": parse_session,
    "session_summary": parse_session_summary,
    "video": parse_video,
}
PARSERS: list[Callable[[object], object]] = [
    *(lambda body, p=p: p(body, "data") for p in ITEM_PARSERS.values()),
    *(lambda body, p=p: parse_page(body, p) for p in ITEM_PARSERS.values()),
    parse_render_deleted,
    parse_clip_job_deleted,
    parse_video_deleted,
    parse_error,
    unwrap_data,
]


def _parse_all(body: object) -> None:
    for parse in PARSERS:
        with contextlib.suppress(ModelError):
            parse(body)


@FUZZ
@given(json_values)
def test_any_json_value_gives_a_model_or_a_model_error(body: object) -> None:
    _parse_all(body)


@FUZZ
@given(shaped)
@example({"render_id": "r", "status": "queued", "format": "mp4", "duration": 10**400})
@example(
    {"id": "j", "status": "running", "clips": [{"id": "c", "status": "x", "duration_seconds": -(10**400)}]}
)
def test_any_json_shaped_like_a_resource_gives_a_model_or_a_model_error(body: object) -> None:
    _parse_all(body)
    _parse_all({"data": body})
    _parse_all({"data": [body], "has_more": True, "next_token": "t"})


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())),
    mime=st.sampled_from(["application/json", "text/html", "", "application/problem+json", "text/plain"]),
    status=st.sampled_from([200, 400, 401, 403, 404, 429, 500, 502, 503]),
)
def test_any_http_body_gives_a_model_or_a_typed_error(body: bytes, mime: str, status: int) -> None:
    response = httpx.Response(status, content=body, headers={"content-type": mime} if mime else {})
    if status == 200:
        try:
            parse_body(response, "GET", "/v3/x", lambda b: parse_page(b, parse_render))
        except ResponseShapeError as error:
            assert _clean(str(error))
    else:
        assert _clean(str(status_error(response, "GET", "/v3/x")))


# -- rendering ---------------------------------------------------------------------------------------

# Markup, escapes, controls, bidi overrides, wide and combining characters, and anything at all.
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=60),
    st.text(
        alphabet=st.sampled_from(list("[]/\\@=;:'\"x \x1b\x07\x9b\x00\r\n\t\u202e\u200b漢🎬")), max_size=40
    ),
)
numbers = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(min_value=-1e300, max_value=1e300),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
statuses = st.one_of(
    st.sampled_from(
        ["queued", "rendering", "completed", "failed", "running", "pending", "cancelled", "processing"]
    ),
    st.sampled_from(["thinking", "waiting_for_input", "reviewing", "generating", "error"]),
    hostile_text,
)


def _common(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "status": draw(statuses),
        "title": draw(st.one_of(st.none(), hostile_text)),
        "created_at": draw(numbers),
        "failure_message": draw(st.one_of(st.none(), hostile_text)),
    }


@st.composite
def renders(draw: st.DrawFn) -> dict[str, Any]:
    return {
        **_common(draw),
        "render_id": draw(hostile_text),
        "format": draw(hostile_text),
        "duration": draw(numbers),
        "fps": draw(numbers),
        "quality": draw(st.one_of(st.none(), hostile_text)),
        "resolution": draw(st.one_of(st.none(), hostile_text)),
        "aspect_ratio": draw(st.one_of(st.none(), hostile_text)),
        "completed_at": draw(numbers),
        "video_url": draw(st.one_of(st.none(), hostile_text)),
    }


@st.composite
def clips(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "id": draw(hostile_text),
        "status": draw(statuses),
        "title": draw(st.one_of(st.none(), hostile_text)),
        "duration_seconds": draw(numbers),
        "virality_score": draw(numbers),
        "aspect_ratio": draw(st.one_of(st.none(), hostile_text)),
        "video_url": draw(st.one_of(st.none(), hostile_text)),
    }


@st.composite
def clip_jobs(draw: st.DrawFn) -> dict[str, Any]:
    return {
        **_common(draw),
        "id": draw(hostile_text),
        "progress": draw(numbers),
        "source_duration": draw(numbers),
        "input_language": draw(st.one_of(st.none(), hostile_text)),
        "clips": draw(st.lists(clips(), max_size=3)),
    }


@st.composite
def sessions(draw: st.DrawFn) -> dict[str, Any]:
    message = st.fixed_dictionaries(
        {"role": hostile_text, "content": hostile_text, "type": hostile_text, "created_at": numbers}
    )
    return {
        **_common(draw),
        "session_id": draw(hostile_text),
        "video_id": draw(st.one_of(st.none(), hostile_text)),
        "progress": draw(numbers),
        "messages": draw(st.lists(message, max_size=3)),
    }


@st.composite
def videos(draw: st.DrawFn) -> dict[str, Any]:
    return {
        **_common(draw),
        "id": draw(hostile_text),
        "duration": draw(numbers),
        "completed_at": draw(numbers),
        "output_language": draw(st.one_of(st.none(), hostile_text)),
        "failure_code": draw(st.one_of(st.none(), hostile_text)),
        "video_url": draw(st.one_of(st.none(), hostile_text)),
    }


NOW = 1_795_176_000.0
# The only styles our own code puts on text; markup parsed from server text would add others.
OWN_STYLES = {
    "",
    "dim",
    "bold",
    "bold reverse #e06c75",
    "bold #e06c75",
    "#e06c75",
    "#61afef",
    "bold #61afef",
    *(style for _, style in STATUS_STYLE.values()),
}


def _clean(text: str, *, newlines: bool = False) -> bool:
    """No escape sequence, no control character (but newlines where allowed), no bidi override."""
    # Rich expands tabs to spaces, so multi-line text may keep them.
    allowed = "\n\t" if newlines else ""
    return not any(
        (ord(ch) < 32 and ch not in allowed) or 0x7F <= ord(ch) <= 0x9F or ch in "\u202a\u202b\u202d\u202e"
        for ch in text
    )


def _check(rendered: Text, *, newlines: bool = False) -> None:
    assert _clean(rendered.plain, newlines=newlines), repr(rendered.plain[:200])
    styles = {str(span.style) for span in rendered.spans} | {str(rendered.style)}
    assert styles <= OWN_STYLES, styles - OWN_STYLES
    console = Console(file=io.StringIO(), width=100, color_system=None, force_terminal=False)
    console.print(rendered)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b" not in output


def _show(item: Item, columns: tuple[Column[Any], ...]) -> None:
    for cell in row_cells(columns, item, NOW):
        _check(cell)
        assert "\n" not in cell.plain
    _check(detail_text(item, time.time()), newlines=True)
    assert isinstance(search_text(item), str)


def _parsed(parse: Callable[[object, str], Item], body: dict[str, Any]) -> Item | None:
    try:
        return parse(body, "data")
    except ModelError:
        return None  # a value the contract forbids (a status that is not a string, say)


@RENDER_FUZZ
@given(renders())
def test_any_render_renders_safely(body: dict[str, Any]) -> None:
    item = _parsed(parse_render, body)
    if item is not None:
        _show(item, RENDER_COLUMNS)


@RENDER_FUZZ
@given(clip_jobs())
def test_any_clip_job_and_its_clips_render_safely(body: dict[str, Any]) -> None:
    job = _parsed(parse_clip_job, body)
    if job is not None:
        _show(job, CLIP_JOB_COLUMNS)
        for clip in getattr(job, "clips", ()):
            assert isinstance(clip, Clip)
            _show(clip, CLIP_COLUMNS)


@RENDER_FUZZ
@given(sessions())
def test_any_session_renders_safely(body: dict[str, Any]) -> None:
    session = _parsed(parse_session, body)
    if session is not None:
        _show(session, SESSION_COLUMNS)
    summary = _parsed(parse_session_summary, body)
    if summary is not None:
        _show(summary, SESSION_COLUMNS)


@RENDER_FUZZ
@given(videos())
def test_any_video_renders_safely(body: dict[str, Any]) -> None:
    video = _parsed(parse_video, body)
    if video is not None:
        _show(video, VIDEO_COLUMNS)


def test_plain_has_nothing_to_clean_in_printable_text() -> None:
    # plain() returns printable text as it is without cleaning it: every character the cleanup
    # removes or replaces must therefore be unprintable.
    changed = [
        char
        for char in map(chr, range(0x10000))
        if any(cleaned(f"a{char}b", keep_newlines=keep) != f"a{char}b" for keep in (False, True))
    ]
    assert "\x1b" in changed and "\u202e" in changed and "\t" in changed
    assert not [char for char in changed if char.isprintable()]
    assert plain("[bold]Launch[/] ✔ 漢字") == "[bold]Launch[/] ✔ 漢字"


@FUZZ
@given(st.text())
def test_plain_and_sanitize_leave_no_control_characters(text: str) -> None:
    assert _clean(plain(text))
    assert _clean(plain(text, keep_newlines=True), newlines=True)
    assert _clean(sanitize(text)) and len(sanitize(text)) <= 200
    assert _clean(excerpt(text))
