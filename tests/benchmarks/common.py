"""What the benchmarks share: goals, a simulator process, a pseudo-terminal, readings from /proc."""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

API_KEY = "bench_key"
# A fixed "now" keeps the account, and so every run, the same.
NOW = "1795176000"
RENDERS_PATH = "/v3/hyperframes/renders"
# The most items the API serves in one page, and so what `M` asks for.
MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class Goal:
    """A target of issue 15: the ratio to the baseline, or the figure itself, held against a limit."""

    of: Literal["ratio", "figure"]
    op: Literal["<=", "<", ">="]
    limit: float

    def met_by(self, value: float) -> bool:
        if self.op == "<=":
            return value <= self.limit
        if self.op == "<":
            return value < self.limit
        return value >= self.limit

    def text(self, unit: str) -> str:
        if self.of == "ratio":
            return f"ratio {self.op} {self.limit:g}x"
        return f"{self.op} {self.limit:g} {unit}"


@dataclass(frozen=True, slots=True)
class Result:
    """One figure, the baseline measured beside it in the same run, and the goal it is held to.

    A result without a goal is reported beside one that has it (a reference, such as the
    minimal Textual app's start).
    """

    what: str
    figure: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: Goal | None = None
    # The median of ratios taken run by run, where figure and baseline were measured in pairs:
    # a shared machine that slows down for a while then slows both sides of a pair alike.
    paired_ratio: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.paired_ratio is not None:
            return self.paired_ratio
        if self.baseline is None:
            return None
        return self.figure / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        value = self.ratio if self.goal.of == "ratio" else self.figure
        return None if value is None else self.goal.met_by(value)

    def cells(self) -> list[str]:
        baseline = "" if self.baseline is None else f"{self.baseline_name}: {self.baseline:,.2f} {self.unit}"
        # No ratio to a baseline of zero (an idle app that used no measurable CPU).
        ratio = "" if self.ratio is None or self.ratio == float("inf") else f"{self.ratio:.2f}x"
        goal = "reference" if self.goal is None else self.goal.text(self.unit)
        met = {None: "", True: "yes", False: "NO"}[self.met]
        return [self.what, f"{self.figure:,.2f} {self.unit}", baseline, ratio, goal, met]


HEADER = ("what", "figure", "baseline (same run)", "ratio", "goal", "met")


def table(results: Sequence[Result]) -> str:
    """The results as one Markdown table, the form the README's performance table takes."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(result.cells()) + " |" for result in results]
    return "\n".join(lines)


def run_cli(
    prog: str,
    doc: str | None,
    options: Sequence[tuple[str, type, object]],
    measure: Callable[[argparse.Namespace], list[Result]],
    argv: Sequence[str] | None,
) -> list[Result]:
    """A benchmark's command line: its size options, the measurement, then its table printed."""
    parser = argparse.ArgumentParser(prog=prog, description=doc)
    for name, kind, default in options:
        parser.add_argument(f"--{name}", type=kind, default=default, help=f"default: {default}")
    results = measure(parser.parse_args(argv))
    print(table(results), flush=True)
    return results


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def shown_count(count: int) -> bytes:
    """A pattern for `count` as the dashboard may print it: plain, or with thousands separators."""
    digits = str(count)
    groups = [digits[max(end - 3, 0) : end] for end in range(len(digits), 0, -3)][::-1]
    return "[,.\u202f\u00a0]?".join(groups).encode()


@contextmanager
def simulator(
    renders: int, *, clip_jobs: int = 4, sessions: int = 3, extra: Sequence[str] = (), cpu: int | None = None
) -> Iterator[str]:
    """A frozen simulated account served by its own process, so it never shares our interpreter lock.

    Yields its base URL. `extra` passes further `hfdash sim` options (TLS, throttling, file size);
    `cpu`, if given, is the one core it runs on.
    """
    argv = [sys.executable, "-m", "hfdash", "sim", "--port", "0", "--api-key", API_KEY, "--speed", "0"]
    argv += ["--now", NOW, "--renders", str(renders), "--clip-jobs", str(clip_jobs)]
    argv += ["--sessions", str(sessions), *extra]
    pin = None if cpu is None else lambda: os.sched_setaffinity(0, {cpu})
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, preexec_fn=pin)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        if not first.startswith("HEYGEN_API_URL="):
            raise RuntimeError(f"the simulator did not start: {first!r}")
        yield first.partition("=")[2]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def child_env(scratch: Path, url: str, **extra: str) -> dict[str, str]:
    """An environment for an hfdash child process: the simulator's key and throwaway directories."""
    env = dict(os.environ)
    # An installed hfdash has its bytecode compiled at install time; without the cache, every start
    # would compile every hfdash module again and the figure would measure the compiler.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # Loopback only: a proxy set for the machine must not stand between the benchmark's two ends.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(name, None)
    env.update(
        HEYGEN_API_KEY=API_KEY,
        HEYGEN_API_URL=url,
        HOME=str(scratch / "home"),
        HFDASH_CONFIG_DIR=str(scratch / "config"),
        HFDASH_CACHE_DIR=str(scratch / "cache"),
        HFDASH_DATA_DIR=str(scratch / "data"),
        HFDASH_STATE_DIR=str(scratch / "state"),
        HEYGEN_CONFIG_DIR=str(scratch / "home" / ".heygen"),
        **extra,
    )
    return env


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a running process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def rss_mb(pid: int) -> float:
    """A running process's resident memory, in MB (10^6 bytes), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"no VmRSS for process {pid}")


class Terminal:
    """A child process on a pseudo-terminal of a fixed size, read as fast as it writes."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], size: tuple[int, int] = (120, 40)) -> None:
        self.fd, child = os.openpty()
        columns, rows = size
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=child,
            stdout=child,
            stderr=child,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)},
            start_new_session=True,
        )
        os.close(child)
        self.output = bytearray()

    def send(self, data: bytes) -> None:
        """Types `data` into the terminal, in one write, as a key press (or a paste) arrives."""
        os.write(self.fd, data)

    def read(self, timeout: float) -> bool:
        """Reads what is waiting, up to `timeout` seconds; False once the child has closed the terminal."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return False
        self.output.extend(chunk)
        return bool(chunk)

    def wait_for(self, pattern: bytes, within: float, *, since: float | None = None) -> float:
        """Seconds from `since` (default: the process's start) until `pattern` (a regular expression)
        has been written to the terminal. Output before the match is kept only as far as a match
        could reach back, so a long wait does not hold every frame."""
        started = self.started if since is None else since
        deadline = started + within
        compiled = re.compile(pattern)
        while compiled.search(self.output) is None:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{pattern!r} did not appear within {within} s")
            if not self.read(0.05):
                raise RuntimeError(f"the program ended before {pattern!r} appeared: {self.tail()!r}")
            del self.output[: max(len(self.output) - 65536, 0)]
        return time.perf_counter() - started

    def drain(self, seconds: float) -> None:
        """Reads for `seconds`, keeping only the latest output."""
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            self.read(min(0.2, max(deadline - time.perf_counter(), 0.0)))
            del self.output[:-4096]

    def tail(self) -> bytes:
        return bytes(self.output[-400:])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self.fd)
