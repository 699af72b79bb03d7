"""CPU of an idle dashboard (nothing in flight, default polling) against the minimal Textual app.

    .venv/bin/python -m tests.benchmarks.bench_idle [--seconds S]

Every render of the simulated account is finished first and its clock is frozen, so nothing is
in flight and nothing changes. hfdash (default settings: it keeps polling and refreshing the
first page) and the minimal app (one Static, kept running) then run at once, each on its own
pseudo-terminal. Once both have painted, and hfdash is a few seconds past its start, the CPU
time each uses over the same window is read from /proc.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from tests.benchmarks.common import (
    API_KEY,
    MAX_PAGE,
    RENDERS_PATH,
    Goal,
    Result,
    Terminal,
    child_env,
    cpu_of,
    run_cli,
    simulator,
)
from tests.benchmarks.minimal_app import MARK

IN_FLIGHT = ("queued", "rendering")
# Past the start: the first poll and the first refresh of the head are not idle time.
SETTLE = 3.0
QUICK = ["--seconds", "10"]


def finish_everything(url: str) -> str:
    """Marks every render completed; returns the newest one's id, to know when rows are painted."""
    with httpx.Client(base_url=url, headers={"x-api-key": API_KEY}, trust_env=False) as client:
        answer = client.get(RENDERS_PATH, params={"limit": str(MAX_PAGE)})
        answer.raise_for_status()
        body = answer.json()
        if body["has_more"]:
            raise RuntimeError("the account is meant to fit in one page")
        for render in body["data"]:
            if render["status"] in IN_FLIGHT:
                done = client.post(
                    f"/_sim/items/render/{render['render_id']}/status", json={"status": "completed"}
                )
                done.raise_for_status()
        return str(body["data"][0]["render_id"])


def measure(args: argparse.Namespace) -> list[Result]:
    with simulator(renders=40, clip_jobs=0, sessions=0) as url, tempfile.TemporaryDirectory() as scratch:
        # As much of the id as a narrow ID column still shows.
        needle = re.escape(finish_everything(url)[:12].encode())
        env = child_env(Path(scratch), url)
        app = Terminal((sys.executable, "-m", "hfdash"), env)
        base = Terminal((sys.executable, "-m", "tests.benchmarks.minimal_app", "--stay"), env)
        try:
            app.wait_for(needle, within=30)
            base.wait_for(re.escape(MARK.encode()), within=30)
            app.drain(SETTLE)
            start_app, start_base = cpu_of(app.proc.pid), cpu_of(base.proc.pid)
            started = time.perf_counter()
            deadline = started + args.seconds
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
            f"idle CPU over {args.seconds:.0f} s, nothing in flight",
            100 * used_app / elapsed,
            "% core",
            100 * used_base / elapsed,
            "minimal app",
            Goal("figure", "<=", 2.0),
        )
    ]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    return run_cli("bench_idle", __doc__, [("seconds", float, 60.0)], measure, argv)


if __name__ == "__main__":
    main()
