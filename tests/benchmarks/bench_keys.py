"""What the user sees: `M` over a large account, then keys timed until their result is on the terminal.

    .venv/bin/python -m tests.benchmarks.bench_keys [--renders N]

hfdash runs as its own process on a pseudo-terminal (160x48, so the side panel shows the
highlighted item), against a simulator process on loopback. `M` is timed from the key's byte
until the pane's info line reads "all N loaded". Each key after it is timed from its bytes
being written until the frame that shows its result has been written to the terminal:

- a cursor move: until the row the cursor moved onto has been repainted (its id, as the
  table shows it, is written: moving the cursor repaints just the two rows it leaves and
  enters, or the whole table when it scrolls). The side panel follows once the cursor rests;
- a `/` filter keystroke: until the info line shows "showing K" for the K the new needle
  matches, worked out here from the same items. Needles are chosen so that K changes with
  every keystroke, so an earlier frame can never satisfy the wait;
- a sort change: until the info line names the new sort.

The terminal is read as fast as it is written, so the time includes the app's whole work for
the key, its compositor and its writes, but not a terminal emulator's drawing. Baselines, same
run: the bare API client reading the same pages for `M`; the same keys on a pane holding one
page of 100 rows for latencies. Polling is off (`--no-polling`) so no poll lands among the keys.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from hfdash.api.client import HeyGenClient
from hfdash.config.credentials import Credential, Secret
from tests.benchmarks.common import (
    API_KEY,
    Result,
    Terminal,
    child_env,
    p95,
    rss_mb,
    run_once,
    simulator,
)

SIZE = (160, 48)
# Seconds between keys.
SETTLE = 0.15
# How the table shows a render id: the ID column fits this many characters and an ellipsis.
ID_SHOWN = 14
KEYS = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "backspace": b"\x7f",
    "escape": b"\x1b",
}


@dataclass(frozen=True, slots=True)
class Listed:
    """The account as the API lists it, newest first: ids and what `/` matches against."""

    ids: list[str]
    texts: list[str]


async def read_all(url: str) -> tuple[float, Listed]:
    """The bare client reading every page, 100 at a time, as `M` does: the baseline for `M`."""
    credential = Credential(kind="api_key", source="bench", api_key=Secret(API_KEY))
    ids: list[str] = []
    texts: list[str] = []
    started = time.perf_counter()
    async with HeyGenClient(credential, base_url=url) as client:
        token: str | None = None
        while True:
            page = await client.renders.list(limit=100, token=token)
            for render in page.items:
                ids.append(render.render_id)
                texts.append(
                    f"{render.render_id}\n{render.title or ''}\n{render.failure_message or ''}".casefold()
                )
            if not page.has_more or page.next_token is None:
                break
            token = page.next_token
    return time.perf_counter() - started, Listed(ids, texts)


def count(texts: list[str], needle: str) -> int:
    return sum(1 for text in texts if needle in text)


def filter_script(texts: list[str], sources: list[str], runs: int) -> list[tuple[str, int]]:
    """Keystrokes (a character, or backspace) and how many rows each leaves, each count differing
    from the one before; typed up to a few characters taken from `sources`, then erased."""
    script: list[tuple[str, int]] = []
    for source in sources:
        if runs == 0:
            break
        for start in range(len(source)):
            counts: list[int] = []
            needle = ""
            for char in source[start:]:
                if char.isspace() or (counts and count(texts, needle + char) >= counts[-1]):
                    break
                needle += char
                counts.append(count(texts, needle))
            if len(counts) >= 3:
                script += [(char, found) for char, found in zip(needle, counts, strict=True)]
                # Erasing retraces the counts; the last backspace (back to no filter) is not timed.
                script += [("backspace", found) for found in reversed(counts[:-1])]
                script.append(("backspace", -1))
                runs -= 1
                break
    return script


class Keys:
    """Sends keys to hfdash on a terminal and times each until its mark is written."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal

    def time_key(self, key: str, mark: bytes | None, within: float = 30.0) -> float | None:
        terminal = self.terminal
        # What the previous key left behind (the side panel follows a resting cursor), then a
        # clean slate, so only this key's frames count. Keys come as a person types, not held.
        terminal.drain(SETTLE)
        terminal.output.clear()
        started = time.perf_counter()
        terminal.send(KEYS.get(key, key.encode()))
        if mark is None:
            terminal.drain(0.3)
            return None
        while mark not in terminal.output:
            if time.perf_counter() - started > within or not terminal.read(within):
                raise TimeoutError(f"{mark!r} did not appear after {key!r}")
        return time.perf_counter() - started


