"""The sorted index serves exactly the pages a sort and scan of the whole account would."""

from __future__ import annotations

import random

from hfdash.simulator import SimConfig
from hfdash.simulator.lifecycle import Record
from hfdash.simulator.paging import Cursor, Index, position
from hfdash.simulator.state import SimState

Paged = tuple[list[Record], bool, Cursor]


def scanned(records: list[Record], limit: int, cursor: Cursor, now: float) -> Paged:
    """Paging as the contract states it, with no index: every visible record, sorted, then sliced."""
    visible = sorted((r for r in records if not r.deleted and r.sort_t <= now), key=position, reverse=True)
    rest = [r for r in visible if cursor is None or position(r) < cursor]
    items = rest[:limit]
    has_more = len(rest) > limit
    return items, has_more, position(items[-1]) if has_more else None


def test_pages_match_a_full_scan_through_inserts_moves_and_deletes() -> None:
    rng = random.Random(11)
    index = Index()
    records: list[Record] = []
    for seq in range(1, 600):
        # Few distinct times, so many records tie on created_at and seq decides their order.
        rec = Record("render", f"r{seq}", seq, rng.randrange(1000, 1040), [(0.0, "queued")])
        records.append(rec)
        index.add(rec)
        if rng.random() < 0.1:
            gone = rng.choice(records)
            gone.deleted = True
        if rng.random() < 0.05:
            moved = rng.choice(records)
            index.discard(moved)
            moved.created_at = rng.randrange(1000, 1050)
            index.add(moved)
        if rng.random() < 0.03:
            dropped = rng.choice(records)
            index.discard(dropped)
            records.remove(dropped)
    assert len(index) == len(records)
    for now in (1020.5, 1039.0, 1100.0):
        for limit in (1, 7, 100):
            cursor: Cursor = None
            while True:
                expected = scanned(records, limit, cursor, now)
                assert index.page(limit, cursor, now) == expected
                if not expected[1]:
                    break
                cursor = expected[2]


def test_discarding_a_record_never_indexed_changes_nothing() -> None:
    index = Index()
    kept = Record("render", "a", 1, 10, [(0.0, "queued")])
    index.add(kept)
    index.discard(Record("render", "b", 0, 10, [(0.0, "queued")]))
    assert index.page(10, None, 20.0) == ([kept], False, None)


def test_moving_an_item_in_time_moves_it_in_the_list() -> None:
    state = SimState(SimConfig(seed=3, speed=0.0, now=2_000_000_000.0, renders=30, clip_jobs=0, sessions=0))
    newest = state.list_page("render", {"limit": "1"})["data"][0]["render_id"]
    state.set_status("render", newest, "completed", created_at=1)
    listed = [row["render_id"] for row in state.list_page("render", {"limit": "100"})["data"]]
    assert listed[-1] == newest and len(listed) == 30
