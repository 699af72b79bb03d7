"""Filter and sort: every spec over facts worked out as items change, and orders kept while they hold."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

from hfdash.models import Render, RenderStatus
from hfdash.services.failures import failure_key
from hfdash.services.kinds import Category, Item, category, created_at, duration, search_text
from hfdash.services.view import SORTS, STATUS_FILTERS, PaneView, ViewSpec


def render(number: int, status: str, duration: float, title: str = "") -> Render:
    return Render(
        render_id=f"hfr_{number}",
        status=next((known for known in RenderStatus if known.value == status), RenderStatus.UNKNOWN),
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


def view_ids(items: list[Render], spec: ViewSpec) -> list[str]:
    view, by_id = pane_view(items)
    return view.ids(list(by_id), spec)


def test_filters_and_sorts_keep_newest_first_among_ties() -> None:
    assert view_ids(ITEMS, ViewSpec()) == ["hfr_0", "hfr_1", "hfr_2", "hfr_3"]
    assert view_ids(ITEMS, ViewSpec(status_filter="in flight")) == ["hfr_2"]
    assert view_ids(ITEMS, ViewSpec(status_filter="completed")) == ["hfr_0", "hfr_3"]
    assert view_ids(ITEMS, ViewSpec(text="ZEBRA")) == ["hfr_2"]
    assert view_ids(ITEMS, ViewSpec(text="timed out")) == ["hfr_1"]
    assert view_ids(ITEMS, ViewSpec(sort="status")) == ["hfr_1", "hfr_2", "hfr_0", "hfr_3"]
    assert view_ids(ITEMS, ViewSpec(sort="duration")) == ["hfr_1", "hfr_3", "hfr_2", "hfr_0"]


def test_a_failure_group_shows_exactly_its_items_and_follows_their_changes() -> None:
    crashes = [
        replace(render(n, "failed", float(n)), failure_message=f"Chromium crashed at frame {n * 10}")
        for n in (4, 5, 6)
    ]
    items = [*ITEMS, *crashes, replace(render(7, "completed", 1.0), failure_message="Chromium crashed at 9")]
    view, by_id = pane_view(items)
    order = list(by_id)
    group = failure_key(crashes[0])
    assert not ViewSpec(group=group).is_default
    assert view.ids(order, ViewSpec(group=group)) == ["hfr_4", "hfr_5", "hfr_6"]
    assert view.ids(order, ViewSpec(group=group, sort="duration")) == ["hfr_6", "hfr_5", "hfr_4"]
    assert view.ids(order, ViewSpec(group=group, text="hfr_5")) == ["hfr_5"]
    assert view.ids(order, ViewSpec(group=failure_key(ITEMS[1]))) == ["hfr_1"]
    assert sorted(view.failed()) == ["hfr_1", "hfr_4", "hfr_5", "hfr_6"]
    before = view.version
    by_id["hfr_5"] = replace(crashes[1], failure_message="Font 'Inter' could not be loaded.")
    view.apply(by_id, ["hfr_5"])
    assert view.version != before
    assert view.ids(order, ViewSpec(group=group)) == ["hfr_4", "hfr_6"]


def pane_view(items: list[Render]) -> tuple[PaneView, dict[str, Item]]:
    by_id: dict[str, Item] = {item.render_id: item for item in items}
    view = PaneView()
    view.apply(by_id, list(by_id))
    return view, by_id


def test_a_reversed_sort_reads_the_kept_order_backwards_and_names_its_direction() -> None:
    view, by_id = pane_view(ITEMS)
    order = list(by_id)
    assert view.ids(order, ViewSpec(reverse=True)) == ["hfr_3", "hfr_2", "hfr_1", "hfr_0"]
    assert view.ids(order, ViewSpec(sort="status", reverse=True)) == ["hfr_3", "hfr_0", "hfr_2", "hfr_1"]
    assert view.ids(order, ViewSpec(text="render", sort="duration", reverse=True))[0] == "hfr_0"
    # The sorted order stays ready for both directions: going back costs no sort.
    assert view.is_ordered(order, "status")
    assert ViewSpec().descending and not ViewSpec(reverse=True).descending
    assert not ViewSpec(sort="status").descending and ViewSpec(sort="status", reverse=True).descending
    assert not ViewSpec(reverse=True).is_default
    # A change that moves rows is seen reversed too.
    by_id["hfr_3"] = render(3, "failed", 30.0)
    view.apply(by_id, ["hfr_3"])
    assert view.ids(order, ViewSpec(sort="status", reverse=True))[-2:] == ["hfr_3", "hfr_1"]


def test_facts_and_counts_follow_each_change() -> None:
    view, by_id = pane_view(ITEMS)
    assert view.counts[Category.FAILED] == 1 and len(view.facts) == 4
    by_id["hfr_2"] = render(2, "failed", 10.0, "Zebra launch")
    view.apply(by_id, ["hfr_2"])
    assert view.counts[Category.FAILED] == 2 and view.counts[Category.IN_FLIGHT] == 0
    del by_id["hfr_1"]
    view.apply(by_id, ["hfr_1"])
    assert view.counts[Category.FAILED] == 1 and "hfr_1" not in view.facts
    assert view.ids(list(by_id), ViewSpec(sort="status")) == ["hfr_2", "hfr_0", "hfr_3"]


def test_a_sort_is_kept_until_an_item_changes_what_it_sorts_by() -> None:
    view, by_id = pane_view(ITEMS)
    order = list(by_id)
    assert view.ids(order, ViewSpec(sort="duration")) == ["hfr_1", "hfr_3", "hfr_2", "hfr_0"]
    # A title change cannot move a row: the kept order still holds, the new title still matches.
    by_id["hfr_0"] = render(0, "completed", 5.0, "Zebra sequel")
    view.apply(by_id, ["hfr_0"])
    assert view.ids(order, ViewSpec(text="zebra", sort="duration")) == ["hfr_2", "hfr_0"]
    by_id["hfr_0"] = render(0, "completed", 50.0, "Zebra sequel")
    view.apply(by_id, ["hfr_0"])
    assert view.ids(order, ViewSpec(sort="duration")) == ["hfr_0", "hfr_1", "hfr_3", "hfr_2"]


def test_a_longer_needle_narrows_and_a_shorter_one_widens_again() -> None:
    items = [render(n, "completed", 1.0, f"take {n}") for n in range(30)]
    view, by_id = pane_view(items)
    order = list(by_id)
    assert len(view.ids(order, ViewSpec(text="take 1"))) == 11
    assert view.ids(order, ViewSpec(text="take 12")) == ["hfr_12"]
    assert len(view.ids(order, ViewSpec(text="take 1"))) == 11
    # A change between keystrokes is seen even when the needle only grew.
    assert view.ids(order, ViewSpec(text="take 2")) == ["hfr_2", *(f"hfr_{n}" for n in range(20, 30))]
    by_id["hfr_3"] = render(3, "completed", 1.0, "take 23b")
    view.apply(by_id, ["hfr_3"])
    assert view.ids(order, ViewSpec(text="take 23")) == ["hfr_3", "hfr_23"]


def test_facts_are_worked_out_when_the_items_were_filled_behind_its_back() -> None:
    view = PaneView()
    by_id: dict[str, Item] = {item.render_id: item for item in ITEMS}
    view.sync(by_id)
    assert view.ids(list(by_id), ViewSpec(status_filter="completed")) == ["hfr_0", "hfr_3"]


def test_orders_prepared_ahead_hold_until_a_change_that_moves_rows() -> None:
    view, by_id = pane_view(ITEMS)
    order = list(by_id)
    assert not view.is_ordered(order, "status")
    view.prepare(order, "status")
    assert view.is_ordered(order, "status")
    by_id["hfr_0"] = render(0, "completed", 5.0, "Zebra sequel")
    view.apply(by_id, ["hfr_0"])
    assert view.is_ordered(order, "status")
    assert view.ids(order, ViewSpec(sort="status", text="zebra")) == ["hfr_2", "hfr_0"]
    by_id["hfr_0"] = render(0, "failed", 5.0, "Zebra sequel")
    view.apply(by_id, ["hfr_0"])
    assert not view.is_ordered(order, "status")
    assert view.ids(order, ViewSpec(sort="status")) == ["hfr_0", "hfr_1", "hfr_2", "hfr_3"]


def test_every_view_matches_a_plain_sort_through_a_long_run_of_changes() -> None:
    chooser = random.Random(7)
    statuses = ("completed", "failed", "rendering", "queued", "cancelled", "teleporting")
    by_id: dict[str, Item] = {}
    view = PaneView()
    for step in range(400):
        number = chooser.randrange(60)
        key = f"hfr_{number}"
        if key in by_id and chooser.random() < 0.2:
            del by_id[key]
        else:
            title = chooser.choice(("alpha", "beta", "alphabet"))
            by_id[key] = render(number, chooser.choice(statuses), chooser.choice((1.0, 5.0, 9.0)), title)
        view.apply(by_id, [key])
        # The store's order: newest first.
        order = sorted(by_id, key=lambda found: -created_at(by_id[found]))
        if step % 3:
            view.prepare(order, chooser.choice(SORTS))
        spec = ViewSpec(
            chooser.choice(STATUS_FILTERS),
            chooser.choice(("", "alpha", "alphab", "beta")),
            chooser.choice(SORTS),
            reverse=chooser.random() < 0.3,
        )
        assert view.ids(order, spec) == [item.id for item in naive(order, by_id, spec)], (step, spec)


def naive(order: list[str], by_id: dict[str, Item], spec: ViewSpec) -> list[Item]:
    """What a view shows, worked out the slow, obvious way."""
    wanted = {
        "all": None,
        "in flight": {Category.IN_FLIGHT, Category.WAITING, Category.LOADING},
        "failed": {Category.FAILED},
        "completed": {Category.COMPLETED},
    }[spec.status_filter]
    items = [by_id[key] for key in order]
    items = [item for item in items if wanted is None or category(item) in wanted]
    items = [item for item in items if spec.text.casefold() in search_text(item)]
    ranks = [Category.FAILED, Category.UNKNOWN, Category.IN_FLIGHT, Category.WAITING, Category.LOADING]
    ranks += [Category.CANCELLED, Category.COMPLETED]
    if spec.sort == "status":
        items = sorted(items, key=lambda item: ranks.index(category(item)))
    elif spec.sort == "duration":
        items = sorted(items, key=lambda item: -duration(item))
    else:
        items = sorted(items, key=lambda item: -created_at(item))
    # Reversed is the same rows read from the bottom up.
    return items[::-1] if spec.reverse else items


def large_account(rows: int, chooser: random.Random) -> tuple[PaneView, dict[str, Item], list[str]]:
    statuses = ("completed", "failed", "rendering", "cancelled")
    words = ("launch", "promo", "teaser", "recap", "intro", "Zürich", "straße")
    items = [
        render(number, chooser.choice(statuses), float(number % 97), f"{chooser.choice(words)} take {number}")
        for number in range(rows)
    ]
    view, by_id = pane_view(items)
    return view, by_id, list(by_id)


def test_rare_and_common_needles_over_ten_thousand_rows_match_the_obvious_answer() -> None:
    chooser = random.Random(3)
    view, by_id, order = large_account(10_000, chooser)
    for sort in SORTS:
        while view.prepare(order, sort):
            pass
    typed = ("t", "ta", "tak", "take", "take 7", "take 77", "take 777", "take 7777", "take 77777")
    needles = (*typed, "strasse", "zür", "_99", "hfr_1234", "nowhere", "e", "re", "recap take 1")
    for status_filter in STATUS_FILTERS:
        for sort in SORTS:
            for needle, reverse in itertools.product(needles, (False, True)):
                spec = ViewSpec(status_filter, needle, sort, reverse)
                expected = [item.id for item in naive(order, by_id, spec)]
                assert view.ids(order, spec) == expected, spec


def test_a_search_text_holding_control_characters_is_still_found() -> None:
    chooser = random.Random(5)
    view, by_id, order = large_account(9_000, chooser)
    marked = render(4_321, "completed", 1.0, "odd\x00title\x01 take 1")
    by_id[marked.render_id] = marked
    view.apply(by_id, [marked.render_id])
    for needle in ("odd", "take 4321", "title\x01", "take 1"):
        spec = ViewSpec(text=needle)
        assert view.ids(order, spec) == [item.id for item in naive(order, by_id, spec)], needle
