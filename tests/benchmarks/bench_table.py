"""Rows added per second, cursor/filter/sort latency and memory with 100,000 renders in a pane.

    .venv/bin/python -m tests.benchmarks.bench_table [--rows N]

Runs the real dashboard screen headless against a simulator, then puts N renders
into the Renders pane a page of 100 at a time, as `M` does. Baselines, same run:
stock `DataTable.add_rows` for rows per second; the same key on a pane of 100
rows for latency; the app's RSS before the rows arrived for memory. A latency is
from the key press until the table has painted a line again.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable

from hfdash.api.client import HeyGenClient
from hfdash.config.credentials import Credential, Secret
from hfdash.config.settings import Settings
from hfdash.models import Page, Render, RenderStatus
from hfdash.services.clock import FrozenClock
from hfdash.ui.app import HfdashApp
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.panes.columns import RENDER_COLUMNS, row_cells
from hfdash.ui.screens.main import MainScreen
from tests.benchmarks.common import API_KEY, NOW, Result, isolate, p95, rss_mb, show, simulator

STATUSES = ("completed", "completed", "completed", "failed", "rendering", "queued", "teleporting")
BASELINE_ROWS = 20_000


def make_renders(count: int) -> list[Render]:
    now = int(NOW)
    return [
        Render(
            render_id=f"hfr_{number:012x}",
            status=RenderStatus.parse(STATUSES[number % len(STATUSES)]),
            status_raw=STATUSES[number % len(STATUSES)],
            format="mp4",
            title=f"Quarterly update {number} take {number % 13}",
            duration=float(number % 600),
            fps=30,
            quality="high",
            resolution="1080p",
            aspect_ratio="16:9",
            created_at=now - number,
            failure_message="Render timed out after 900s" if number % 7 == 3 else None,
        )
        for number in range(count)
    ]


class Painted:
    """The pane's table, painted in full on demand: a latency includes drawing every visible line."""

    def __init__(self, pane: ResourcePane[Any]) -> None:
        self.table = pane.table

    def paint(self) -> None:
        table = self.table
        for y in range(table.size.height):
            table.render_line(y)


async def latency(pilot: Pilot[Any], painted: Painted, key: str) -> float:
    started = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    painted.paint()
    took = time.perf_counter() - started
    await pilot.pause(0.01)
    return took


async def keys(pilot: Pilot[Any], painted: Painted) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {"cursor": [], "filter": [], "sort": []}
    for key in ["down"] * 40 + ["pagedown"] * 5 + ["up"] * 10:
        found["cursor"].append(await latency(pilot, painted, key))
    await pilot.press("slash")
    for key in [*"update 12", *["backspace"] * 9, *"timed out"]:
        found["filter"].append(await latency(pilot, painted, key))
    await pilot.press("escape")
    await pilot.pause()
    for _ in range(2):
        for _sort in range(3):
            found["sort"].append(await latency(pilot, painted, "s"))
    return found


async def run_pane(url: str, rows: int) -> tuple[float, dict[str, list[float]], float, float]:
    credential = Credential(kind="api_key", source="bench", api_key=Secret(API_KEY))
    client = HeyGenClient(credential, base_url=url)
    settings = replace(Settings(), polling=False)
    app = HfdashApp(client, settings, clock=FrozenClock(int(NOW)))
    renders = make_renders(rows)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        controller = screen.controllers["renders"]
        while not controller.store.loaded or controller.pane.loading:
            await pilot.pause(0.05)
        controller.cache = None
        store, pane = controller.store, controller.pane
        store.restore([], [], None, False)
        pane.render_rows()
        await pilot.pause()
        rss_before = rss_mb()
        started = time.perf_counter()
        for start in range(0, rows, 100):
            page = Page(items=tuple(renders[start : start + 100]), has_more=True, next_token=f"t{start}")
            pane.apply(store.apply_next(page, f"t{start}"))
        await pilot.pause()
        added = rows / (time.perf_counter() - started)
        painted = Painted(pane)
        found = await keys(pilot, painted)
        rss_after = rss_mb()
        await pilot.press("q")
    return added, found, rss_before, rss_after


class Stock(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


async def stock_rows_per_second(rows: int) -> float:
    renders = make_renders(rows)
    app = Stock()
    async with app.run_test(size=(140, 45)) as pilot:
        table = app.query_one(DataTable)
        for column in RENDER_COLUMNS:
            table.add_column(column.label, key=column.key, width=column.width)
        cells: list[list[Text]] = [row_cells(RENDER_COLUMNS, item, float(NOW)) for item in renders]
        started = time.perf_counter()
        for start in range(0, rows, 100):
            table.add_rows(cells[start : start + 100])
        await pilot.pause()
        return rows / (time.perf_counter() - started)


def measure(rows: int) -> list[Result]:
    isolate()
    with simulator(renders=20) as url:
        added, found, rss_before, rss_after = asyncio.run(run_pane(url, rows))
        _small_added, small, _b, _a = asyncio.run(run_pane(url, 100))
    stock = asyncio.run(stock_rows_per_second(min(rows, BASELINE_ROWS)))
    ms = 1000.0
    filter_ms = p95(found["filter"]) * ms
    return [
        Result(f"rows added/s ({rows:,})", added, stock, "rows/s", ">= 50,000/s"),
        Result("p95 cursor move", p95(found["cursor"]) * ms, p95(small["cursor"]) * ms, "ms", "< 50 ms"),
        Result("p95 filter keystroke", filter_ms, p95(small["filter"]) * ms, "ms", "< 100 ms"),
        Result("p95 sort change", p95(found["sort"]) * ms, p95(small["sort"]) * ms, "ms", "< 100 ms"),
        Result(f"RSS with {rows:,} rows", rss_after, rss_before, "MB", "< 300 MB"),
    ]


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(prog="bench_table")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    results = measure(args.rows)
    show(results)
    return results


if __name__ == "__main__":
    main()
