"""The README's first commands and its key table stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding, BindingType
from textual.widgets import Input

from hfdash.ui.modals import key_label
from hfdash.ui.screens.detail import DetailScreen
from hfdash.ui.screens.downloads import DownloadsScreen
from hfdash.ui.screens.failures import FailuresScreen
from hfdash.ui.screens.main import MainScreen
from hfdash.ui.widgets.virtual_table import VirtualTable

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")


def _commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert block is not None, "the README opens with a sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_opens_with_the_two_newcomer_commands() -> None:
    assert README.index("```sh") < README.index("\n## "), "the commands come before any section"
    demo, tests = _commands()
    assert "pip install" in demo and demo.endswith("hfdash --demo")
    assert "pip install" in tests and "'.[test]'" in tests and tests.endswith("python -m tests")


def test_ci_runs_the_readmes_second_command() -> None:
    assert "sed -n 2p" in CI
    assert "README.md" in CI


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in README.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows.append((cells[0], cells[1], cells[2]))
    return rows


def _described(bindings: list[BindingType]) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding) and b.description]


@pytest.mark.parametrize(
    ("screen", "where"),
    [
        (MainScreen, "dashboard"),
        (DetailScreen, "detail"),
        (DownloadsScreen, "downloads"),
        (FailuresScreen, "failures"),
        (VirtualTable, "every table"),
    ],
)
def test_every_binding_is_in_the_key_table(screen: type[object], where: str) -> None:
    bindings = _described(screen.BINDINGS)  # type: ignore[attr-defined]
    rows = [row for row in _rows() if where in row[1]]
    for binding in bindings:
        keys = [f"`{key}`" for key in key_label(binding.key).split(", ")]
        matching = [row for row in rows if all(key in row[0] for key in keys)]
        assert matching, f"{where}: no row for {keys}"
        assert any(binding.description.casefold() in row[2].casefold() for row in matching), (
            f"{where}: the row for {keys} does not say {binding.description!r}"
        )


def test_the_key_table_lists_no_key_that_does_not_exist() -> None:
    every = {
        key.strip("`")
        for screen in (MainScreen, DetailScreen, DownloadsScreen, FailuresScreen, VirtualTable)
        for binding in _described(screen.BINDINGS)
        for key in key_label(binding.key).split(", ")
    } | {"ctrl+p", *_filter_keys()}
    for keys, _where, _what in _rows():
        for key in re.findall(r"`([^`]+)`", keys):
            assert key in every, f"the README lists {key!r}, which no screen binds"


def _filter_keys() -> set[str]:
    """The keys Textual's Input binds: the filter box is one."""
    return {key.strip() for binding in _described(Input.BINDINGS) for key in binding.key.split(",")}


def test_the_key_table_names_the_filter_box_keys_users_reach_for() -> None:
    listed = " ".join(keys for keys, where, _what in _rows() if where == "filter box")
    for key in ("enter", "backspace", "ctrl+u", "ctrl+k", "ctrl+w", "home", "end", "ctrl+left", "ctrl+right"):
        assert key in _filter_keys(), f"Input no longer binds {key!r}"
        assert f"`{key}`" in listed, f"the filter box's {key!r} is not in the key table"
