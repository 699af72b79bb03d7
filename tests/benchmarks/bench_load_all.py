"""`M` end to end: every page of a large account from a simulator on loopback, into the pane.

    .venv/bin/python -m tests.benchmarks.bench_load_all [--renders N]

Baseline, same run: the bare API client reading the same pages (100 at a time) with
no UI, so the ratio is what the dashboard adds on top of the requests themselves.
The simulator scans its whole account for every page, so its own cost grows with N.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from hfdash.__main__ import make_app
from hfdash.api.client import HeyGenClient
from hfdash.config.credentials import Credential, Secret
from hfdash.config.settings import Settings
from hfdash.ui.screens.main import MainScreen
from tests.benchmarks.common import API_KEY, Result, isolate, run_once, simulator

CREDENTIAL = Credential(kind="api_key", source="bench", api_key=Secret(API_KEY))


async def bare_client(url: str) -> float:
    started = time.perf_counter()
    async with HeyGenClient(CREDENTIAL, base_url=url) as client:
        token: str | None = None
        while True:
            page = await client.renders.list(limit=100, token=token)
            if not page.has_more or page.next_token is None:
                break
            token = page.next_token
    return time.perf_counter() - started


async def dashboard(url: str, renders: int) -> float:
    app = make_app(HeyGenClient(CREDENTIAL, base_url=url), replace(Settings(), polling=False))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        controller = screen.controllers["renders"]
        while not controller.store.loaded:
            await pilot.pause(0.05)
        started = time.perf_counter()
        await pilot.press("M")
        while len(controller.store) < renders or controller.pane.all_loading:
            await pilot.pause(0.05)
        took = time.perf_counter() - started
        await pilot.press("q")
    return took


def measure(renders: int) -> list[Result]:
    isolate()
    with simulator(renders=renders) as url:
        base = asyncio.run(bare_client(url))
        figure = asyncio.run(dashboard(url, renders))
    return [Result(f"M: load all {renders:,} renders", figure, base, "s", "< 60 s")]


def main(argv: list[str] | None = None) -> list[Result]:
    return run_once("bench_load_all", "renders", 100_000, measure, argv)


if __name__ == "__main__":
    main()
