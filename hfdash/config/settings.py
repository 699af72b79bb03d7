"""Settings: defaults, then the TOML config file, then HFDASH_* environment, then flags.

A bad file or value raises SettingsError naming the file (or variable), the key
and the problem, so the user can fix it without reading a traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

PANES = ("renders", "clips", "agents")


class SettingsError(Exception):
    """A setting that cannot be used; the message names where it came from."""


@dataclass(frozen=True, slots=True)
class Settings:
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
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


# The whole-number settings: their upper bound, and why it is there. Every float is a cadence.
_WHOLE = {"page_size": (100, " (the API's limit)"), "max_downloads": (16, "")}


def _coerce(key: str, value: object, where: str, from_text: bool) -> Any:
    kind = _FIELD_TYPES[key]
    problem = f"{where}: {key}"
    text = value.strip().lower() if from_text and isinstance(value, str) else None
    if kind == "bool":
        if text in _TRUE | _FALSE:
            return text in _TRUE
        if not isinstance(value, bool):
            raise SettingsError(f"{problem} must be true or false, not {value!r}")
        return value
    if kind in ("float", "int"):
        number = value
        if text is not None:
            with contextlib.suppress(ValueError):
                number = float(text)
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise SettingsError(f"{problem} must be a number, not {value!r}")
        if kind == "float":
            # Cadences below a second would storm the API for no visible gain.
            if not 1.0 <= number <= 86_400:
                raise SettingsError(f"{problem} must be between 1 and 86400 seconds")
            return float(number)
        top, why = _WHOLE[key]
        if not 1 <= number <= top or number != int(number):
            raise SettingsError(f"{problem} must be a whole number from 1 to {top}{why}")
        return int(number)
    if kind == "Path | None":
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"{problem} must be a directory path, not {value!r}")
        return Path(value).expanduser()
    if not isinstance(value, str):
        raise SettingsError(f"{problem} must be text, not {value!r}")
    if key == "default_pane" and value not in PANES:
        raise SettingsError(f"{problem} must be one of {', '.join(PANES)}, not {value!r}")
    return value


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
            raise SettingsError(
                f"{path}: unknown key {key!r} (known keys: {', '.join(sorted(_FIELD_TYPES))})"
            )
        values[key] = _coerce(key, value, str(path), from_text=False)
    return values


def load_settings(
    config_file: Path, env: Mapping[str, str], flags: Mapping[str, object] | None = None
) -> Settings:
    values = _from_file(config_file)
    for variable, key in _ENV_KEYS.items():
        if raw := env.get(variable):
            values[key] = _coerce(key, raw, variable, from_text=True)
    for key, value in (flags or {}).items():
        if value is not None:
            values[key] = _coerce(key, value, f"--{key.replace('_', '-')}", from_text=True)
    return Settings(**values)
