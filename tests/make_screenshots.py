"""Writes the README's pictures to screenshots/ from the demo account, frozen in time.

    .venv/bin/python -m tests.make_screenshots

Every picture comes from the real app on the same simulator `hfdash --demo` runs, with its clock and
the simulator's frozen so the pictures only change when the app does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from hfdash.__main__ import make_app
from hfdash.api.client import HeyGenClient
from hfdash.config.credentials import Credential, Secret
from hfdash.config.settings import Settings
from hfdash.simulator import SimConfig, Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.screens.main import MainScreen
from tests.clock import FrozenClock

OUT = Path(__file__).resolve().parents[1] / "screenshots"
NOW = 1_795_176_000
SIZE = (150, 40)
# (file name, keys pressed after every pane has loaded)
SHOTS: Sequence[tuple[str, Sequence[str]]] = (
    ("renders", ()),
    ("ai-clips", ("2",)),
    ("video-agent", ("3",)),
    ("triage-failed-render", ("f", "f", "enter")),
    ("clip-job-detail", ("2", "enter")),
    ("delete-confirmation", ("x",)),
    ("failures", ("F",)),
)


def _app(sim: Simulator) -> HfdashApp:
    credential = Credential(kind="api_key", source="HEYGEN_API_KEY", api_key=Secret(sim.api_key))
    client = HeyGenClient(credential, base_url=sim.url)
    return make_app(client, Settings(polling=False), clock=FrozenClock(NOW), host_label="api.heygen.com")


async def _settle(pilot: Pilot[Any]) -> None:
    screen = next(s for s in pilot.app.screen_stack if isinstance(s, MainScreen))
    for _ in range(200):
        done = all(c.store.loaded and not c.pane.loading for c in screen.controllers.values())
        agents = screen.controllers["agents"].store.items.values()
        if done and all(hasattr(item, "status") for item in agents):
            return
        await pilot.pause(0.05)
    raise RuntimeError("the demo account did not load")


async def shoot(sim: Simulator, name: str, keys: Sequence[str]) -> Path:
    app = _app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.3)
        await pilot.pause(0.5)
        path = OUT / f"{name}.svg"
        path.write_text(app.export_screenshot(title=f"hfdash — {name.replace('-', ' ')}"), encoding="utf-8")
        return path


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    config = SimConfig(seed=2026, renders=120, clip_jobs=15, sessions=12, speed=0.0, now=NOW, api_key="demo")
    sim = Simulator(config, host="127.0.0.1", port=0)
    sim.start()
    try:
        for name, keys in SHOTS:
            print(await shoot(sim, name, keys))
    finally:
        sim.stop()


if __name__ == "__main__":
    asyncio.run(main())
