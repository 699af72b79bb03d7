"""Soak: run the dashboard headless against a faulty simulator and report what it cost.

    .venv/bin/python -m tests.soak --minutes 10

Not part of the test run (pytest collects only test_*.py). The simulator runs in a child
process, so the memory measured is the dashboard's alone and its request log cannot skew it.
About 10% of API requests get a fault: transient 429/500/502/503/slow/truncated answers,
plus hostile text, schema drift, HTML bodies and wrong content types. Meanwhile the script
keeps adding work to the account and presses keys a user would: switch panes, open and close
the detail view, refresh, cycle filters, download a file.

Reports unhandled exceptions (worker errors, loop errors, error logs with a traceback, a
crashed app), RSS after warm-up and at the end, requests per minute next to what the
configured cadence allows, the busiest second, and whether the key or a presigned signature
reached the debug log. Exits non-zero when a limit is broken.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

API_KEY = "sim_soak_key_0d9e61b2"
WARM_UP_SECONDS = 60.0
# The budget: 20 MB of RSS growth over ten minutes of running.
RSS_BUDGET_MB = 20.0
# What "faults mixed in at 10%" is made of; the rates add up to 0.10.
FAULT_MIX: tuple[tuple[str, float], ...] = (
    ("transient", 0.07),
    ("hostile", 0.01),
    ("drift", 0.01),
    ("malformed", 0.005),
    ("wrong_content_type", 0.005),
)
KEY_ROUND = ("1", "r", "enter", "escape", "2", "f", "enter", "escape", "3", "s", "enter", "escape", "m")


@dataclass
class Findings:
    exceptions: list[str] = field(default_factory=list)
    rss: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MB)
    keys: int = 0
    downloads: int = 0
    items_added: int = 0
    download_states: list[str] = field(default_factory=list)


def rss_mb() -> float:
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


class _ErrorLogs(logging.Handler):
    """Counts log records that carry a traceback: a caught-and-logged crash is still a crash."""

    def __init__(self, findings: Findings) -> None:
        super().__init__(logging.ERROR)
        self.findings = findings

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.findings.exceptions.append(f"log {record.name}: {record.getMessage()}")


@contextlib.contextmanager
def simulator(workdir: Path, speed: float) -> Iterator[tuple[str, Path]]:
    log = workdir / "requests.jsonl"
    command = [
        sys.executable,
        "-m",
        "hfdash",
        "sim",
        "--port",
        "0",
        "--api-key",
        API_KEY,
        "--seed",
        "2026",
        "--speed",
        str(speed),
        "--file-size",
        "300000",
        "--log",
        str(log),
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip().partition("=")[2]
        child.stdout.readline()
        yield url, log
    finally:
        child.terminate()
        child.wait(timeout=10)


def control(url: str, method: str, route: str, payload: dict[str, Any] | None = None) -> Any:
    data = json.dumps(payload or {}).encode()
    request = urllib.request.Request(f"{url}/_sim/{route}", data=data, method=method)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback simulator
        return json.loads(answer.read())


async def drive(pilot: Any, url: str, minutes: float, findings: Findings) -> None:
    from hfdash.services.downloads.plan import Kind, Target
    from hfdash.ui.app import HfdashApp
    from hfdash.ui.screens.main import MainScreen

    app = pilot.app
    assert isinstance(app, HfdashApp) and app.dashboard is not None
    downloads = app.dashboard.downloads
    loop = asyncio.get_running_loop()

    def loop_error(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        findings.exceptions.append(f"loop: {context.get('message')} {context.get('exception')!r}")

    loop.set_exception_handler(loop_error)
    started = time.monotonic()
    deadline = started + minutes * 60.0
    next_sample = started
    next_item = started + 5.0
    next_download = started + 45.0
    step = 0
    while time.monotonic() < deadline and app.is_running:
        now = time.monotonic()
        if now >= next_sample:
            findings.rss.append((now - started, rss_mb()))
            next_sample += 10.0
        if now >= next_item:
            kind = ("render", "clip_job", "session")[findings.items_added % 3]
            await asyncio.to_thread(control, url, "POST", f"items/{kind}", {})
            findings.items_added += 1
            next_item += 15.0
        if now >= next_download and isinstance(app.screen, MainScreen):
            done = [r for r in app.screen.controllers["renders"].store.items.values() if r.video_url]
            if done:
                downloads.submit(Target(Kind.RENDER, done[findings.downloads % len(done)].render_id))
                findings.downloads += 1
            next_download += 60.0
        key = KEY_ROUND[step % len(KEY_ROUND)]
        # Keys meant for the dashboard only; a modal left open by a fault is closed first.
        if key not in ("escape",) and not isinstance(app.screen, MainScreen):
            key = "escape"
        await pilot.press(key)
        findings.keys += 1
        step += 1
        await pilot.pause(2.0)
    findings.rss.append((time.monotonic() - started, rss_mb()))
    loop.set_exception_handler(None)
    await downloads.join()
    findings.download_states = [str(status.state) for status in downloads.statuses()]
    app.exit(0)


def run_app(url: str, workdir: Path, minutes: float, findings: Findings) -> int | None:
    from textual.message import Message
    from textual.worker import Worker, WorkerState

    from hfdash.__main__ import make_app
    from hfdash.api.client import HeyGenClient
    from hfdash.api.log import configure_file_log
    from hfdash.config.credentials import Credential, Secret
    from hfdash.config.settings import Settings

    configure_file_log(workdir / "hfdash.log")
    logging.getLogger().addHandler(_ErrorLogs(findings))

    def hook(message: Message) -> None:
        if isinstance(message, Worker.StateChanged) and message.state is WorkerState.ERROR:
            findings.exceptions.append(f"worker {message.worker.name}: {message.worker.error!r}")

    def thread_error(args: threading.ExceptHookArgs) -> None:
        findings.exceptions.append(f"thread: {args.exc_value!r}")

    threading.excepthook = thread_error
    credential = Credential(kind="api_key", source="HEYGEN_API_KEY", api_key=Secret(API_KEY))
    client = HeyGenClient(credential, base_url=url)
    settings = Settings(download_dir=workdir / "downloads")
    app = make_app(client, settings, host_label="soak simulator")

    async def main() -> None:
        # Textual's public way to see every message: the pilot's harness, with toasts drawn as usual.
        async with app.run_test(size=(140, 40), notifications=True, message_hook=hook) as pilot:
            await drive(pilot, url, minutes, findings)

    asyncio.run(main())
    # Textual ends the app with return code 1 when a handler raises, after printing the traceback.
    if app.return_code not in (0, None):
        findings.exceptions.append(f"app crashed: return code {app.return_code}")
    return app.return_code


def request_figures(log: Path, minutes: float) -> dict[str, Any]:
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]
    api = [e for e in entries if str(e["path"]).startswith("/v3/")]
    files = [e for e in entries if str(e["path"]).startswith("/files/")]
    if not api:
        return {"api_requests": 0}
    t0 = min(e["t"] for e in api)
    per_minute = Counter(int((e["t"] - t0) // 60) for e in api)
    per_second = Counter(int(e["t"] - t0) for e in api)
    kinds = Counter(
        "list" if e["path"] in ("/v3/hyperframes/renders", "/v3/ai-clipping", "/v3/video-agents") else "get"
        for e in api
    )
    return {
        "api_requests": len(api),
        "file_requests": len(files),
        "faulted": sum(1 for e in api if e.get("fault")),
        "per_minute": [per_minute.get(m, 0) for m in range(int(minutes) + 1) if m in per_minute],
        "mean_per_minute": len(api) / max(minutes, 1e-9),
        "busiest_second": max(per_second.values()),
        "lists": kinds["list"],
        "gets": kinds["get"],
        "statuses": dict(Counter(str(e["status"]) for e in api)),
    }


def leaked(workdir: Path) -> list[str]:
    text = (workdir / "hfdash.log").read_text(encoding="utf-8")
    found = []
    for needle in (API_KEY, "X-Amz-Signature", "X-Amz-Date"):
        if needle in text:
            found.append(needle)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--speed", type=float, default=5.0, help="simulated seconds per real second")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, downloads)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="hfdash-soak-"))
    # Every hfdash directory inside the work directory: the soak never touches the user's files.
    for kind in ("CONFIG", "CACHE", "DATA", "STATE"):
        os.environ[f"HFDASH_{kind}_DIR"] = str(workdir / kind.lower())
    findings = Findings()
    with simulator(workdir, args.speed) as (url, log):
        for kind, rate in FAULT_MIX:
            control(url, "POST", "faults", {"kind": kind, "rate": rate, "path_prefix": "/v3/"})
        return_code = run_app(url, workdir, args.minutes, findings)
        time.sleep(0.5)
    figures = request_figures(log, args.minutes)
    settings_poll, settings_head = 5.0, 30.0
    warm = [mb for t, mb in findings.rss if t >= WARM_UP_SECONDS] or [mb for _, mb in findings.rss]
    growth = warm[-1] - warm[0]
    budget = RSS_BUDGET_MB * max(args.minutes, 1.0) / 10.0
    downloaded = sorted(p.name for p in (workdir / "downloads").glob("*") if not p.name.startswith("."))
    leaks = leaked(workdir)
    report = {
        "minutes": args.minutes,
        "return_code": return_code,
        "unhandled_exceptions": len(findings.exceptions),
        "exception_samples": findings.exceptions[:10],
        "rss_mb_after_warm_up": round(warm[0], 1),
        "rss_mb_end": round(warm[-1], 1),
        "rss_mb_peak": round(max(mb for _, mb in findings.rss), 1),
        "rss_growth_mb": round(growth, 1),
        "rss_mb_each_minute": [round(mb, 1) for t, mb in findings.rss if int(t) % 60 < 10],
        "rss_budget_mb": budget,
        "cadence": f"poll every {settings_poll:g} s, head refresh every {settings_head:g} s",
        # Each pane's first page every head interval, plus the sessions re-read after it.
        "head_lists_per_minute_expected": 3 * 60.0 / settings_head,
        "poll_ticks_per_minute": 60.0 / settings_poll,
        **figures,
        "keys_pressed": findings.keys,
        "items_added": findings.items_added,
        "downloads_submitted": findings.downloads,
        "download_states": dict(Counter(findings.download_states)),
        "files_on_disk": len(downloaded),
        "secrets_in_log": leaks,
        "workdir": str(workdir) if args.keep else None,
    }
    print(json.dumps(report, indent=2))
    if not args.keep:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    ok = not findings.exceptions and growth <= budget and not leaks and return_code in (0, None)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
