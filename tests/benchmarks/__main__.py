"""Every benchmark of issue 15's targets in one command, then one table of figures, baselines and goals.

    .venv/bin/python -m tests.benchmarks [--quick]

Each benchmark prints its own table as it finishes; the last table holds them all. `--quick`
runs each at a small scale, to see that they work. Exits 1 when a figure misses its goal.
"""

from __future__ import annotations

import argparse
import datetime
import os
import time
from collections.abc import Callable, Sequence

from tests.benchmarks import (
    bench_download,
    bench_failures,
    bench_idle,
    bench_keys,
    bench_load_all,
    bench_marks,
    bench_start,
)
from tests.benchmarks.common import Result, table

Benchmark = Callable[[Sequence[str] | None], list[Result]]
RUNS: tuple[tuple[str, Benchmark, list[str]], ...] = (
    ("bench_start", bench_start.main, bench_start.QUICK),
    ("bench_load_all", bench_load_all.main, bench_load_all.QUICK),
    ("bench_keys", bench_keys.main, bench_keys.QUICK),
    ("bench_marks", bench_marks.main, bench_marks.QUICK),
    ("bench_failures", bench_failures.main, bench_failures.QUICK),
    ("bench_idle", bench_idle.main, bench_idle.QUICK),
    ("bench_download", bench_download.main, bench_download.QUICK),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small scale, to check that each one runs")
    quick = parser.parse_args(argv).quick
    started = time.perf_counter()
    results: list[Result] = []
    for name, bench, small in RUNS:
        options = small if quick else []
        print(f"\n$ python -m tests.benchmarks.{name} {' '.join(options)}".rstrip(), flush=True)
        results += bench(options)
    minutes = (time.perf_counter() - started) / 60
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    print(f"\n{today}, {os.cpu_count()} cores, {minutes:.1f} minutes{' (quick)' if quick else ''}\n")
    print(table(results))
    missed = [result.what for result in results if result.met is False]
    if missed:
        print(f"\n{len(missed)} of {sum(r.met is not None for r in results)} goals missed")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