def latencies(keys: Keys, listed: Listed, rows: int, loaded: bytes) -> dict[str, list[float]]:
    ids, texts = listed.ids[:rows], listed.texts[:rows]
    found: dict[str, list[float]] = {"cursor": [], "filter": [], "sort": []}
    row = 0
    # `end` on a pane with more to load would load the next page and change the pane under test.
    jumps = ["end", "home"] if rows == len(listed.ids) else ["home"]
    moves = ["down"] * 30 + ["up"] * 10 + jumps + ["down"] * 8
    for key in moves:
        row = {"down": row + 1, "up": row - 1, "end": rows - 1, "home": 0}[key]
        took = keys.time_key(key, ids[row][:ID_SHOWN].encode())
        assert took is not None
        found["cursor"].append(took)
    keys.time_key("/", None)
    # Needles from items spread over the list, so the script does not depend on its head.
    sources = [ids[i] for i in range(7, rows, max(rows // 7, 1))]
    for char, left in filter_script(texts, sources, runs=3):
        took = keys.time_key(char, f"showing {left} ".encode() if left >= 0 else None)
        if took is not None:
            found["filter"].append(took)
    keys.time_key("escape", None)
    for _ in range(3):
        for mark in (b"sort: status", b"sort: duration", loaded):
            took = keys.time_key("s", mark)
            assert took is not None
            found["sort"].append(took)
    return found


def dashboard(url: str, scratch: Path, renders: int, load_all: bool) -> tuple[float, float, Terminal]:
    """hfdash on a terminal with its first page shown; with `load_all`, after `M` loaded every page.

    Returns the seconds `M` took (0 without it), the app's RSS, and the terminal.
    """
    argv = (sys.executable, "-m", "hfdash", "--no-polling", "--page-size", "100")
    terminal = Terminal(argv, child_env(scratch, url), size=SIZE)
    terminal.wait_for(b"loaded", within=60.0)
    terminal.drain(0.5)
    took = 0.0
    if load_all:
        terminal.output.clear()
        started = time.perf_counter()
        terminal.send(b"M")
        mark = f"all {renders} loaded".encode()
        while mark not in terminal.output:
            if time.perf_counter() - started > 600 or not terminal.read(1.0):
                raise TimeoutError("M did not finish")
            del terminal.output[: max(len(terminal.output) - 4096, 0)]
        took = time.perf_counter() - started
        terminal.drain(1.0)
    return took, rss_mb(terminal.proc.pid), terminal


def measure(renders: int) -> list[Result]:
    with simulator(renders=renders) as url, tempfile.TemporaryDirectory() as scratch:
        bare, listed = asyncio.run(read_all(url))
        _none, _rss, small = dashboard(url, Path(scratch) / "small", renders, load_all=False)
        try:
            base = latencies(Keys(small), listed, 100, b"100 loaded")
        finally:
            small.close()
        took, rss, large = dashboard(url, Path(scratch) / "large", renders, load_all=True)
        try:
            found = latencies(Keys(large), listed, renders, f"all {renders} loaded".encode())
        finally:
            large.close()
    ms = 1000.0
    rows = f"{renders:,} rows"
    return [
        Result(f"M: all {renders:,} renders, terminal", took, bare, "s", "< 60 s"),
        Result(f"RSS after M, {rows}", rss, _rss, "MB", "< 300 MB"),
        *(
            Result(f"p95 {name} on screen, {rows}", p95(found[name]) * ms, p95(base[name]) * ms, "ms", goal)
            # A filter keystroke: < 50 ms at this scale is the target, < 100 ms the most while typing.
            for name, goal in (("cursor", "< 50 ms"), ("filter", "< 50 ms (100 typed)"), ("sort", "< 100 ms"))
        ),
    ]


def main(argv: list[str] | None = None) -> list[Result]:
    return run_once("bench_keys", "renders", 100_000, measure, argv)


if __name__ == "__main__":
    main()
