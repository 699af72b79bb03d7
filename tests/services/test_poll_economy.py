"""One poll cycle of the Renders pane costs one request per page holding renders in flight."""

from __future__ import annotations

import pytest

from hfdash.models import Render
from hfdash.services.kinds import needs_poll
from hfdash.services.sources import RendersSource, new_store
from hfdash.services.store import PaneStore
from hfdash.simulator import Simulator
from tests.conftest import sim_config
from tests.ui.harness import make_client


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
        store: PaneStore[Render] = new_store()
        store.apply_head(await source.list_page(None, page_size))
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
        store: PaneStore[Render] = new_store()
        store.apply_head(await source.list_page(None, 50))
        for item_id in [key for key, item in store.items.items() if needs_poll(item)]:
            sim.state.set_status("render", item_id, "completed")
        await source.poll(store, 50)
        before = _api_requests(sim)
        await source.poll(store, 50)
        assert _api_requests(sim) == before
    finally:
        await client.aclose()
