"""The simulator's knobs, shared by the Python API, the CLI and the control surface."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _random_key() -> str:
    return "sim_" + secrets.token_hex(16)


@dataclass
class SimConfig:
    """How the simulated account looks and behaves.

    speed is simulated seconds per real second (0 freezes the account); now is the unix time the
    simulated clock starts at (None: the real clock). With speed=0, a fixed now and a seed, every
    response body is byte-for-byte deterministic. throttle paces file bodies to that many bytes
    per second (0: as fast as the machine goes). header_faults names fault kinds from
    faults.ODD_HEADERS that every answer carries.
    """

    seed: int = 0
    renders: int = 40
    # The share of seeded renders that fail.
    render_failures: float = 0.12
    clip_jobs: int = 12
    sessions: int = 8
    speed: float = 1.0
    url_ttl: float = 900.0
    fault_rate: float = 0.0
    api_key: str = field(default_factory=_random_key)
    now: float | None = None
    hostile: bool = False
    file_size: int = 2_000_000
    log_path: str | Path | None = None
    token_ttl: int = 3600
    throttle: int = 0
    header_faults: list[str] = field(default_factory=list)
