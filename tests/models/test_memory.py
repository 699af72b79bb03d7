"""What a parsed item keeps in memory: the figure that decides whether 100,000 renders fit."""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

from hfdash.models import Render
from hfdash.models.renders import LISTED_URL, parse_listed_render, parse_render
from tests.pages import parse_page

_SIGNED = "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261123&X-Amz-Signature=" + "9f" * 32


def _listed(number: int) -> dict[str, Any]:
    done = number % 3 != 0
    return {
        "render_id": f"hfr_{number:012x}",
        "status": "completed" if done else "rendering",
        "title": f"Quarterly update {number}",
        "callback_id": None,
        "video_url": f"https://files.example/renders/{number}.mp4{_SIGNED}" if done else None,
        "thumbnail_url": f"https://files.example/thumbs/{number}.jpg{_SIGNED}" if done else None,
        "duration": 12.5 if done else None,
        "fps": 30,
        "quality": "high",
        "format": "mp4",
        "resolution": "1080p",
        "aspect_ratio": "16:9",
        "composition": "compositions/intro.html",
        "created_at": 1_795_000_000 - number,
        "completed_at": 1_795_000_100 - number if done else None,
        "failure_message": None,
    }


def test_a_listed_render_keeps_which_urls_it_has_not_the_urls() -> None:
    body = _listed(1)
    listed = parse_listed_render({**body, "thumbnail_url": ""})
    assert listed.video_url == LISTED_URL and listed.thumbnail_url == ""
    assert parse_listed_render(_listed(3)).video_url is None
    full = parse_render(body)
    assert full.video_url == body["video_url"]
    assert parse_listed_render(body) == Render(
        **{**_fields(full), "video_url": LISTED_URL, "thumbnail_url": LISTED_URL}
    )


def _fields(render: Render) -> dict[str, Any]:
    return {name: getattr(render, name) for name in render.__slots__}


def test_values_from_a_small_set_are_one_shared_string() -> None:
    # Decoded separately, as two pages are: the decoder gives each its own copy of every value.
    first, second = (parse_render(json.loads(json.dumps(_listed(n)))) for n in (1, 2))
    for name in ("status_raw", "format", "quality", "resolution", "aspect_ratio", "composition"):
        assert getattr(first, name) == getattr(second, name)
        assert getattr(first, name) is getattr(second, name), name


def test_a_page_of_listed_renders_keeps_little_beyond_ids_and_titles() -> None:
    count = 1000
    raw = json.dumps({"data": [_listed(n) for n in range(count)], "has_more": True, "next_token": "t"})
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        page = parse_page(json.loads(raw), parse_listed_render)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(page.items) == count
    # The Render itself (17 slots, 176 bytes), its id and title (about 70 bytes each), and its
    # numbers. Keeping the URLs (two of about 300 bytes) or a copy per render of each of the six
    # short labels (about 60 bytes each) would each break this.
    assert kept / count < 560, f"{kept / count:.0f} bytes per listed render"
