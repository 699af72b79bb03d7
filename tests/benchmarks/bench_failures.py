"""The Failures screen (`F`) over a large account, timed until its groups are on the terminal.

    .venv/bin/python -m tests.benchmarks.bench_failures [--renders N] [--failed N] [--causes N]

hfdash runs as its own process on a pseudo-terminal (160x48), polling off, against a simulator
process whose renders do not fail by themselves (`--render-failures 0`). `failed` renders, spread
evenly through the list, are then made to fail through the simulator's control surface, with
`causes` causes whose messages differ item by item in a quoted name and a duration. After `M` has
loaded every render, `F` is typed and timed until the Failures screen's header counts every
failed item and group; `escape` goes back to the dashboard, and that is repeated. The figure is
the slowest open. Then the screen is left open for a while, nothing changing, and the CPU it uses
is read from /proc beside the dashboard's own over the same time: what its once-a-second check
for new failures costs. Baseline, same run: `F` on a dashboard holding one page of 100 rows.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx

from tests.benchmarks.bench_keys import list_everything, time_key
from tests.benchmarks.bench_load_all import load_all, open_dashboard
from tests.benchmarks.common import MAX_PAGE, Goal, Result, Terminal, cpu_of, run_cli, shown_count, simulator

QUICK = ["--renders", "3000", "--failed", "150"]
OPENS = 7
# Seconds the screen is left open to read its CPU use.
IDLE = 10.0
ASSETS = ("intro.mp4", "logo@2x.png", "music/bed-02.mp3", "broll/city-night.mov", "lower-third.webm")
# A cause is told apart by its words (numbers and quoted names are what varies within one): at most 20.
STAGES = [
    "decode",
    "layout",
    "fonts",
    "capture",
    "encode",
    "mux",
    "upload",
    "thumbnail",
    "captions",
    "audio",
    "overlay",
    "transition",
    "scaling",
    "colour",
    "subtitles",
    "watermark",
    "intro",
    "outro",
    "music",
    "voice",
]


def cause(number: int, item: int) -> str:
    asset, secs = ASSETS[item % len(ASSETS)], item % 97 + 3
    return f"The {STAGES[number]} stage failed: asset '{asset}' not fetched after {secs} s"


async def make_failures(url: str, ids: list[str], causes: int) -> None:
    async with httpx.AsyncClient(base_url=url, trust_env=False) as control:
        for at, render_id in enumerate(ids):
            body = {"status": "failed", "failure_message": cause(at % causes, at)}
            answer = await control.post(f"/_sim/items/render/{render_id}/status", json=body)
            answer.raise_for_status()


def header(failed: int, groups: int) -> bytes:
    return shown_count(failed) + rb" failed items? in " + shown_count(groups) + rb" groups?\b"


def opens(terminal: Terminal, shows: bytes, back: bytes) -> list[float]:
    found = []
    for _ in range(OPENS):
        took = time_key(terminal, "F", shows)
        assert took is not None
        found.append(took)
        time_key(terminal, "escape", back)
    return found


def measure(args: argparse.Namespace) -> list[Result]:
    renders, failed, causes = args.renders, args.failed, args.causes
    extra = ["--render-failures", "0"]
    with simulator(renders, clip_jobs=0, sessions=0, extra=extra) as url, TemporaryDirectory() as scratch:
        ids = asyncio.run(list_everything(url)).ids
        step = len(ids) // failed
        chosen = list(range(0, step * failed, step))
        asyncio.run(make_failures(url, [ids[at] for at in chosen], causes))
        in_page = [n for n, at in enumerate(chosen) if at < MAX_PAGE]
        one_page = open_dashboard(url, Path(scratch) / "one-page", "--page-size", str(MAX_PAGE))
        try:
            page_shows = header(len(in_page), len({n % causes for n in in_page}))
            base = opens(one_page, page_shows, shown_count(MAX_PAGE) + rb" loaded")
        finally:
            one_page.close()
        everything = open_dashboard(url, Path(scratch) / "everything")
        try:
            load_all(everything, renders)
            everything.drain(1.0)
            loaded = b"all " + shown_count(renders) + b" loaded"
            found = opens(everything, header(failed, causes), loaded)
            pid = everything.proc.pid
            cpu, started = cpu_of(pid), time.perf_counter()
            everything.drain(IDLE)
            dashboard = (cpu_of(pid) - cpu) / (time.perf_counter() - started)
            time_key(everything, "F", header(failed, causes))
            cpu, started = cpu_of(pid), time.perf_counter()
            everything.drain(IDLE)
            screen = (cpu_of(pid) - cpu) / (time.perf_counter() - started)
        finally:
            everything.close()
    ms = 1000.0
    return [
        Result(
            f"F opens, {renders:,} renders, {failed:,} failed, {causes} causes (pty, slowest of {OPENS})",
            max(found) * ms,
            "ms",
            max(base) * ms,
            f"{MAX_PAGE} rows, {len(in_page)} failed",
            Goal("figure", "<=", 200),
        ),
        Result(
            f"CPU with the Failures screen open, {renders:,} renders",
            screen * 100,
            "% of a core",
            dashboard * 100,
            "the dashboard alone",
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    options = [("renders", int, 100_000), ("failed", int, 5_000), ("causes", int, 20)]
    return run_cli("bench_failures", __doc__, options, measure, argv)


if __name__ == "__main__":
    main()
