"""`hfdash sim`: serve the simulator until SIGINT/SIGTERM.

The first two lines of stdout are the environment a client needs, so a shell can capture them:
    eval "$(hfdash sim --port 0 | head -n 2 | sed 's/^/export /')"
"""

from __future__ import annotations

import argparse
import secrets
import signal
import sys
import threading
from types import FrameType

from .config import SimConfig
from .faults import ODD_HEADERS
from .server import Simulator


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hfdash sim", description="Serve a simulated HeyGen v3 API on loopback.")
    p.add_argument("--port", type=int, default=0, help="port to listen on (0 picks a free one)")
    p.add_argument("--api-key", default=None, help="the API key to accept (default: a random one)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--renders", type=int, default=40)
    p.add_argument("--render-failures", type=float, default=0.12, help="share of seeded renders that fail")
    p.add_argument("--clip-jobs", type=int, default=12)
    p.add_argument("--sessions", type=int, default=8)
    p.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second (0 freezes)")
    p.add_argument("--now", type=float, default=None, help="unix time the simulated clock starts at")
    p.add_argument("--url-ttl", type=float, default=900.0, help="presigned URL lifetime in seconds")
    p.add_argument("--token-ttl", type=int, default=3600, help="OAuth access token lifetime in seconds")
    p.add_argument("--fault-rate", type=float, default=0.0, help="share of requests given a transient fault")
    p.add_argument("--hostile", action="store_true", help="seed items with hostile titles and ids")
    p.add_argument("--file-size", type=int, default=2_000_000, help="bytes served per video file")
    p.add_argument("--log", default=None, help="append the request log to this file as JSON lines")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS with this cert and key")
    p.add_argument(
        "--throttle", type=int, default=0, metavar="BYTES_PER_SECOND", help="pace file bodies to this rate"
    )
    p.add_argument(
        "--odd-header",
        dest="header_faults",
        action="append",
        default=[],
        choices=sorted(ODD_HEADERS),
        help="add these odd header lines to every answer (repeatable)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not 0.0 <= args.fault_rate <= 1.0:
        print("--fault-rate must be within 0..1", file=sys.stderr)
        return 2
    cfg = SimConfig(
        seed=args.seed,
        renders=args.renders,
        render_failures=args.render_failures,
        clip_jobs=args.clip_jobs,
        sessions=args.sessions,
        speed=args.speed,
        url_ttl=args.url_ttl,
        fault_rate=args.fault_rate,
        api_key=args.api_key or "sim_" + secrets.token_hex(16),
        now=args.now,
        hostile=args.hostile,
        file_size=args.file_size,
        log_path=args.log,
        token_ttl=args.token_ttl,
        throttle=args.throttle,
        header_faults=args.header_faults,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    if args.throttle < 0:
        print("--throttle must be 0 (unpaced) or more", file=sys.stderr)
        return 2
    sim = Simulator(cfg, port=args.port, tls=tuple(args.tls) if args.tls else None)
    try:
        sim.start()
        print(f"HEYGEN_API_URL={sim.url}", flush=True)
        print(f"HEYGEN_API_KEY={sim.api_key}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        sim.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
