"""Keys go where the user meant them, however fast they come: `hfdash` on a real pseudo-terminal.

Each burst is written in one write, as a paste or one SSH packet delivers it, and checked
through what a user can observe: the screen, and the requests the simulator answered.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

import pytest

from hfdash.simulator import Simulator
from tests.conftest import TEST_KEY
from tests.ui.terminal import START_WITHIN, Terminal

# A row's Created column: the simulator's items are all some time old.
ROW = re.compile(r"\d+ (second|minute|hour|day|month)s? ago")


def _rows_shown(text: str) -> bool:
    """A row of the pane in view is on screen, under the column headings."""
    lines = text.splitlines()
    heading = next((n for n, line in enumerate(lines) if "Status" in line and "Title" in line), None)
    return heading is not None and any(ROW.search(line) for line in lines[heading + 1 :])


def _deletes(sim: Simulator) -> list[str]:
    return [entry["path"] for entry in sim.state.request_log if entry["method"] == "DELETE"]


def _header(text: str) -> str:
    """The table's column headings: which pane is in view."""
    return next((line for line in text.splitlines() if "Status" in line and "Title" in line), "")


def _search(text: str) -> str:
    """The search box's line, under the header: empty until `/` opens it."""
    lines = text.splitlines()
    return lines[1] if len(lines) > 1 else ""


def _info(text: str) -> str:
    """The pane's info line: how many rows are loaded, and any filter."""
    return next((line for line in text.splitlines() if " loaded" in line or "loading" in line), "")


Start = Callable[..., Terminal]


@pytest.fixture
def start(sim: Simulator) -> Iterator[Start]:
    """Starts hfdash against the test simulator; every process started is closed after the test."""
    started: list[Terminal] = []
    # The key reaches hfdash as a user's would: through the environment, never the command line.
    env = {**os.environ, "HEYGEN_API_KEY": TEST_KEY, "HEYGEN_API_URL": sim.url}

    def run(*args: str) -> Terminal:
        terminal = Terminal(["--page-size", "10", *args], env)
        started.append(terminal)
        return terminal

    yield run
    for terminal in started:
        terminal.close()


def test_everything_after_a_slash_in_one_write_goes_into_the_search(sim: Simulator, start: Start) -> None:
    terminal = start()
    terminal.wait_for(_rows_shown, within=START_WITHIN)
    # `p` pauses polling, `x` opens the delete dialog and `y` confirms it, were they not typed.
    terminal.write(b"/proxy")
    terminal.wait_for(lambda text: "proxy" in _search(text) and "text filter" in _info(text))
    text = terminal.settle()
    assert "proxy" in _search(text)
    assert "Delete this" not in text
    assert "paused" not in text
    assert _deletes(sim) == []


def test_keys_after_enter_in_the_same_write_act_on_the_rows(sim: Simulator, start: Start) -> None:
    terminal = start()
    terminal.wait_for(_rows_shown, within=START_WITHIN)
    # `x` would open the delete dialog were it typed into the table; in the search it is text.
    terminal.write(b"/e\rx")
    text = terminal.wait_for(lambda text: "Delete this" in text)
    assert "ex" not in _search(text)
    assert _deletes(sim) == []


def test_keys_typed_before_the_first_frame_are_kept_in_order(sim: Simulator, start: Start) -> None:
    terminal = start()
    # Written before the process has drawn anything: the terminal holds them until it reads.
    terminal.write(b"3/zz")
    terminal.wait_for(lambda text: "zz" in _search(text), within=START_WITHIN)
    text = terminal.settle()
    assert "Progress" in _header(text) and "Clips" not in _header(text) and "FPS" not in _header(text)
    assert "zz" in _search(text) and "3" not in _search(text)


def test_a_pane_asked_for_before_the_first_frame_shows_its_rows(start: Start) -> None:
    terminal = start()
    # The pane in front is built first; this one is built, and loaded, by the key.
    terminal.write(b"2")
    text = terminal.wait_for(lambda text: "Clips" in _header(text) and _rows_shown(text), within=START_WITHIN)
    assert "FPS" not in _header(text)


@pytest.mark.parametrize(
    ("key", "args", "shows"),
    [
        (b"M", (), lambda text: "all 25 loaded" in _info(text)),
        (b"1", ("--pane", "clips"), lambda text: "FPS" in _header(text)),
        (b"2", (), lambda text: "Clips" in _header(text)),
        (b"3", (), lambda text: "Progress" in _header(text) and "Clips" not in _header(text)),
        (b"f", (), lambda text: "filter: in flight" in _info(text)),
    ],
    ids=["M", "1", "2", "3", "f"],
)
def test_a_key_sent_as_the_first_row_appears_does_what_it_says(
    start: Start, key: bytes, args: tuple[str, ...], shows: Callable[[str], bool]
) -> None:
    terminal = start(*args)
    terminal.wait_for(_rows_shown, within=START_WITHIN)
    terminal.write(key)
    text = terminal.wait_for(shows)
    # Typed into nothing: the search box is still closed.
    assert "text filter" not in _info(text)


def test_q_sent_as_the_first_row_appears_quits(start: Start) -> None:
    terminal = start()
    terminal.wait_for(_rows_shown, within=START_WITHIN)
    terminal.write(b"q")
    assert terminal.wait_exit() == 0


def test_a_burst_can_open_the_delete_dialog_but_not_confirm_it(sim: Simulator, start: Start) -> None:
    terminal = start()
    terminal.wait_for(_rows_shown, within=START_WITHIN)
    terminal.write(b"xy")
    terminal.wait_for(lambda text: "Delete this render?" in text)
    text = terminal.settle()
    assert "Delete this render?" in text
    assert _deletes(sim) == []
    # Typed once the dialog is up, `y` does delete: the burst's `y` was dropped, not the key.
    terminal.write(b"y")
    terminal.wait_for(lambda text: "deleted hfr_" in text)
    assert len(_deletes(sim)) == 1


def test_a_burst_can_ask_to_quit_during_a_download_but_not_answer(sim: Simulator, start: Start) -> None:
    # The file is slow to come, so the download is still running when `q` asks.
    sim.state.faults.add("slow", rate=1.0, delay=30.0, path_prefix="/files/")
    terminal = start()
    terminal.wait_for(_rows_shown, within=START_WITHIN)
    terminal.write(b"fff")
    terminal.wait_for(lambda text: "filter: completed" in _info(text))
    terminal.write(b"d")
    terminal.wait_for(lambda text: "downloads: 1 running (D)" in text)
    terminal.write(b"qy")
    terminal.wait_for(lambda text: "still running" in text)
    text = terminal.settle()
    assert "Quit anyway?" in text
    assert terminal.process.poll() is None
    terminal.write(b"y")
    assert terminal.wait_exit() == 0


def test_cursor_keys_sent_as_the_first_row_appears_open_the_row_they_reach(
    sim: Simulator, start: Start
) -> None:
    third = sim.state.list_page("render", {"limit": "10"})["data"][2]["render_id"]
    terminal = start()
    terminal.wait_for(_rows_shown, within=START_WITHIN)
    terminal.write(b"\x1b[B\x1b[B\r")
    # The detail screen names the render in full, where the table cut its id short.
    terminal.wait_for(lambda text: third in text and "render_id" in text)
