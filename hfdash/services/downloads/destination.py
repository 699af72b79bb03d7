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
    if flag is not None and str(flag).strip():
        return Path(flag).expanduser()
    if config_dest is not None and not environ(env).get("HFDASH_DOWNLOAD_DIR", "").strip():
        return config_dest.expanduser()
    # The environment variable and the platform's default.
    return download_dir(env)
