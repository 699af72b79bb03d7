"""`M` over a large account, on a pseudo-terminal, against a bare keep-alive httpx client.

    .venv/bin/python -m tests.benchmarks.bench_load_all [--renders N] [--runs N]

The baseline is the least a program can do to hold every render: one keep-alive
`httpx.AsyncClient` pages the simulator 100 at a time. Cursor paging is sequential (the next
page's token is in this page's body), so the client decodes page N, sends the request for
page N+1 at once, and keeps page N's items (a dict by id) while N+1 is in flight; httpcore's
`trace` extension says when the request has gone out. hfdash then runs as its own process on a
pseudo-terminal, with polling off, against the same simulator: `M` is timed from its byte until
the Renders pane's info line says all N are loaded. The bare client runs before and after it,
and each of `--runs` such rounds starts a cold dashboard: the ratio is the median of the rounds' own.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import httpx

from tests.benchmarks.common import (
    API_KEY,
    MAX_PAGE,
    RENDERS_PATH,
    Goal,
    Result,
    Terminal,
    child_env,
    median,
    run_cli,
    shown_count,
    simulator,
)

SIZE = (160, 48)
QUICK = ["--renders", "3000", "--runs", "1"]


async def bare_client(url: str) -> tuple[float, int]:
    """Seconds to hold every render, and how many there were."""
    items: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(base_url=url, headers={"x-api-key": API_KEY}, trust_env=False) as client:

        async def ask(token: str | None) -> asyncio.Task[httpx.Response]:
            """Sends the request for a page; returns once it has gone out (or failed), not answered."""
            sent = asyncio.Event()

            async def trace(event: str, info: dict[str, Any]) -> None:
                if event.endswith("send_request_body.complete"):
                    sent.set()

            params = {"limit": str(MAX_PAGE)} | ({"token": token} if token else {})
            answer = asyncio.ensure_future(
                client.get(RENDERS_PATH, params=params, extensions={"trace": trace})
            )
            gone = asyncio.ensure_future(sent.wait())
            await asyncio.wait((answer, gone), return_when=asyncio.FIRST_COMPLETED)
            gone.cancel()
            return answer

        started = time.perf_counter()
        pending: asyncio.Task[httpx.Response] | None = await ask(None)
        while pending is not None:
            response = await pending
            response.raise_for_status()
            body = response.json()
            pending = await ask(str(body["next_token"])) if body["has_more"] and body["next_token"] else None
            for render in body["data"]:
                items[str(render["render_id"])] = render
        took = time.perf_counter() - started
    return took, len(items)


def open_dashboard(url: str, scratch: Path, *extra: str) -> Terminal:
    """hfdash on a terminal, polling off, once its first page is on screen."""
    argv = (sys.executable, "-m", "hfdash", "--no-polling", *extra)
    terminal = Terminal(argv, child_env(scratch, url), size=SIZE)
    terminal.wait_for(rb" loaded", within=60.0)
    terminal.drain(0.5)
    return terminal


def load_all(terminal: Terminal, renders: int) -> float:
    """Seconds from typing `M` until the info line says every render is loaded."""
    terminal.output.clear()
    started = time.perf_counter()
    terminal.send(b"M")
    return terminal.wait_for(b"all " + shown_count(renders) + b" loaded", within=900.0, since=started)


def measure(args: argparse.Namespace) -> list[Result]:
    loads: list[float] = []
    bare: list[float] = []
    with simulator(renders=args.renders) as url, TemporaryDirectory() as scratch:
        for run in range(args.runs):
            # The bare client runs before and after the dashboard, and the pair's baseline is the
            # mean of the two: a shared machine that slows down during the run slows the baseline alike.
            before, held = asyncio.run(bare_client(url))
            if held != args.renders:
                raise RuntimeError(f"the bare client read {held} renders of {args.renders}")
            terminal = open_dashboard(url, Path(scratch) / str(run))
            try:
                loads.append(load_all(terminal, args.renders))
            finally:
                terminal.close()
            after, _ = asyncio.run(bare_client(url))
            bare.append((before + after) / 2)
    return [
        Result(
            f"M over {args.renders:,} renders (pty, median of {args.runs})",
            median(loads),
            "s",
            median(bare),
            "bare httpx client",
            Goal("ratio", "<=", 1.25),
            paired_ratio=median([mine / theirs for mine, theirs in zip(loads, bare, strict=True)]),
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    return run_cli("bench_load_all", __doc__, [("renders", int, 100_000), ("runs", int, 5)], measure, argv)


if __name__ == "__main__":
    main()
