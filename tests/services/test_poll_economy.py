"""One poll cycle of the Renders pane costs one request per page holding renders in flight, at most a few."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from hfdash.models import Page, Render
from hfdash.models.renders import parse_listed_render
from hfdash.services.kinds import needs_poll
from hfdash.services.sources import MAX_POLLED_PAGES, RendersSource, pages_this_cycle
from hfdash.services.store import PaneStore
from hfdash.simulator import Simulator
from tests.conftest import sim_config
from tests.ui.harness import make_client


def pages_holding_in_flight(store: PaneStore[Render]) -> list[int]:
    """What `pages_pending` must answer, worked out the slow way: every item of every page."""
    return [
        index
        for index, record in enumerate(store.pages)
        if any(key in store.items and needs_poll(store.items[key]) for key in record.ids)
    ]


def _api_requests(sim: Simulator) -> int:
    # A slow file download left over from an earlier test may still land in the shared log.
    return sum(1 for entry in sim.state.request_log if str(entry["path"]).startswith("/v3/"))


@pytest.mark.parametrize("page_size", [50, 100])
async def test_fifty_renders_in_flight_on_the_first_page_cost_one_request(
    sim: Simulator, page_size: int
) -> None:
    sim.state.reset(sim_config(renders=200))
    in_flight = [sim.state.add_render(title=f"job {n}", status="rendering")["render_id"] for n in range(50)]
    client = make_client(sim)
    try:
        source = RendersSource(client)
        store: PaneStore[Render] = PaneStore()
        store.apply_head(await source.list(limit=page_size))
        assert set(in_flight) <= set(store.items)
        for cycle in range(3):
            before = _api_requests(sim)
            if cycle == 2:
                sim.state.set_status("render", in_flight[7], "completed")
            change = await source.poll(store, page_size)
            assert _api_requests(sim) - before == 1
        assert change.updated == [in_flight[7]]
        item = store.items[in_flight[7]]
        assert isinstance(item, Render)
        assert not needs_poll(item)
    finally:
        await client.aclose()


async def test_nothing_in_flight_costs_no_request(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=30))
    client = make_client(sim)
    try:
        source = RendersSource(client)
        store: PaneStore[Render] = PaneStore()
        store.apply_head(await source.list(limit=50))
        for item_id in [key for key, item in store.items.items() if needs_poll(item)]:
            sim.state.set_status("render", item_id, "completed")
        await source.poll(store, 50)
        before = _api_requests(sim)
        await source.poll(store, 50)
        assert _api_requests(sim) == before
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    ("holding", "polled_to", "chosen"),
    [
        ([0, 3, 7], 0, [0, 3, 7]),
        ([0, 1, 2, 3, 4, 5, 6], 0, [0, 1, 2, 3]),
        ([0, 1, 2, 3, 4, 5, 6], 3, [0, 4, 5, 6]),
        ([0, 1, 2, 3, 4, 5, 6], 5, [0, 6, 1, 2]),
        ([2, 4, 6, 8, 10], 4, [6, 8, 10, 2]),
        ([2, 4, 6, 8, 10], 10, [2, 4, 6, 8]),
    ],
)
def test_the_first_page_is_read_every_cycle_and_deeper_ones_take_turns(
    holding: list[int], polled_to: int, chosen: list[int]
) -> None:
    assert pages_this_cycle(holding, polled_to, 4) == chosen


async def test_renders_in_flight_all_over_a_long_history_cost_a_few_requests_a_cycle(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=0))
    for n in range(300):
        sim.state.add_render(title=f"job {n}", status="rendering" if n % 10 == 0 else "completed")
    client = make_client(sim)
    try:
        source = RendersSource(client)
        store: PaneStore[Render] = PaneStore()
        store.apply_head(await source.list(limit=10))
        while store.has_more and store.next_token is not None:
            token = store.next_token
            store.apply_next(await source.list(limit=10, token=token), token)
        assert len(store.pages) == 30
        assert len(pages_holding_in_flight(store)) == 30
        for item_id in [key for key, item in store.items.items() if needs_poll(item)]:
            sim.state.set_status("render", item_id, "completed")
        cycles = 0
        while pages_holding_in_flight(store):
            assert store.pages_pending() == pages_holding_in_flight(store)
            before = _api_requests(sim)
            await source.poll(store, 10)
            assert _api_requests(sim) - before <= MAX_POLLED_PAGES
            cycles += 1
        assert store.pages_pending() == []
        # The first cycle reads the first page and three deeper ones; the first page is done then,
        # so the 26 left go four at a time.
        assert cycles == 1 + math.ceil((29 - (MAX_POLLED_PAGES - 1)) / MAX_POLLED_PAGES)
    finally:
        await client.aclose()


def test_the_pages_still_to_poll_follow_every_change_to_the_store() -> None:
    def render(n: int, status: str) -> Render:
        return parse_listed_render(
            {"render_id": f"hfr_{n}", "status": status, "created_at": 1_795_176_000 - n, "format": "mp4"},
            "data",
        )

    store: PaneStore[Render] = PaneStore()
    store.apply_head(
        Page(tuple(render(n, "rendering" if n == 1 else "completed") for n in range(3)), True, "t1")
    )
    store.apply_next(
        Page(tuple(render(n, "queued" if n == 4 else "completed") for n in range(3, 6)), True, "t2"), "t1"
    )
    store.apply_next(Page(tuple(render(n, "completed") for n in range(6, 9)), False, None), "t2")
    steps: list[Callable[[], object]] = [
        lambda: store.upsert(render(1, "completed")),
        lambda: store.upsert(render(7, "rendering")),
        lambda: store.remove("hfr_4"),
        lambda: store.apply_refresh(Page((render(0, "failed"), render(1, "queued")), True, "t1"), 0),
        lambda: store.restore(list(store.items.values()), store.pages, None, False),
        lambda: store.upsert(render(7, "completed")),
        lambda: store.upsert(render(1, "completed")),
    ]
    assert store.pages_pending() == pages_holding_in_flight(store) == [0, 1]
    for step in steps:
        step()
        assert store.pages_pending() == pages_holding_in_flight(store)
    assert store.pages_pending() == []
