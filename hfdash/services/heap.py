"""Keeps Python's cyclic garbage collector from pausing the dashboard over the items it holds.

A full collection walks every object the collector tracks, and Python starts one whenever
the tracked heap has grown by a quarter: with a hundred thousand items loaded, each took over
100 ms and landed wherever it landed, often on a keystroke. Items never form reference cycles
(reference counting alone frees them), so after a bulk load everything alive can be left out
of later collections: those then walk only what was made since.

Start is the same case in small: importing Textual, httpx and the dashboard makes objects that
live as long as the process, and the collections they set off (about 50 ms of a start) find
nothing to free. The collector is paused from the first import until the first rows are on
screen, and what start made is then left out of later collections.
"""

from __future__ import annotations

import gc

_paused_for_start = False


def settle_after_bulk_load() -> None:
    """Collects what garbage there is now, then leaves every survivor out of later collections.

    Survivors that later become garbage are still freed by reference counting; only those in
    a reference cycle would stay, which is why this runs after bulk loads, not after each page.
    """
    gc.collect()
    gc.freeze()


def pause_for_start() -> None:
    """Stops automatic collections until `resume_after_start`; a no-op if they are already off."""
    global _paused_for_start
    if gc.isenabled():
        gc.disable()
        _paused_for_start = True


def resume_after_start() -> None:
    """Turns collections back on if `pause_for_start` turned them off; safe to call any number of times.

    No collection runs here: that would put the pause back at the moment the first rows are
    painted. What start left alive is frozen instead, so later collections never walk it.
    """
    global _paused_for_start
    if _paused_for_start:
        _paused_for_start = False
        gc.freeze()
        gc.enable()
