"""Full garbage collections wait while the user types, and run again once the keys stop."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator

import pytest

from hfdash.services import heap
from hfdash.simulator import Simulator
from hfdash.ui import app as app_module
from tests.ui.harness import loaded, make_app, wait_until


@pytest.fixture(autouse=True)
def collections_as_before() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    heap.release_after_input()
    gc.set_threshold(*threshold)


def held() -> bool:
    return gc.get_threshold()[2] > 1_000_000


async def test_keys_hold_full_collections_until_the_input_has_been_quiet_a_while(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "INPUT_QUIET", 0.4)
    full = gc.get_threshold()[2]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "renders")
        assert not held()
        typed_at = time.monotonic()
        for _ in range(4):
            await pilot.press("down")
            await pilot.pause(0.15)
        # Every key put the release off: still held 0.4 s after the first key.
        assert held()
        await wait_until(pilot, lambda: not held(), within=3.0)
        assert time.monotonic() - typed_at >= 0.6
        assert gc.get_threshold()[2] == full
        await pilot.press("down")
        assert held()
    # Quitting while held lets them go.
    assert not held()
    assert gc.isenabled()
