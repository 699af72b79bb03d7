"""Every directory hfdash reads or writes, each overridable by an HFDASH_* variable.

This is the one module that knows where files live, so tests (and users with
unusual setups) can move every one of them with the environment alone.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "hfdash"


def environ(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def _override(env: Mapping[str, str] | None, name: str) -> Path | None:
    value = environ(env).get(name, "").strip()
    return Path(value).expanduser() if value else None


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    return _override(env, "HFDASH_CACHE_DIR") or Path(platformdirs.user_cache_dir(APP_NAME))


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the downloads journal goes: state, not config, so it is safe to delete."""
    return _override(env, "HFDASH_STATE_DIR") or Path(platformdirs.user_state_dir(APP_NAME))


def download_dir(env: Mapping[str, str] | None = None) -> Path:
    return _override(env, "HFDASH_DOWNLOAD_DIR") or Path(platformdirs.user_downloads_dir()) / APP_NAME


def resolve_destination(
    flag: Path | str | None = None, config_dest: Path | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """Where downloads go: --dest, then HFDASH_DOWNLOAD_DIR, then the config file, then the default."""
    if flag is not None and str(flag).strip():
        return Path(flag).expanduser()
    if config_dest is not None and not environ(env).get("HFDASH_DOWNLOAD_DIR", "").strip():
        return config_dest.expanduser()
    return download_dir(env)


def config_file(env: Mapping[str, str] | None = None) -> Path:
    return (
        _override(env, "HFDASH_CONFIG_DIR") or Path(platformdirs.user_config_dir(APP_NAME))
    ) / "config.toml"


def heygen_config_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$HEYGEN_CONFIG_DIR` or `~/.heygen`, shared by HeyGen's CLIs (contract §4); HOME in `env` first."""
    home = environ(env).get("HOME", "").strip()
    return _override(env, "HEYGEN_CONFIG_DIR") or (Path(home) if home else Path.home()) / ".heygen"


def fsync_dir(directory: Path) -> None:
    """Make the entry a rename or link just made in `directory` survive a crash; not every platform
    lets a directory be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
