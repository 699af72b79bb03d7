"""A large file over HTTPS from the simulator: hfdash's download command against curl + sync.

    .venv/bin/python -m tests.benchmarks.bench_download [--size BYTES] [--runs N] [--dest DIR]

A throwaway CA (trustme) signs the simulator's certificate, and the simulator serves HTTPS as
its own process: once with file bodies paced to 125 MB/s (1 Gbit/s), once unpaced on loopback.
For each, the programs take turns, N runs each, into the same directory:

- curl: `curl --cacert CA -o FILE URL` on a presigned URL fetched just before (they expire),
  then `sync FILE`, since hfdash fsyncs its file before it reports it done. Timed from spawning
  curl until sync has exited; its CPU is curl's and sync's.
- hfdash: `hfdash download render ID --dest DIR` with `SSL_CERT_FILE` naming the CA, timed from
  spawning it until it has exited, so its own start and its API call for the URL count too.

- beside them, unpaced only: `httpx_fetch.py`, the least a program on stock httpx does (stream
  the body into the file, fsync), once on `httpx.AsyncClient` and once on `httpx.Client`, which
  hfdash streams file bodies with: how far the library itself gets, and what asyncio's TLS
  transport would cost.

Each program's CPU seconds come from wait4(2) on that program alone, its peak RSS from /proc. The rate is
the file's size over the wall time; the ratio is the median of each run's hfdash / curl rate.
The destination defaults to tmpfs (/dev/shm) when there is one, so the disk does not decide the
figure; both programs write to the same directory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import trustme

from tests.benchmarks.common import API_KEY, Goal, Result, child_env, median, run_cli, simulator

GIB = 1024**3
RENDER_ID = "hfr_benchfile00"
MISSING_ID = "hfr_nosuchfile0"
# 1 Gbit/s.
THROTTLE = 125_000_000
# Seconds between readings of a running download's peak memory.
PEAK_POLL = 0.02
QUICK = ["--size", "50000000", "--runs", "1"]


@dataclass(frozen=True, slots=True)
class Run:
    """One program's run: wall seconds, CPU seconds (user + system) and peak RSS in MB."""

    seconds: float
    cpu: float
    peak_mb: float

    def __add__(self, other: Run) -> Run:
        return Run(self.seconds + other.seconds, self.cpu + other.cpu, max(self.peak_mb, other.peak_mb))


@dataclass(frozen=True, slots=True)
class Found:
    """Every run against one simulator: curl, hfdash, hfdash with no body, the stock httpx programs."""

    curl: list[Run]
    hfdash: list[Run]
    no_body: list[Run]
    stock_async: list[Run]
    stock_sync: list[Run]


