"""Settings: defaults, then the TOML config file, then HFDASH_* environment, then flags.

A bad file or value raises SettingsError naming the file (or variable), the key
and the problem, so the user can fix it without reading a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

PANES = ("renders", "clips", "agents")


class SettingsError(Exception):
    """A setting that cannot be used; the message names where it came from."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting, after the settings file, the environment and the flags."""

    # Seconds between refreshes of what is in flight (renders, clip jobs, sessions).
    poll_interval: float = 5.0
    # Seconds between refreshes of each pane's first page, which discovers new items.
    head_interval: float = 30.0
    polling: bool = True
    default_pane: str = "renders"
    page_size: int = 50
    theme: str = "textual-dark"
    bell: bool = False
    download_dir: Path | None = None
    max_downloads: int = 3


_FIELD_TYPES: dict[str, str] = {field.name: str(field.type) for field in fields(Settings)}
# Each setting's variable is its name in capitals after HFDASH_: HFDASH_POLL_INTERVAL, ...
_ENV_KEYS = {f"HFDASH_{key.upper()}": key for key in _FIELD_TYPES}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _coerce(key: str, value: object, where: str, from_text: bool) -> Any:
    kind = _FIELD_TYPES[key]
    problem = f"{where}: {key}"
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if from_text and isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise SettingsError(f"{problem} must be true or false, not {value!r}")
    if kind in ("float", "int"):
        number = value
        if from_text and isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                number = None
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise SettingsError(f"{problem} must be a number, not {value!r}")
        return _check_range(key, number, problem)
    if kind == "Path | None":
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"{problem} must be a directory path, not {value!r}")
        return Path(value).expanduser()
    if not isinstance(value, str):
        raise SettingsError(f"{problem} must be text, not {value!r}")
    if key == "default_pane" and value not in PANES:
        raise SettingsError(f"{problem} must be one of {', '.join(PANES)}, not {value!r}")
    return value


def _check_range(key: str, number: float, problem: str) -> float | int:
    if key == "page_size":
        if number != int(number) or not 1 <= number <= 100:
            raise SettingsError(f"{problem} must be a whole number from 1 to 100 (the API's limit)")
        return int(number)
    if key == "max_downloads":
        if number != int(number) or not 1 <= number <= 16:
            raise SettingsError(f"{problem} must be a whole number from 1 to 16")
        return int(number)
    # Cadences below a second would storm the API for no visible gain.
    if not 1.0 <= number <= 86_400:
        raise SettingsError(f"{problem} must be between 1 and 86400 seconds")
    return float(number)


def _from_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot be read ({error})") from None
    # Imported once there is a file to read: most starts have none, and the parser is a few ms.
    import tomllib

    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML ({error})") from None
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _FIELD_TYPES:
            known = ", ".join(sorted(_FIELD_TYPES))
            raise SettingsError(f"{path}: unknown key {key!r} (known keys: {known})")
        values[key] = _coerce(key, value, str(path), from_text=False)
    return values


def load_settings(
    config_file: Path,
    env: Mapping[str, str],
    flags: Mapping[str, object] | None = None,
) -> Settings:
    """Flags beat environment, which beats the file, which beats the defaults."""
    values = _from_file(config_file)
    for variable, key in _ENV_KEYS.items():
        raw = env.get(variable)
        if raw is not None and raw != "":
            values[key] = _coerce(key, raw, variable, from_text=True)
    for key, value in (flags or {}).items():
        if value is not None:
            values[key] = _coerce(key, value, f"--{key.replace('_', '-')}", from_text=True)
    return replace(Settings(), **values)


SAMPLE_CONFIG = """\
# hfdash settings. Every key is optional; HFDASH_* variables and flags override these.
poll_interval = 5.0      # seconds between refreshes of items in flight
head_interval = 30.0     # seconds between refreshes of each pane's first page
polling = true
default_pane = "renders" # renders, clips or agents
page_size = 50           # 1..100 items per request
theme = "textual-dark"
bell = false             # ring the terminal bell when an item completes or fails
# download_dir = "~/Videos/hfdash"
max_downloads = 3
"""
