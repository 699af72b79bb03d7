"""Process start to first rows on the terminal, against a minimal Textual app in the same run.

    .venv/bin/python -m tests.benchmarks.bench_start [--runs N]

Each run times the minimal app, the floor, hfdash cold and hfdash warm back to back, and
the ratios are the medians of each run's own ratios: this machine's speed drifts by a third
over a minute, and a run's starts share its speed. Each program runs on a pseudo-terminal;
the clock stops when the first render's id (for hfdash and the floor) or the minimal app's
text is written to it. hfdash is timed cold (empty cache, rows from the simulator on
loopback) and warm (rows from the local cache). The floor (floor_app.py) fetches the same
first page with httpx and prints its ids in one Static: the part of the cold start that
Textual and httpx take before hfdash does anything of its own.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import httpx

from tests.benchmarks.common import API_KEY, Result, Terminal, child_env, median, run_once, simulator
from tests.benchmarks.minimal_app import MARK

MINIMAL = (sys.executable, "-m", "tests.benchmarks.minimal_app")
FLOOR = (sys.executable, "-m", "tests.benchmarks.floor_app")
HFDASH = (sys.executable, "-m", "hfdash")


def first_render_id(url: str) -> str:
    answer = httpx.get(
        f"{url}/v3/hyperframes/renders",
        params={"limit": "1"},
        headers={"x-api-key": API_KEY},
        trust_env=False,
    )
    answer.raise_for_status()
    # Its head only: a narrow ID column truncates the rest with an ellipsis.
    return str(answer.json()["data"][0]["render_id"])[:12]


def time_to(argv: tuple[str, ...], env: dict[str, str], needle: str, *, stay: float = 0.0) -> float:
    """Seconds until `needle` is on the terminal; the program then runs `stay` seconds more."""
    terminal = Terminal(argv, env)
    try:
        seconds = terminal.wait_for(needle.encode(), within=30.0)
        terminal.drain(stay)
        return seconds
    finally:
        terminal.close()


def measure(runs: int) -> list[Result]:
    minimal: list[float] = []
    floor: list[float] = []
    cold: list[float] = []
    warm: list[float] = []
    with simulator(renders=200) as url, tempfile.TemporaryDirectory() as scratch:
        needle = first_render_id(url)
        warm_env = child_env(Path(scratch) / "warm", url)
        # The run that fills the cache stays up a while, as a real one does: hfdash writes what it
        # loaded once it is on screen, so stopping it at its first rows could leave the cache empty.
        time_to(HFDASH, warm_env, needle, stay=2.0)
        for run in range(runs):
            minimal.append(time_to(MINIMAL, child_env(Path(scratch) / f"m{run}", url), MARK))
            floor.append(time_to(FLOOR, child_env(Path(scratch) / f"f{run}", url), needle))
            cold.append(time_to(HFDASH, child_env(Path(scratch) / f"c{run}", url), needle))
            warm.append(time_to(HFDASH, warm_env, needle))
    base = median(minimal) * 1000

    def paired(label: str, times: list[float], goal: str = "<= 1.5x") -> Result:
        ratios = [took / minimal_took for took, minimal_took in zip(times, minimal, strict=True)]
        return Result(label, median(times) * 1000, base, "ms", goal, paired_ratio=median(ratios))

    return [
        paired("start: floor (Textual + httpx page)", floor, "reference"),
        paired("start: first rows (cold)", cold),
        paired("start: first rows (warm cache)", warm),
    ]


def main(argv: list[str] | None = None) -> list[Result]:
    return run_once("bench_start", "runs", 7, measure, argv)


if __name__ == "__main__":
    main()
