"""The command line as a user runs it: a real process, real output, real exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hfdash import __version__


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hfdash", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"hfdash {__version__}"


def test_help_names_the_settings_file() -> None:
    result = _run("--help")
    assert result.returncode == 0
    assert str(Path(os.environ["HFDASH_CONFIG_DIR"]) / "config.toml") in result.stdout
    assert "--demo" in result.stdout
    assert "--api-key" not in result.stdout


def test_a_bad_settings_file_is_a_clear_message_not_a_traceback() -> None:
    config = Path(os.environ["HFDASH_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "config.toml").write_text("page_size = 1000\n", encoding="utf-8")
    result = _run()
    assert result.returncode == 2
    assert "config.toml: page_size must be a whole number from 1 to 100" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_log_file_that_cannot_be_written_is_a_clear_message_not_a_traceback(tmp_path: Path) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    result = _run("--demo", "--log", str(blocked / "hfdash.log"))
    assert result.returncode == 2
    assert f"cannot write the log file {blocked / 'hfdash.log'}: " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_credentials_file_names_the_file_and_never_prints_the_key() -> None:
    heygen = Path(os.environ["HEYGEN_CONFIG_DIR"])
    heygen.mkdir(parents=True)
    (heygen / "credentials").write_text('{"api_key": "sk_secret_value_123", "oauth": "x"', encoding="utf-8")
    result = _run()
    assert result.returncode == 2
    assert "credentials" in result.stderr
    assert "sk_secret_value_123" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_sim_prints_its_url_and_key_first() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "hfdash", "sim", "--port", "0", "--api-key", "k_cli_test", "--renders", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        second = process.stdout.readline().strip()
        assert first.startswith("HEYGEN_API_URL=http://127.0.0.1:")
        assert second == "HEYGEN_API_KEY=k_cli_test"
    finally:
        process.terminate()
        process.wait(timeout=10)
