"""Start to first rows, cold, on a pseudo-terminal, against the floor app in the same run.

    .venv/bin/python -m tests.benchmarks.bench_start [--runs N]

Each run starts the minimal app (one Static), the floor app (Textual + stock httpx: the first
page's ids in one Static), the widget floor (the same page in a stock DataTable, laid out with
the dashboard's widgets) and hfdash cold (empty cache and settings) back to back, each as its
own process on a pseudo-terminal, against one simulator process on loopback. The clock runs
from spawning the process until the first render's id (for hfdash and the floor) or the
minimal app's text has been written to the terminal. The ratio is the median of each run's own
hfdash / floor ratio: a shared machine's speed drifts, and the starts of one run share it.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import httpx

from tests.benchmarks.common import (
    API_KEY,
    RENDERS_PATH,
    Goal,
    Result,
    Terminal,
    child_env,
    median,
    run_cli,
    simulator,
)
from tests.benchmarks.minimal_app import MARK

MINIMAL = (sys.executable, "-m", "tests.benchmarks.minimal_app")
FLOOR = (sys.executable, "-m", "tests.benchmarks.floor_app")
WIDGETS = (sys.executable, "-m", "tests.benchmarks.widget_floor_app")
HFDASH = (sys.executable, "-m", "hfdash")
# As much of an id as a narrow ID column still shows before its ellipsis.
ID_HEAD = 12
QUICK = ["--runs", "2"]


def first_render_id(url: str) -> str:
    answer = httpx.get(
        f"{url}{RENDERS_PATH}", params={"limit": "1"}, headers={"x-api-key": API_KEY}, trust_env=False
    )
    answer.raise_for_status()
    return str(answer.json()["data"][0]["render_id"])


def time_to(argv: tuple[str, ...], env: dict[str, str], text: str) -> float:
    """Seconds from spawning `argv` until `text` is on its terminal."""
    terminal = Terminal(argv, env)
    try:
        return terminal.wait_for(re.escape(text.encode()), within=30.0)
    finally:
        terminal.close()


def measure(args: argparse.Namespace) -> list[Result]:
    minimal: list[float] = []
    floor: list[float] = []
    cold: list[float] = []
    widgets: list[float] = []
    with simulator(renders=200) as url, tempfile.TemporaryDirectory() as scratch:
        needle = first_render_id(url)[:ID_HEAD]
        # Unmeasured: the first start of each reads its files from disk into the page cache.
        for argv, text in ((MINIMAL, MARK), (FLOOR, needle), (WIDGETS, needle), (HFDASH, needle)):
            time_to(argv, child_env(Path(scratch) / "warm-up", url), text)
        for run in range(args.runs):
            minimal.append(time_to(MINIMAL, child_env(Path(scratch) / f"m{run}", url), MARK))
            floor.append(time_to(FLOOR, child_env(Path(scratch) / f"f{run}", url), needle))
            widgets.append(time_to(WIDGETS, child_env(Path(scratch) / f"w{run}", url), needle))
            cold.append(time_to(HFDASH, child_env(Path(scratch) / f"c{run}", url), needle))

    def paired(figures: list[float], baselines: list[float]) -> float:
        return median([mine / theirs for mine, theirs in zip(figures, baselines, strict=True)])

    ms = 1000.0
    return [
        Result(
            "start to first rows, cold (pty)",
            median(cold) * ms,
            "ms",
            median(floor) * ms,
            "floor app",
            Goal("ratio", "<=", 1.25),
            paired_ratio=paired(cold, floor),
        ),
        Result(
            "start: floor app (Textual + httpx page)",
            median(floor) * ms,
            "ms",
            median(minimal) * ms,
            "minimal app",
            paired_ratio=paired(floor, minimal),
        ),
        Result(
            "start: floor app with hfdash's widgets",
            median(widgets) * ms,
            "ms",
            median(floor) * ms,
            "floor app",
            paired_ratio=paired(widgets, floor),
        ),
        Result(
            "start to first rows vs the widget floor",
            median(cold) * ms,
            "ms",
            median(widgets) * ms,
            "widget floor",
            paired_ratio=paired(cold, widgets),
        ),
        Result("start: minimal Textual app (one Static)", median(minimal) * ms, "ms"),
    ]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    return run_cli("bench_start", __doc__, [("runs", int, 7)], measure, argv)


if __name__ == "__main__":
    main()
