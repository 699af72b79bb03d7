"""Filter and sort: every spec over facts worked out once per item, and cached across calls."""

from __future__ import annotations

from hfdash.models import Render, RenderStatus
from hfdash.services.view import FactsCache, ViewSpec, apply_view, view_ids


def render(number: int, status: str, duration: float, title: str = "") -> Render:
    return Render(
        render_id=f"hfr_{number}",
        status=RenderStatus.parse(status),
        status_raw=status,
        format="mp4",
        title=title or f"render {number}",
        duration=duration,
        created_at=1000 - number,
        failure_message="Render timed out" if status == "failed" else None,
    )


ITEMS = [
    render(0, "completed", 5.0),
    render(1, "failed", 30.0),
    render(2, "rendering", 10.0, "Zebra launch"),
    render(3, "completed", 30.0),
]


def test_filters_and_sorts_keep_newest_first_among_ties() -> None:
    assert view_ids(ITEMS, ViewSpec()) == ["hfr_0", "hfr_1", "hfr_2", "hfr_3"]
    assert view_ids(ITEMS, ViewSpec(status_filter="in flight")) == ["hfr_2"]
    assert view_ids(ITEMS, ViewSpec(status_filter="completed")) == ["hfr_0", "hfr_3"]
    assert view_ids(ITEMS, ViewSpec(text="ZEBRA")) == ["hfr_2"]
    assert view_ids(ITEMS, ViewSpec(text="timed out")) == ["hfr_1"]
    assert view_ids(ITEMS, ViewSpec(sort="status")) == ["hfr_1", "hfr_2", "hfr_0", "hfr_3"]
    assert view_ids(ITEMS, ViewSpec(sort="duration")) == ["hfr_1", "hfr_3", "hfr_2", "hfr_0"]
    assert apply_view(ITEMS, ViewSpec(sort="duration"))[0] is ITEMS[1]


def test_an_empty_cache_is_filled_and_reused() -> None:
    cache = FactsCache()
    view_ids(ITEMS, ViewSpec(text="render"), cache)
    assert len(cache) == len(ITEMS)
    facts = cache.of(ITEMS[2])
    view_ids(ITEMS, ViewSpec(sort="status"), cache)
    assert cache.of(ITEMS[2]) is facts


def test_a_replaced_item_gets_new_facts_and_old_ones_are_dropped() -> None:
    cache = FactsCache()
    items = list(ITEMS)
    for round_ in range(600):
        items[2] = render(2, "completed" if round_ % 2 else "failed", 10.0, "Zebra launch")
        assert view_ids(items, ViewSpec(status_filter="failed"), cache)[-1:] == (
            ["hfr_2"] if round_ % 2 == 0 else ["hfr_1"]
        )
    assert len(cache) <= 2 * len(items) + 1024
