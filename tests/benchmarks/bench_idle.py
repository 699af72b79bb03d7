"""CPU of an idle dashboard: nothing in flight, default cadences, against a minimal Textual app.

    .venv/bin/python -m tests.benchmarks.bench_idle [--seconds S]

Both run on pseudo-terminals at once; CPU time is read from /proc over the same window,
after each has painted its first screen.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.benchmarks.common import API_KEY, Result, Terminal, child_env, cpu_of, run_once, simulator
from tests.benchmarks.minimal_app import MARK

IN_FLIGHT = ("queued", "rendering")


def finish_everything(url: str) -> str:
    """Marks every render completed; returns the newest one's id, to know when rows are painted."""
    headers = {"x-api-key": API_KEY}
    answer = httpx.get(f"{url}/v3/hyperframes/renders", params={"limit": "100"}, headers=headers)
    answer.raise_for_status()
    rows = answer.json()["data"]
    for row in rows:
        if row["status"] in IN_FLIGHT:
            httpx.post(
                f"{url}/_sim/items/render/{row['render_id']}/status", json={"status": "completed"}
            ).raise_for_status()
    # Its head only: a narrow ID column truncates the rest with an ellipsis.
    return str(rows[0]["render_id"])[:12]


def measure(seconds: float) -> list[Result]:
    with simulator(renders=40, clip_jobs=0, sessions=0) as url, tempfile.TemporaryDirectory() as scratch:
        needle = finish_everything(url)
        env = child_env(Path(scratch), url)
        app = Terminal((sys.executable, "-m", "hfdash"), env)
        base = Terminal((sys.executable, "-m", "tests.benchmarks.minimal_app", "--stay"), env)
        try:
            app.wait_for(needle.encode(), within=30)
            base.wait_for(MARK.encode(), within=30)
            # Past the start: the first poll and head refresh are not idle time.
            app.drain(2.0)
            start_app, start_base = cpu_of(app.proc.pid), cpu_of(base.proc.pid)
            started = time.perf_counter()
            deadline = started + seconds
            while time.perf_counter() < deadline:
                app.drain(0.5)
                base.drain(0.01)
            elapsed = time.perf_counter() - started
            used_app = cpu_of(app.proc.pid) - start_app
            used_base = cpu_of(base.proc.pid) - start_base
        finally:
            app.close()
            base.close()
    return [
        Result(
            f"idle CPU over {seconds:.0f} s",
            100 * used_app / elapsed,
            100 * used_base / elapsed,
            "% core",
            "<= 2%",
        )
    ]


def main(argv: list[str] | None = None) -> list[Result]:
    return run_once("bench_idle", "seconds", 60.0, measure, argv)


if __name__ == "__main__":
    main()
