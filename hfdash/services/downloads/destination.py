"""Where downloads go: --dest, then HFDASH_DOWNLOAD_DIR, then the config file, then the default."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hfdash.config.dirs import download_dir, environ


def resolve_destination(
    flag: Path | str | None = None,
    config_dest: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Path:
    """The download directory by the documented order; `~` is expanded, nothing is created."""
    variables = environ(env)
    if flag is not None and str(flag).strip():
        return Path(flag).expanduser()
    from_env = variables.get("HFDASH_DOWNLOAD_DIR", "").strip()
    if from_env:
        return Path(from_env).expanduser()
    if config_dest is not None:
        return config_dest.expanduser()
    # download_dir() also honours HFDASH_DOWNLOAD_DIR, already handled above; this is the fallback.
    return download_dir({k: v for k, v in variables.items() if k != "HFDASH_DOWNLOAD_DIR"})
