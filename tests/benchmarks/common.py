"""What the benchmarks share: a simulator in its own process, medians, and one way to print a figure."""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

API_KEY = "bench_key"
# A fixed "now" keeps the account, and so every run, the same.
NOW = "1795176000"


@dataclass(frozen=True, slots=True)
class Result:
    """One figure against the baseline measured in the same run."""

    target: str
    figure: float
    baseline: float
    unit: str
    goal: str
    # The median of ratios taken run by run, where figure and baseline were measured in pairs:
    # a machine that slows down for a while then slows both sides of a pair alike.
    paired_ratio: float | None = None

    @property
    def ratio(self) -> float:
        if self.paired_ratio is not None:
            return self.paired_ratio
        return self.figure / self.baseline if self.baseline else float("inf")

    def line(self) -> str:
        return (
            f"{self.target:<34} {self.figure:10.2f} {self.unit:<8} baseline {self.baseline:10.2f}"
            f"  ratio {self.ratio:6.2f}x  ({self.goal})"
        )


def show(results: Sequence[Result]) -> None:
    for result in results:
        print(result.line(), flush=True)


def run_once(
    prog: str,
    option: str,
    default: float,
    measure: Callable[[Any], list[Result]],
    argv: list[str] | None,
) -> list[Result]:
    """A benchmark's command line: its one size option, the measurement, the figures printed."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument(f"--{option}", type=type(default), default=default)
    results = measure(getattr(parser.parse_args(argv), option))
    show(results)
    return results


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@contextmanager
def simulator(renders: int, *, clip_jobs: int = 4, sessions: int = 3) -> Iterator[str]:
    """A frozen simulated account served by its own process, so it never shares our interpreter lock."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hfdash.simulator",
            "--port",
            "0",
            "--api-key",
            API_KEY,
            "--speed",
            "0",
            "--now",
            NOW,
            "--renders",
            str(renders),
            "--clip-jobs",
            str(clip_jobs),
            "--sessions",
            str(sessions),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().partition("=")[2]
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def isolate() -> None:
    """Points this process's hfdash directories at a throwaway place: never the user's cache."""
    scratch = Path(tempfile.mkdtemp(prefix="hfdash-bench-"))
    for kind in ("CONFIG", "CACHE", "DATA", "STATE"):
        os.environ[f"HFDASH_{kind}_DIR"] = str(scratch / kind.lower())


def child_env(tmp: Path, url: str) -> dict[str, str]:
    """An environment for an hfdash child process: the simulator's key and throwaway directories."""
    env = dict(os.environ)
    # An installed hfdash has its bytecode compiled at install time; without the cache, every start
    # would compile every hfdash module again and the figure would measure the compiler.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        HEYGEN_API_KEY=API_KEY,
        HEYGEN_API_URL=url,
        HOME=str(tmp / "home"),
        HFDASH_CONFIG_DIR=str(tmp / "config"),
        HFDASH_CACHE_DIR=str(tmp / "cache"),
        HFDASH_DATA_DIR=str(tmp / "data"),
        HFDASH_STATE_DIR=str(tmp / "state"),
        HEYGEN_CONFIG_DIR=str(tmp / "home" / ".heygen"),
    )
    return env


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def rss_mb(pid: int | None = None) -> float:
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Terminal:
    """A child process on a pseudo-terminal of a fixed size, read as a real terminal would be."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], size: tuple[int, int] = (120, 40)) -> None:
        import fcntl
        import struct
        import termios

        self._fd, child = os.openpty()
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
        """Types `data` into the terminal, as a key press would."""
        os.write(self._fd, data)

    def read(self, timeout: float) -> bool:
        """Reads what is waiting, up to `timeout` seconds; False once the child has closed the terminal."""
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self._fd, 65536)
        except OSError:
            return False
        self.output.extend(chunk)
        return bool(chunk)

    def wait_for(self, needle: bytes, within: float) -> float:
        """Seconds from start until `needle` was written to the terminal."""
        deadline = self.started + within
        while needle not in self.output:
            if time.perf_counter() > deadline or not self.read(0.05):
                raise TimeoutError(f"{needle!r} did not appear within {within} s")
        return time.perf_counter() - self.started

    def drain(self, seconds: float) -> None:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            self.read(min(0.2, max(deadline - time.perf_counter(), 0.0)))
            del self.output[:-4096]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self._fd)
