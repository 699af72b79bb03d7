"""Download throughput against curl, and peak memory, on a 1 GiB file from the simulator.

    .venv/bin/python -m tests.benchmarks.bench_download [--size BYTES] [--dest DIR] [--runs N]

The simulator runs in its own process so it does not share our interpreter lock. curl and hfdash
take turns fetching the same file, each through a fresh presigned URL, into the same directory;
the figures are the median of N runs for each, and the ratio is hfdash's median over curl's.
Peak RSS is this process's, which does nothing but the download. hfdash goes through the
download manager with its default file client, so unless a proxy variable applies to the
simulator's host it takes the direct GET path (fetch.py), as the dashboard does.
The destination defaults to a tmpfs (/dev/shm) when there is one, so the comparison measures the
transfer rather than the disk; hfdash also fsyncs, which curl does not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from hfdash.api.client import HeyGenClient
from hfdash.config.credentials import Credential, Secret
from hfdash.services.downloads.manager import DownloadManager, DownloadState
from hfdash.services.downloads.plan import Kind, Target

API_KEY = "bench_key"
GIB = 1024**3
RENDER_ID = "hfr_bench"
SIM_ARGS = ("--speed", "0", "--renders", "1", "--clip-jobs", "0", "--sessions", "0", "--file-size")


def start_simulator(size: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hfdash.simulator",
            "--port",
            "0",
            "--api-key",
            API_KEY,
            *SIM_ARGS,
            str(size),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip().partition("=")[2]
    proc.stdout.readline()
    return proc, url


def control(base: str, path: str, payload: dict[str, object]) -> None:
    httpx.post(f"{base}/_sim/{path}", json=payload, trust_env=False).raise_for_status()


def fresh_url(base: str) -> str:
    answer = httpx.get(
        f"{base}/v3/hyperframes/renders/{RENDER_ID}", headers={"x-api-key": API_KEY}, trust_env=False
    )
    answer.raise_for_status()
    return str(answer.json()["data"]["video_url"])


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def curl_rate(base: str, dest: Path) -> tuple[float, float]:
    """(bytes per second, CPU seconds used)."""
    out = dest / "curl.bin"
    cpu = cpu_seconds(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        ["curl", "-sS", "--fail", "-o", str(out), "-w", "%{size_download} %{time_total}", fresh_url(base)],
        capture_output=True,
        text=True,
        check=True,
    )
    size, seconds = result.stdout.split()
    out.unlink()
    return int(size) / float(seconds), cpu_seconds(resource.RUSAGE_CHILDREN) - cpu


async def hfdash_rate(base: str, dest: Path, size: int) -> tuple[float, float]:
    """(bytes per second, CPU seconds used, both threads)."""
    credential = Credential(kind="api_key", source="bench", api_key=Secret(API_KEY))
    async with HeyGenClient(credential, base_url=base) as client:
        manager = DownloadManager(client, dest)
        try:
            started, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
            status = await manager.wait(manager.submit(Target(Kind.RENDER, RENDER_ID)))
            elapsed = time.perf_counter() - started
            used = cpu_seconds(resource.RUSAGE_SELF) - cpu
        finally:
            await manager.aclose()
    if status.state is not DownloadState.DONE or status.path is None:
        raise SystemExit(f"download failed: {status.error}")
    if status.path.stat().st_size != size:
        raise SystemExit("download has the wrong size")
    status.path.unlink()
    return size / elapsed, used


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux and bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_download")
    parser.add_argument("--size", type=int, default=GIB)
    parser.add_argument("--dest", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if shutil.which("curl") is None:
        raise SystemExit("curl is needed for the baseline")
    root = args.dest or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    dest = Path(tempfile.mkdtemp(prefix="hfdash-bench-", dir=root))
    sim, base = start_simulator(args.size)
    try:
        control(base, "items/renders", {"render_id": RENDER_ID, "status": "completed"})
        baseline_rss = peak_rss_mb()
        ours: list[tuple[float, float]] = []
        theirs: list[tuple[float, float]] = []
        for _ in range(args.runs):
            theirs.append(curl_rate(base, dest))
            ours.append(asyncio.run(hfdash_rate(base, dest, args.size)))
    finally:
        sim.terminate()
        sim.wait()
        shutil.rmtree(dest, ignore_errors=True)
    figure, curl = statistics.median(r for r, _ in ours), statistics.median(r for r, _ in theirs)
    gib = args.size / GIB
    path = "httpx (stock transport)"
    print(f"file size:        {gib:.2f} GiB into {root or tempfile.gettempdir()}, {os.cpu_count()} CPUs")
    print(f"hfdash path:      {path}")
    for label, runs, median in (("hfdash:", ours, figure), ("curl baseline:", theirs, curl)):
        rates = ", ".join(f"{r / 1e6:.0f}" for r, _ in runs)
        cpu = statistics.median(c for _, c in runs) / gib
        print(f"{label:<18}{median / 1e6:8.1f} MB/s median  (runs: {rates}; CPU {cpu:.2f} s/GiB median)")
    print(f"ratio:            {figure / curl:8.2f}x  (medians; target >= 0.90x)")
    rss = peak_rss_mb()
    print(f"peak RSS:         {rss:8.1f} MB  (before downloading: {baseline_rss:.1f} MB; target < 100)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
