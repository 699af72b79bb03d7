"""`*` (mark every row shown) with a large account loaded, timed until the marks are on the terminal.

    .venv/bin/python -m tests.benchmarks.bench_marks [--renders N] [--runs R]

hfdash runs as its own process on a pseudo-terminal (160x48), polling off, against a simulator
process on loopback. After `M` has loaded all N renders, `*` is typed R times, each timed from
its byte being written until both the mark column's gutter and the info line's "N marked" have
been written to the terminal; a second `*` (untimed) unmarks them before the next run. Baseline,
same run: the same on a dashboard holding one page of 100 rows.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from tempfile import TemporaryDirectory

from tests.benchmarks.bench_load_all import load_all, open_dashboard
from tests.benchmarks.common import MAX_PAGE, Goal, Result, Terminal, p95, run_cli, shown_count, simulator

QUICK = ["--renders", "3000", "--runs", "3"]
# A marked row as the terminal receives it: the gutter, its colours, then the status cell's symbol
# (so that a scrollbar's block, the same character, does not count).
MARK = "▌".encode() + rb"(?:\x1b\[[0-9;]*m)*" + "(?:✔|◐|✖|⏸|⊘|…|\\?)".encode()
# Seconds between keys: what the previous key left behind settles first.
PAUSE = 0.3


def mark_all(terminal: Terminal, rows: int, runs: int) -> list[float]:
    took: list[float] = []
    for _ in range(runs):
        terminal.drain(PAUSE)
        terminal.output.clear()
        started = time.perf_counter()
        terminal.send(b"*")
        gutter = terminal.wait_for(MARK, within=30.0, since=started)
        counted = terminal.wait_for(shown_count(rows) + b" marked", within=30.0, since=started)
        took.append(max(gutter, counted))
        terminal.drain(PAUSE)
        terminal.send(b"*")
    return took


def measure(args: argparse.Namespace) -> list[Result]:
    renders = args.renders
    with simulator(renders=renders) as url, TemporaryDirectory() as scratch:
        one_page = open_dashboard(url, Path(scratch) / "one-page", "--page-size", str(MAX_PAGE))
        try:
            base = mark_all(one_page, MAX_PAGE, args.runs)
        finally:
            one_page.close()
        everything = open_dashboard(url, Path(scratch) / "everything")
        try:
            load_all(everything, renders)
            # Settled: the sort orders worked out ahead after `M` are ready, as a moment later they are.
            everything.drain(3.0)
            found = mark_all(everything, renders, args.runs)
        finally:
            everything.close()
    ms = 1000.0
    return [
        Result(
            f"p95 `*` marks every row shown, {renders:,} rows (pty, {args.runs} runs)",
            p95(found) * ms,
            "ms",
            p95(base) * ms,
            f"{MAX_PAGE} rows",
            Goal("figure", "<=", 100),
        )
    ]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    return run_cli("bench_marks", __doc__, [("renders", int, 100_000), ("runs", int, 21)], measure, argv)


if __name__ == "__main__":
    main()
