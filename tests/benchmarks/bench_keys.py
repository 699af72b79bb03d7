"""Keys as typed with a large account loaded, each timed until its result is on the terminal.

    .venv/bin/python -m tests.benchmarks.bench_keys [--renders N]

hfdash runs as its own process on a pseudo-terminal (160x48), polling off, against a simulator
process on loopback. After `M` has loaded all N renders (its RSS is read then), keys are typed
one at a time, a short pause between them as a person types. Each is timed from its bytes being
written until the frame that shows its result has been written to the terminal:

- a cursor move: until the row the cursor moved onto has been repainted (its id, as far as a
  narrow ID column shows it, is written: a move repaints the rows it leaves and enters, or the
  whole table when it scrolls);
- a filter keystroke after `/`: until the info line shows "showing K" for the K the new text
  matches, worked out here from the same renders. Each keystroke changes K, so an earlier frame
  can never satisfy the wait;
- a sort change (`s`): until the info line names the new sort.

The terminal is read as fast as it is written: the time includes the app's whole work for the
key, its compositor and its writes, not a terminal emulator's drawing. Baseline, same run: the
same keys on a dashboard holding one page of 100 rows.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import httpx

from tests.benchmarks.bench_load_all import load_all, open_dashboard
from tests.benchmarks.common import (
    API_KEY,
    MAX_PAGE,
    RENDERS_PATH,
    Goal,
    Result,
    Terminal,
    p95,
    rss_mb,
    run_cli,
    shown_count,
    simulator,
)

# Seconds between keys: what the previous key left behind (the side panel follows a resting
# cursor) settles, and keys come as a person types them, not as a held key repeats.
PAUSE = 0.15
# As much of an id as a narrow ID column still shows before its ellipsis.
ID_HEAD = 12
QUICK = ["--renders", "3000"]
KEYS = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "backspace": b"\x7f",
    "escape": b"\x1b",
}
# The sorts `s` steps through, as the info line names them; the last step returns to the default.
SORTS = (rb"sort: status", rb"sort: duration")


@dataclass(frozen=True, slots=True)
class Listed:
    """The account as the API lists it, newest first: ids, and the text `/` matches against."""

    ids: list[str]
    texts: list[str]


async def list_everything(url: str) -> Listed:
    ids: list[str] = []
    texts: list[str] = []
    async with httpx.AsyncClient(base_url=url, headers={"x-api-key": API_KEY}, trust_env=False) as client:
        token: str | None = None
        while True:
            params = {"limit": str(MAX_PAGE)} | ({"token": token} if token else {})
            answer = await client.get(RENDERS_PATH, params=params)
            answer.raise_for_status()
            body: dict[str, Any] = answer.json()
            for render in body["data"]:
                ids.append(str(render["render_id"]))
                words = (render["render_id"], render.get("title") or "", render.get("failure_message") or "")
                texts.append("\n".join(words).casefold())
            if not body["has_more"] or not body["next_token"]:
                return Listed(ids, texts)
            token = str(body["next_token"])


def count(texts: list[str], needle: str) -> int:
    return sum(1 for text in texts if needle in text)


def filter_script(texts: list[str], sources: list[str], runs: int) -> list[tuple[str, int]]:
    """Keystrokes (a character, or backspace) and how many rows each leaves, each count differing
    from the one before: a few characters taken from `sources` are typed, then erased."""
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


def time_key(terminal: Terminal, key: str, mark: bytes | None) -> float | None:
    """Seconds from typing `key` until `mark` (a regular expression) is on the terminal."""
    terminal.drain(PAUSE)
    terminal.output.clear()
    started = time.perf_counter()
    terminal.send(KEYS.get(key, key.encode()))
    if mark is None:
        terminal.drain(0.3)
        return None
    return terminal.wait_for(mark, within=30.0, since=started)


def latencies(terminal: Terminal, listed: Listed, rows: int, default_sort: bytes) -> dict[str, list[float]]:
    ids, texts = listed.ids[:rows], listed.texts[:rows]
    found: dict[str, list[float]] = {"cursor": [], "filter": [], "sort": []}
    row = 0
    # `end` on a pane with more to load would load the next page and change the pane under test.
    jumps = ["end", "home"] if rows == len(listed.ids) else ["home"]
    for key in ["down"] * 30 + ["up"] * 10 + jumps + ["down"] * 8:
        row = {"down": row + 1, "up": row - 1, "end": rows - 1, "home": 0}[key]
        took = time_key(terminal, key, re.escape(ids[row][:ID_HEAD].encode()))
        assert took is not None
        found["cursor"].append(took)
    time_key(terminal, "/", None)
    # Text from items spread over the list, so the script does not depend on its head.
    sources = [ids[i] for i in range(7, rows, max(rows // 7, 1))]
    for char, left in filter_script(texts, sources, runs=3):
        mark = b"showing " + shown_count(left) + rb"\b" if left >= 0 else None
        took = time_key(terminal, char, mark)
        if took is not None:
            found["filter"].append(took)
    time_key(terminal, "escape", None)
    for _ in range(3):
        for mark in (*SORTS, default_sort):
            took = time_key(terminal, "s", mark)
            assert took is not None
            found["sort"].append(took)
    return found


def measure(args: argparse.Namespace) -> list[Result]:
    renders = args.renders
    with simulator(renders=renders) as url, TemporaryDirectory() as scratch:
        listed = asyncio.run(list_everything(url))
        one_page = open_dashboard(url, Path(scratch) / "one-page", "--page-size", str(MAX_PAGE))
        try:
            base = latencies(one_page, listed, MAX_PAGE, shown_count(MAX_PAGE) + rb" loaded")
        finally:
            one_page.close()
        everything = open_dashboard(url, Path(scratch) / "everything")
        try:
            load_all(everything, renders)
            everything.drain(1.0)
            rss = rss_mb(everything.proc.pid)
            found = latencies(everything, listed, renders, b"all " + shown_count(renders) + b" loaded")
        finally:
            everything.close()
    ms = 1000.0
    return [
        *(
            Result(
                f"p95 {label}, {renders:,} rows (pty)",
                p95(found[key]) * ms,
                "ms",
                p95(base[key]) * ms,
                f"{MAX_PAGE} rows",
                Goal("figure", "<=", limit),
            )
            for key, label, limit in (
                ("cursor", "cursor move", 50),
                ("filter", "filter keystroke", 100),
                ("sort", "sort", 100),
            )
        ),
        Result(f"RSS after M, {renders:,} rows", rss, "MB", goal=Goal("figure", "<=", 300)),
    ]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    return run_cli("bench_keys", __doc__, [("renders", int, 100_000)], measure, argv)


if __name__ == "__main__":
    main()
