"""The status line keeps what a user acts on when the terminal is narrow, and shows a refresh."""

from __future__ import annotations

import re
from dataclasses import replace

from hfdash.simulator import Simulator
from hfdash.ui.screens.main import StatusFacts, StatusLine, describe
from tests.proxy import dead_proxy_url
from tests.reliability.test_fault_matrix import app_at
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


def test_a_connection_that_is_not_ok_says_why_as_plain_text_before_the_rest() -> None:
    offline = replace(
        FACTS,
        connection="offline",
        connection_message="[bold]cannot[/bold] connect to \x1b[31mapi.example.com; retrying in 1.2 s",
    )
    line = describe(offline, 100.0)
    # Server text stays literal: markup is not read, escapes are gone; the countdown is not said twice.
    assert line.plain.startswith(
        "offline 12s: [bold]cannot[/bold] connect to api.example.com · refreshed 10s ago · polling PAUSED"
    )
    narrow = describe(offline, 100.0, 60).plain
    assert narrow == "offline 12s: [bold]cannot[/bold] connect to api.example.com…"
    # A message that only names the state adds nothing; an ok connection has no reason to give.
    # A refused credential is named next to the refusal, before what a narrow line drops.
    refused = replace(FACTS, connection="auth_failed", connection_message="Key revoked. Make a new one.")
    narrow_refusal = "auth failed 12s: Key revoked · refreshed 10s ago · demo key · …"
    assert describe(refused, 100.0, 78).plain == narrow_refusal
    limited = replace(FACTS, connection_message="rate limited; waiting 3.0 s")
    assert describe(limited, 100.0).plain.startswith("rate limited 12s · refreshed")
    recovered = replace(FACTS, connection="ok", connection_message="cannot connect", until=None)
    assert describe(recovered, 100.0).plain.startswith("ok · refreshed 10s ago")


async def test_an_untrusted_certificate_is_named_in_the_status_line(tls_sim: Simulator) -> None:
    app = make_app(tls_sim)
    async with app.run_test(size=(80, 24)) as pilot:
        status = main_screen(app).query_one(StatusLine)
        await wait_until(pilot, lambda: str(status.render()).startswith("offline"))
        line = str(status.render())
        assert line.startswith("offline")
        assert ": the certificate of 127.0.0.1 is not trusted (" in line
        # It fills an 80-column line: what does not fit is cut with an ellipsis, not wrapped.
        assert len(line) <= 78 and line.endswith("…")


async def test_a_port_nobody_listens_on_is_named_in_the_status_line() -> None:
    app = app_at(dead_proxy_url())
    async with app.run_test(size=(120, 24)) as pilot:
        status = main_screen(app).query_one(StatusLine)
        await wait_until(pilot, lambda: str(status.render()).startswith("offline"))
        assert re.match(r"offline( \d+s)?: cannot connect to 127\.0\.0\.1 · ", str(status.render()))


async def test_a_refused_key_is_named_in_the_status_line(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 24)) as pilot:
        await loaded(pilot)
        status = main_screen(app).query_one(StatusLine)
        sim.state.faults.add("401", rate=1.0)
        await pilot.press("r")
        await wait_until(pilot, lambda: str(status.render()).startswith("auth failed"))
        # The server's first sentence, so the rest of the line still fits.
        assert str(status.render()).startswith(
            "auth failed: Invalid or expired API key · refreshed just now · HEYGEN_API_KEY · polling"
        )


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
