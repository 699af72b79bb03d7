"""A terminal that hangs up without a SIGHUP (an SSH connection that died) ends hfdash, cleanly."""

from __future__ import annotations

import os

from hfdash.simulator import Simulator
from tests.conftest import TEST_KEY
from tests.ui.terminal import START_WITHIN, Terminal


def test_a_hung_up_terminal_ends_the_dashboard_and_keeps_what_it_loaded(sim: Simulator) -> None:
    env = {**os.environ, "HEYGEN_API_KEY": TEST_KEY, "HEYGEN_API_URL": sim.url}
    with Terminal(["--page-size", "10"], env) as terminal:
        terminal.wait_for(lambda text: "10 loaded" in text, within=START_WITHIN)
        terminal.hang_up()
        # As a process ended by SIGHUP reports it, instead of spinning on the dead terminal.
        assert terminal.wait_exit(within=10.0) == 129
    # The cache was closed properly: a restart whose network never answers shows the rows.
    sim.state.faults.add("slow", rate=1.0, delay=30.0)
    with Terminal(["--page-size", "10"], env) as terminal:
        terminal.wait_for(lambda text: "10 cached · syncing…" in text, within=START_WITHIN)
