"""Long sessions keep their memory: what the soak found, checked in seconds."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from hfdash.simulator import Simulator
from tests.ui.harness import loaded, make_app


def _footer_keys() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, FooterKey))


async def test_switching_panes_and_screens_does_not_pile_up_footer_keys(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.3)
        start = _footer_keys()
        counts: list[int] = []
        for _ in range(2):
            for _ in range(15):
                for key in ("1", "2", "3", "enter", "escape"):
                    await pilot.press(key)
                    await pilot.pause(0.05)
            await pilot.pause(0.5)
            counts.append(_footer_keys())
        # Each key change rebuilds the footer; the keys it replaced must be freed, not kept. Textual
        # may still hold the keys of one footer it replaced a moment ago (up to a detail screen's
        # 27; seen: 0, 9, 18 or 27 more than at the start), never more: keys that piled up would
        # grow by at least a footer a round, hundreds over these thirty rounds.
        assert all(count <= start + 30 for count in counts), (start, counts)