def run_alone(argv: Sequence[str], env: dict[str, str], log: Path, expect: int = 0) -> Run:
    """Runs `argv` to its end, its output to `log`: wall time, CPU from wait4(2), peak RSS from /proc.

    wait4 gives this one child's CPU, where getrusage(RUSAGE_CHILDREN) adds up every child so far.
    Its ru_maxrss will not do for memory: Linux carries the spawning process's peak across exec, so
    every child of this interpreter would report at least the interpreter's own size. VmHWM, the
    peak of the child's own address space, is read while it runs instead.
    """
    outputs = [
        (os.POSIX_SPAWN_OPEN, fd, str(log), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600) for fd in (1, 2)
    ]
    started = time.perf_counter()
    pid = os.posix_spawnp(argv[0], list(argv), env, file_actions=outputs)
    peak_kb = 0
    while True:
        peak_kb = max(peak_kb, high_water_kb(pid))
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        time.sleep(PEAK_POLL)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != expect:
        raise RuntimeError(f"{argv[0]} exited with {code}: {log.read_text()[-2000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, peak_kb * 1024 / 1e6)


def high_water_kb(pid: int) -> int:
    """The peak resident size of a running process in kB; 0 once it has exited."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def certificates(scratch: Path) -> tuple[Path, Path, Path]:
    """The CA file clients trust, and the simulator's certificate chain and key."""
    authority = trustme.CA()
    served = authority.issue_cert("127.0.0.1", "localhost")
    ca, chain, key = scratch / "ca.pem", scratch / "chain.pem", scratch / "key.pem"
    authority.cert_pem.write_to_path(str(ca))
    served.private_key_pem.write_to_path(str(key))
    chain.write_bytes(b"".join(blob.bytes() for blob in served.cert_chain_pems))
    return ca, chain, key


def fresh_url(base: str, ca: Path) -> str:
    answer = httpx.get(
        f"{base}/v3/hyperframes/renders/{RENDER_ID}",
        headers={"x-api-key": API_KEY},
        verify=str(ca),
        trust_env=False,
    )
    answer.raise_for_status()
    return str(answer.json()["data"]["video_url"])


def curl(base: str, ca: Path, dest: Path, env: dict[str, str]) -> Run:
    out, log = dest / "curl.bin", dest / "curl.log"
    got = run_alone(
        ["curl", "-sS", "--fail", "--cacert", str(ca), "-o", str(out), fresh_url(base, ca)], env, log
    )
    synced = got + run_alone(["sync", str(out)], env, log)
    out.unlink()
    return synced


def stock_httpx(how: str, base: str, ca: Path, dest: Path, env: dict[str, str]) -> Run:
    out, log = dest / "httpx.bin", dest / "httpx.log"
    argv = [sys.executable, "-m", "tests.benchmarks.httpx_fetch", how, fresh_url(base, ca), str(out)]
    got = run_alone(argv, env, log)
    out.unlink()
    return got


def hfdash(dest: Path, size: int, env: dict[str, str]) -> Run:
    log = dest / "hfdash.log"
    argv = [sys.executable, "-m", "hfdash", "download", "render", RENDER_ID, "--dest", str(dest)]
    got = run_alone(argv, env, log)
    written = [Path(line) for line in log.read_text().splitlines() if line.startswith(str(dest))]
    if len(written) != 1 or written[0].stat().st_size != size:
        raise RuntimeError(f"hfdash did not write one file of {size} bytes: {log.read_text()[-2000:]}")
    written[0].unlink()
    log.unlink()
    return got


def no_body(dest: Path, env: dict[str, str]) -> Run:
    """hfdash's download command asked for a render that does not exist: its start, its TLS
    connection and one API answer, the part of every download's time that is not the body."""
    log = dest / "missing.log"
    argv = [sys.executable, "-m", "hfdash", "download", "render", MISSING_ID, "--dest", str(dest)]
    run = run_alone(argv, env, log, expect=1)
    log.unlink()
    return run


def mode(
    size: int, runs: int, dest: Path, ca: Path, serving: Sequence[str], stock: bool, cpu: int | None
) -> Found:
    """Every run against one simulator (on core `cpu`, if given); stock httpx's only with `stock`."""
    extra = ["--file-size", str(size), *serving]
    with simulator(renders=0, clip_jobs=0, sessions=0, extra=extra, cpu=cpu) as base:
        added = httpx.post(
            f"{base}/_sim/items/renders",
            json={"render_id": RENDER_ID, "status": "completed"},
            verify=str(ca),
            trust_env=False,
        )
        added.raise_for_status()
        env = child_env(dest / "state", base, SSL_CERT_FILE=str(ca))
        found = Found([], [], [], [], [])
        for _ in range(runs):
            found.curl.append(curl(base, ca, dest, env))
            found.hfdash.append(hfdash(dest, size, env))
            found.no_body.append(no_body(dest, env))
            if stock:
                found.stock_async.append(stock_httpx("async", base, ca, dest, env))
                found.stock_sync.append(stock_httpx("sync", base, ca, dest, env))
    return found


def measure(args: argparse.Namespace) -> list[Result]:
    if shutil.which("curl") is None:
        raise SystemExit("curl is needed for the baseline")
    root = args.dest or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    dest = Path(tempfile.mkdtemp(prefix="hfdash-bench-", dir=root))
    size: int = args.size
    runs: int = args.runs
    cpus = os.sched_getaffinity(0)
    # The simulator on one core, the clients (children of this process) on another: left to the
    # scheduler, whether a client shared the simulator's core moved a run's unpaced rate by half.
    server_cpu, client_cpu = sorted(cpus)[:2] if len(cpus) >= 2 else (None, None)
    try:
        if client_cpu is not None:
            os.sched_setaffinity(0, {client_cpu})
        ca, chain, key = certificates(dest)
        tls = ["--tls", str(chain), str(key)]
        paced = mode(size, runs, dest, ca, [*tls, "--throttle", str(THROTTLE)], False, server_cpu)
        unpaced = mode(size, runs, dest, ca, tls, True, server_cpu)
    finally:
        os.sched_setaffinity(0, cpus)
        shutil.rmtree(dest, ignore_errors=True)
    where = f"into {root or tempfile.gettempdir()}"
    mb = size / 1e6

    def rate(label: str, ours: list[Run], theirs: list[Run], goal: Goal | None) -> Result:
        ratios = [t.seconds / o.seconds for o, t in zip(ours, theirs, strict=True)]
        return Result(
            f"{label}, {where}",
            mb / median([run.seconds for run in ours]),
            "MB/s",
            mb / median([run.seconds for run in theirs]),
            "curl + sync",
            goal,
            paired_ratio=median(ratios),
        )

    def per_gib(runs: list[Run]) -> float:
        return median([run.cpu for run in runs]) * GIB / size

    download = f"download {mb:,.0f} MB, HTTPS"
    return [
        rate(
            f"{download}, paced to {THROTTLE / 1e6:.0f} MB/s",
            paced.hfdash,
            paced.curl,
            Goal("ratio", ">=", 0.9),
        ),
        rate(f"{download}, unpaced", unpaced.hfdash, unpaced.curl, Goal("ratio", ">=", 0.6)),
        rate(f"{download}, unpaced, httpx.AsyncClient alone", unpaced.stock_async, unpaced.curl, None),
        rate(f"{download}, unpaced, httpx.Client (sync) alone", unpaced.stock_sync, unpaced.curl, None),
        Result(
            "CPU per GiB downloaded, unpaced",
            per_gib(unpaced.hfdash),
            "s/GiB",
            per_gib(unpaced.curl),
            "curl + sync",
        ),
        *(
            Result(
                f"CPU per GiB, unpaced, {label} alone",
                per_gib(runs),
                "s/GiB",
                per_gib(unpaced.curl),
                "curl + sync",
            )
            for label, runs in (
                ("httpx.AsyncClient", unpaced.stock_async),
                ("httpx.Client", unpaced.stock_sync),
            )
        ),
        Result(
            "peak RSS of a download",
            max(run.peak_mb for run in paced.hfdash + unpaced.hfdash),
            "MB",
            max(run.peak_mb for run in paced.curl + unpaced.curl),
            "curl",
            Goal("figure", "<", 100),
        ),
        Result(
            "hfdash download, start + API answer, no body",
            median([run.seconds for run in paced.no_body + unpaced.no_body]),
            "s",
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Result]:
    options = [("size", int, 500_000_000), ("runs", int, 3), ("dest", Path, None)]
    return run_cli("bench_download", __doc__, options, measure, argv)


if __name__ == "__main__":
    main()
