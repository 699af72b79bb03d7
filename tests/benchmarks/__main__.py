"""Every dashboard benchmark in one command, then one table of figures, baselines and ratios.

    .venv/bin/python -m tests.benchmarks

The download benchmark and bench_load_all run on their own (`python -m tests.benchmarks.bench_download`).
"""

from __future__ import annotations

import datetime
import os
from types import ModuleType

from tests.benchmarks import bench_idle, bench_keys, bench_start, bench_table
from tests.benchmarks.common import Result


def main() -> None:
    results: list[Result] = []
    # bench_keys times `M` over 100,000 renders end to end itself, so bench_load_all (the same
    # through Pilot) runs only on its own.
    runs: tuple[tuple[ModuleType, list[str]], ...] = (
        (bench_table, []),
        (bench_start, []),
        (bench_keys, []),
        (bench_idle, []),
    )
    for bench, argv in runs:
        print(f"$ {bench.__name__.rpartition('.')[2]} {' '.join(argv)}", flush=True)
        results += bench.main(argv)
    today = datetime.date.today().isoformat()
    print(f"\n{today}, {os.cpu_count()} cores\n")
    print("| target | figure | baseline | ratio | goal |")
    print("|---|---|---|---|---|")
    for result in results:
        print(
            f"| {result.target} | {result.figure:,.2f} {result.unit} | {result.baseline:,.2f} {result.unit}"
            f" | {result.ratio:.2f}x | {result.goal} |"
        )


if __name__ == "__main__":
    main()
