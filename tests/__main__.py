"""Every check the project has, in one command: ruff, ruff format, mypy --strict, pytest.

Runs them all even when one fails, so one run shows every problem, and exits
non-zero if any failed.
"""

from __future__ import annotations

import subprocess
import sys

CHECKS: tuple[tuple[str, ...], ...] = (
    ("ruff", "check", "."),
    ("ruff", "format", "--check", "."),
    ("mypy",),
    ("pytest",),
)


def main() -> int:
    failed: list[str] = []
    for check in CHECKS:
        command = [sys.executable, "-m", *check]
        print(f"$ {' '.join(check)}", flush=True)
        if subprocess.run(command, check=False).returncode != 0:
            failed.append(check[0])
    if failed:
        print(f"failed: {', '.join(failed)}", flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
