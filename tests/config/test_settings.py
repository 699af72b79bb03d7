"""Settings: defaults < TOML file < HFDASH_* environment < flags, and clear messages for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfdash.config.settings import Settings, SettingsError, load_settings


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.toml", {}) == Settings()


def test_the_readmes_settings_block_is_a_valid_config(tmp_path: Path, isolated_env: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Settings", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    expected = Settings(download_dir=isolated_env / "Videos" / "hfdash")
    assert load_settings(_write(tmp_path / "c.toml", block), {}) == expected


def test_flags_beat_environment_beat_file_beat_defaults(tmp_path: Path) -> None:
    config = _write(tmp_path / "c.toml", 'page_size = 20\npoll_interval = 9\ntheme = "nord"\nbell = true\n')
    env = {"HFDASH_PAGE_SIZE": "30", "HFDASH_POLL_INTERVAL": "7"}
    settings = load_settings(config, env, {"page_size": 40, "default_pane": None})
    assert settings.page_size == 40
    assert settings.poll_interval == 7.0
    assert settings.theme == "nord"
    assert settings.bell is True
    assert settings.head_interval == Settings().head_interval


def test_download_dir_expands_the_home_directory(tmp_path: Path, isolated_env: Path) -> None:
    config = _write(tmp_path / "c.toml", 'download_dir = "~/Videos/hf"\n')
    assert load_settings(config, {}).download_dir == isolated_env / "Videos" / "hf"


def test_boolean_environment_values(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml", {"HFDASH_POLLING": "off"}).polling is False
    with pytest.raises(SettingsError, match="HFDASH_BELL: bell must be true or false"):
        load_settings(tmp_path / "none.toml", {"HFDASH_BELL": "maybe"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("page_size = 500\n", "page_size must be a whole number from 1 to 100"),
        ('poll_interval = "fast"\n', "poll_interval must be a number"),
        ("poll_interval = 0.1\n", "poll_interval must be between 1 and 86400 seconds"),
        ('default_pane = "logs"\n', "default_pane must be one of renders, clips, agents"),
        ("colour = 1\n", "unknown key 'colour'"),
        ("page_size = \n", "not valid TOML"),
        ("bell = 1\n", "bell must be true or false"),
    ],
)
def test_a_bad_file_names_the_file_the_key_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    config = _write(tmp_path / "config.toml", text)
    with pytest.raises(SettingsError) as raised:
        load_settings(config, {})
    assert str(config) in str(raised.value)
    assert message in str(raised.value)


def test_an_unreadable_file_is_reported_not_raised_raw(tmp_path: Path) -> None:
    directory = tmp_path / "config.toml"
    directory.mkdir()
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings(directory, {})


def test_a_bad_flag_names_the_flag(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="--page-size"):
        load_settings(tmp_path / "none.toml", {}, {"page_size": 0})
