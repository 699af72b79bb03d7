"""The status line keeps what a user acts on when the terminal is narrow, and shows a refresh."""

from __future__ import annotations

from hfdash.simulator import Simulator
from hfdash.ui.widgets.status_line import StatusFacts, StatusLine, describe
from tests.ui.harness import loaded, main_screen, make_app, wait_until

FACTS = StatusFacts(
    host="demo simulator 127.0.0.1:38939",
    credential_source="demo key",
    connection="rate_limited",
    connection_message="",
    until=112.0,
    in_flight={"Renders": 3, "AI Clips": 0, "Video Agent": 2},
    last_refresh=90.0,
    polling=False,
    downloads="downloads: 1 running 11% (D)",
)


def test_a_narrow_line_keeps_the_connection_polling_and_downloads_and_ends_with_an_ellipsis() -> None:
    wide = describe(FACTS, 100.0).plain
    assert wide == (
        "rate limited 12s · refreshed 10s ago · polling PAUSED (p) · downloads: 1 running 11% (D)"
        " · in flight: Renders 3 Video Agent 2 · demo simulator 127.0.0.1:38939 · demo key"
    )
    narrow = describe(FACTS, 100.0, 78).plain
    assert narrow == "rate limited 12s · refreshed 10s ago · polling PAUSED (p) · …"
    assert describe(FACTS, 100.0, 130).plain.endswith("Video Agent 2 · …")
    # Narrower than the first part: it is cut with an ellipsis, never silently.
    assert describe(FACTS, 100.0, 12).plain == "rate limite…"


async def test_r_shows_that_a_refresh_is_running(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        status = main_screen(app).query_one(StatusLine)
        # The other panes' first pages are fetched once the first pane's rows are painted.
        await wait_until(pilot, lambda: "refreshing" not in str(status.render()))
        sim.state.faults.add("slow", count=1, path_prefix="/v3/hyperframes/renders", delay=1.5)
        await pilot.press("r")
        await wait_until(pilot, lambda: "refreshing…" in str(status.render()), within=1.0)
        line = str(status.render())
        assert len(line) <= 78 and line.startswith("ok · refreshing…")
        await wait_until(pilot, lambda: "refreshing" not in str(status.render()), within=6.0)
        assert "refreshed just now" in str(status.render())
