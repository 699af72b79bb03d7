"""Rows added per second and memory with 100,000 renders in a pane.

    .venv/bin/python -m tests.benchmarks.bench_table [--rows N]

Runs the real dashboard screen headless against a simulator, then puts N renders
into the Renders pane a page of 100 at a time, as `M` does. Baselines, same run:
stock `DataTable.add_rows` for rows per second; the app's RSS before the rows
arrived for memory. Key latencies are measured on a real terminal by bench_keys.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from hfdash.__main__ import make_app
from hfdash.api.client import HeyGenClient
from hfdash.config.credentials import Credential, Secret
from hfdash.config.settings import Settings
from hfdash.models import Page, Render, RenderStatus
from hfdash.services.clock import FrozenClock
from hfdash.ui.panes.columns import RENDER_COLUMNS, row_cells
from hfdash.ui.screens.main import MainScreen
from tests.benchmarks.common import API_KEY, NOW, Result, isolate, rss_mb, run_once, simulator

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


async def run_pane(url: str, rows: int) -> tuple[float, float, float]:
    credential = Credential(kind="api_key", source="bench", api_key=Secret(API_KEY))
    client = HeyGenClient(credential, base_url=url)
    settings = replace(Settings(), polling=False)
    app = make_app(client, settings, clock=FrozenClock(int(NOW)))
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
        rss_after = rss_mb()
        await pilot.press("q")
    return added, rss_before, rss_after


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
        added, rss_before, rss_after = asyncio.run(run_pane(url, rows))
    stock = asyncio.run(stock_rows_per_second(min(rows, BASELINE_ROWS)))
    return [
        Result(f"rows added/s ({rows:,})", added, stock, "rows/s", ">= 50,000/s"),
        Result(f"RSS with {rows:,} rows", rss_after, rss_before, "MB", "< 300 MB"),
    ]


def main(argv: list[str] | None = None) -> list[Result]:
    return run_once("bench_table", "rows", 100_000, measure, argv)


if __name__ == "__main__":
    main()
