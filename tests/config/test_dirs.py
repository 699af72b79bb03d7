"""Every directory comes from its HFDASH_* variable when set, from platformdirs otherwise."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from hfdash.config import dirs


def test_overrides_from_the_environment(tmp_path: Path) -> None:
    env = {f"HFDASH_{name}_DIR": str(tmp_path / name) for name in ("CONFIG", "CACHE", "STATE")}
    env["HFDASH_DOWNLOAD_DIR"] = str(tmp_path / "dl")
    assert dirs.cache_dir(env) == tmp_path / "CACHE"
    assert dirs.state_dir(env) == tmp_path / "STATE"
    assert dirs.download_dir(env) == tmp_path / "dl"
    assert dirs.config_file(env) == tmp_path / "CONFIG" / "config.toml"


def test_defaults_come_from_platformdirs() -> None:
    assert dirs.config_file({}) == Path(platformdirs.user_config_dir("hfdash")) / "config.toml"
    assert dirs.cache_dir({}) == Path(platformdirs.user_cache_dir("hfdash"))
    assert dirs.state_dir({}) == Path(platformdirs.user_state_dir("hfdash"))
    assert dirs.download_dir({}) == Path(platformdirs.user_downloads_dir()) / "hfdash"


def test_process_environment_is_the_default(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HFDASH_CONFIG_DIR", "~/cfg")
    assert dirs.config_file() == isolated_env / "cfg" / "config.toml"
    assert dirs.heygen_config_dir() == isolated_env / ".heygen"
