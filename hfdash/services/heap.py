"""Keeps Python's cyclic garbage collector from pausing the dashboard over the items it holds.

A full collection walks every object the collector tracks, and Python starts one whenever
the tracked heap has grown by a quarter: with a hundred thousand items loaded, each took over
100 ms and landed wherever it landed, often on a keystroke. Items never form reference cycles
(reference counting alone frees them), so after a bulk load everything alive can be left out
of later collections: those then walk only what was made since.
"""

from __future__ import annotations

import gc


def settle_after_bulk_load() -> None:
    """Collects what garbage there is now, then leaves every survivor out of later collections.

    Survivors that later become garbage are still freed by reference counting; only those in
    a reference cycle would stay, which is why this runs after bulk loads, not after each page.
    """
    gc.collect()
    gc.freeze()
