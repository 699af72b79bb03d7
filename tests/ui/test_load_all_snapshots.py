"""Pictures of `M` asked to stop while its page hangs: the info line says so at once.

Run `pytest tests/ui/test_load_all_snapshots.py --snapshot-update` after a deliberate change to
the look, then review the SVGs under __snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from hfdash.simulator import Simulator
from tests.conftest import sim_config
from tests.ui.harness import loaded, make_app, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
Compare = Callable[..., bool]


@pytest.mark.parametrize("size", SIZES)
def test_escape_while_every_page_loads(snap_compare: Compare, sim: Simulator, size: tuple[int, int]) -> None:
    sim.state.reset(sim_config(renders=900))

    async def run(pilot: Pilot[Any]) -> None:
        renders = await loaded(pilot)
        # The first page `M` asks for does not come back while the picture is taken.
        sim.state.faults.add("slow", rate=1.0, delay=5.0, path_prefix="/v3/hyperframes/renders")
        await pilot.press("M")
        await wait_until(pilot, lambda: renders.all_loading)
        await pilot.press("escape")
        await pilot.pause(0.3)

    assert snap_compare(make_app(sim, polling=False), terminal_size=size, run_before=run)
