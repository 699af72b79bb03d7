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

While the user types, full collections wait: with a hundred thousand rows loaded, each took
50 to 150 ms, and at a keystroke's pace of allocation one landed every few seconds, on a key.
They are held from a key or mouse event until the input has been quiet for a moment (and
never longer than a minute in a row); the young generations are collected as usual meanwhile.
"""

from __future__ import annotations

import gc

_paused_for_start = False
# When the collector was last held for input, or None when it is not held.
_held_since: float | None = None

# The full collections' threshold before input held them.
_full_threshold = 10
# A full collection runs after this many collections of the middle generation: as good as never.
_HELD_THRESHOLD = 1 << 30

# Seconds of quiet input after which held full collections may run again.
INPUT_QUIET = 1.0
# The longest full collections are held in a row, in seconds.
LONGEST_HOLD = 60.0


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


def hold_for_input(now: float) -> bool:
    """Holds full collections for input arriving at `now` (monotonic seconds); returns whether they are.

    Young generations are still collected as usual: most garbage in cycles dies young, and
    their collections cost little. Nothing is held while start has collections paused or
    someone else turned them off. After `LONGEST_HOLD` seconds held, full collections are let
    go for the one input that finds it so; the next one holds them again.
    """
    global _held_since, _full_threshold
    if _held_since is None:
        if not gc.isenabled():
            return False
        young, middle, _full_threshold = gc.get_threshold()
        gc.set_threshold(young, middle, _HELD_THRESHOLD)
        _held_since = now
        return True
    if now - _held_since > LONGEST_HOLD:
        release_after_input()
        return False
    return True


def release_after_input() -> None:
    """Lets full collections run again if `hold_for_input` held them; safe to call any number of times."""
    global _held_since
    if _held_since is not None:
        _held_since = None
        young, middle, _held = gc.get_threshold()
        gc.set_threshold(young, middle, _full_threshold)
