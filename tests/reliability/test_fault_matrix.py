"""The fault matrix of docs/reliability.md: each fault against the real app, and what the user sees.

Every test drives the dashboard through Pilot against the loopback simulator with a fault
injected, and asserts on the pane's info line, the status line, toasts and the simulator's
request log (how many requests, and when).
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any

import pytest

from hfdash.__main__ import make_app as make_hfdash_app
from hfdash.api.client import HeyGenClient
from hfdash.api.retry import RetryPolicy
from hfdash.config.credentials import Credential, Secret
from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.screens.detail import DetailScreen
from tests.clock import FrozenClock
from tests.conftest import FROZEN_NOW, TEST_KEY, sim_config
from tests.reliability.common import RENDERS, api_log, connection_ok, count, status_text
from tests.ui.harness import (
    TEST_SETTINGS,
    cell_text,
    info_text,
    loaded,
    main_screen,
    make_app,
    notifications,
    pane,
    recording,
    told,
    wait_until,
)

SIZE = (140, 40)
# The status line during an outage: which state, and in how many seconds the next try is.
WAITING = re.compile(r"(offline|retrying) \d+s")


def app_at(url: str, *, timeout: float = 20.0, **settings: Any) -> HfdashApp:
    credential = Credential(kind="api_key", source="HEYGEN_API_KEY", api_key=Secret(TEST_KEY))
    client = HeyGenClient(
        credential, base_url=url, timeout=timeout, retry=RetryPolicy(max_retries=2, base=0.05, cap=0.2)
    )
    return recording(
        make_hfdash_app(
            client,
            replace(TEST_SETTINGS, **settings),
            clock=FrozenClock(FROZEN_NOW),
            host_label="api.heygen.test",
        )
    )


# -- 401, 403, 404 -----------------------------------------------------------------------------------


async def test_a_key_revoked_mid_session_shows_one_banner_and_stops_every_request(sim: Simulator) -> None:
    sim.state.add_render(title="in flight", status="rendering")
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await loaded(pilot, "clips")
        agents = await loaded(pilot, "agents")
        # The sessions are then read one by one: those answers must not count as after the revoke.
        await wait_until(pilot, lambda: all(hasattr(item, "status") for item in agents.store.items.values()))
        before = len(sim.state.request_log)
        sim.state.faults.add("401", rate=1.0)
        await wait_until(pilot, lambda: any(n.title == "Not signed in" for n in told(app)))
        await pilot.pause(3.0)
        after = api_log(sim, before)
        # A request answered just before the revoke can be logged just after it: count from the
        # first refusal. Only requests already on the wire meet the 401: at most the client's four
        # slots when the key was revoked, and four more sent before the first 401 came back on a
        # loaded machine. Nothing queued behind it is sent, and nothing is retried: a storm would
        # be dozens.
        first = next(index for index, entry in enumerate(after) if entry["status"] == 401)
        refused = after[first:]
        assert 1 <= len(refused) <= 8, [entry["path"] for entry in refused]
        assert all(entry["status"] == 401 for entry in refused)
        banners = [n for n in told(app) if n.title == "Not signed in"]
        assert len(banners) == 1
        assert "p to resume" in banners[0].message
        assert TEST_KEY not in banners[0].message
        assert not main_screen(app).polling
        status = status_text(app)
        assert "auth failed" in status and "polling PAUSED" in status


async def test_403_on_a_list_shows_in_the_pane_keeps_the_rows_and_backs_off(sim: Simulator) -> None:
    app = make_app(sim, head_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        rows = list(renders.visible_ids)
        before = len(sim.state.request_log)
        sim.state.faults.add("403", rate=1.0, path_prefix=RENDERS, method="GET")
        await wait_until(pilot, lambda: renders.error is not None)
        assert "HTTP 403" in info_text(renders)
        await pilot.pause(4.0)
        # Head refreshes every second while healthy; failing, they wait 1 s, 2 s, 4 s...
        assert count(sim, RENDERS, before) <= 4
        assert renders.visible_ids == rows
        assert "auth failed" not in status_text(app)
        assert main_screen(app).polling


async def test_404_on_get_or_delete_removes_the_row_until_its_page_says_otherwise(sim: Simulator) -> None:
    # The render still exists behind the injected 404s: reading its page brings it back.
    app = make_app(sim, polling=False)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        target = renders.visible_ids[0]
        sim.state.faults.add("404", count=1, path_prefix=f"{RENDERS}/{target}", method="GET")
        await pilot.press("u")
        await wait_until(pilot, lambda: target not in renders.visible_ids)
        assert f"render {target} is gone (deleted elsewhere); removed from the list" in notifications(app)
        await pilot.press("r")
        await wait_until(pilot, lambda: target in renders.visible_ids)
        await pilot.press("home")
        sim.state.faults.add("404", count=1, path_prefix=f"{RENDERS}/{target}", method="DELETE")
        await pilot.press("x")
        await pilot.press("y")
        await wait_until(pilot, lambda: target not in renders.visible_ids)
        assert any("already gone" in message for message in notifications(app))


async def test_404_while_polling_a_clip_job_removes_its_row(sim: Simulator) -> None:
    job = sim.state.add_clip_job(title="running job", status="running")
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        clips = await loaded(pilot, "clips")
        assert job["id"] in clips.visible_ids
        sim.state.delete("clip_job", job["id"])
        await wait_until(pilot, lambda: job["id"] not in clips.visible_ids)
        assert clips.error is None


# -- 429 -------------------------------------------------------------------------------------------


async def test_a_429_storm_holds_every_request_until_retry_after_and_counts_down(sim: Simulator) -> None:
    sim.state.add_render(title="in flight", status="rendering")
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await loaded(pilot, "agents")
        await pilot.pause(0.5)
        sim.state.faults.add("429", count=3, retry_after=2)
        seen: list[str] = []

        def over() -> bool:
            seen.append(status_text(app))
            limits = sum(1 for e in sim.state.request_log if e["status"] == 429)
            return limits == 3 and "rate limited" not in seen[-1]

        await wait_until(pilot, over, within=15.0)
        log = sim.state.request_log
        limits = [entry["t"] for entry in log if entry["status"] == 429]
        assert len(limits) == 3
        for limited_at in limits:
            # Requests already on the wire when the 429 came back may land just after it; no other
            # request leaves before Retry-After has elapsed.
            early = [e for e in log if limited_at + 0.3 <= e["t"] < limited_at + 2.0]
            assert not early, early
        countdown = [int(m.group(1)) for text in seen if (m := re.search(r"rate limited (\d+)s", text))]
        assert countdown and max(countdown) == 2 and 1 in countdown
        assert connection_ok(app)


async def test_the_status_line_shows_a_change_of_connection_at_once(sim: Simulator) -> None:
    # No polling: no request of the app's own ends meanwhile and sets the connection back to ok.
    app = make_app(sim, polling=False)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await loaded(pilot, "agents")
        await pilot.pause(0.3)
        assert connection_ok(app)
        assert app.dashboard is not None
        # Between two of the status line's one-second ticks: only the change itself can show it.
        app.dashboard.client._set_state("rate_limited", "rate limited; waiting 5.0 s", time.monotonic() + 5.0)
        await pilot.pause()
        assert re.search(r"rate limited [45]s", status_text(app)), status_text(app)
        app.dashboard.client._set_state("offline", "cannot connect")
        await pilot.pause()
        assert "offline" in status_text(app)


# -- 5xx, timeouts, bodies that are not JSON ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["500", "502", "503"])
async def test_5xx_bursts_are_retried_then_shown_then_recovered_from(sim: Simulator, kind: str) -> None:
    app = make_app(sim, head_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        rows = list(renders.visible_ids)
        # A short burst is absorbed by the client's retries: no error reaches the user.
        before = len(sim.state.request_log)
        sim.state.faults.add(kind, count=2, path_prefix=RENDERS)

        def retried() -> bool:
            statuses = [e["status"] for e in api_log(sim, before) if e["path"] == RENDERS]
            return statuses[:3] == [int(kind), int(kind), 200]

        await wait_until(pilot, retried)
        assert renders.error is None
        # An outage exhausts them: the pane says so, the status line says offline and when the
        # next try is, and everything recovers by itself once the server does.
        sim.state.faults.add(kind, rate=1.0, path_prefix="/v3/")
        await wait_until(pilot, lambda: renders.error is not None)
        assert f"HTTP {kind}" in info_text(renders)
        assert "<" not in info_text(renders), "an HTML error page is summarised, not shown"
        await wait_until(pilot, lambda: WAITING.search(status_text(app)) is not None)
        sim.state.faults.clear()
        await wait_until(pilot, lambda: renders.error is None and connection_ok(app), within=10.0)
        assert renders.visible_ids == rows


async def test_timeouts_show_offline_then_recover(sim: Simulator) -> None:
    app = app_at(sim.url, timeout=0.4, head_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        sim.state.faults.add("slow", rate=1.0, delay=0.8, path_prefix="/v3/")
        await wait_until(pilot, lambda: renders.error is not None, within=10.0)
        assert "did not answer within 0.4 s" in info_text(renders)
        await wait_until(pilot, lambda: WAITING.search(status_text(app)) is not None)
        sim.state.faults.clear()
        await wait_until(pilot, lambda: renders.error is None and connection_ok(app), within=10.0)
        assert len(renders.visible_ids) == 10


async def test_html_truncated_and_mislabelled_bodies_are_named_and_the_rows_kept(sim: Simulator) -> None:
    app = make_app(sim, head_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        rows = list(renders.visible_ids)
        expected = {
            "malformed": "is not valid JSON",
            "truncated": "is not valid JSON (it may have been cut off)",
            "wrong_content_type": "expected JSON, got text/html",
        }
        for kind, message in expected.items():
            # Every answer bad: a broken JSON body is read again first, then shown.
            sim.state.faults.add(kind, rate=1.0, path_prefix=RENDERS)
            await wait_until(pilot, lambda: renders.error is not None)
            assert message in info_text(renders), kind
            assert "<html" not in info_text(renders).lower()
            assert renders.visible_ids == rows
            sim.state.faults.clear()
            await wait_until(pilot, lambda: renders.error is None, within=6.0)


async def test_one_cut_off_answer_is_read_again_and_never_shown(sim: Simulator) -> None:
    app = make_app(sim, head_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        before = len(sim.state.request_log)
        sim.state.faults.add("truncated", count=1, path_prefix=RENDERS)
        shown: list[str | None] = []

        def read_again() -> bool:
            shown.append(renders.error)
            after = api_log(sim, before)
            cut = [index for index, entry in enumerate(after) if entry.get("fault") == "truncated"]
            return bool(cut) and any(entry["path"] == RENDERS for entry in after[cut[0] + 1 :])

        await wait_until(pilot, read_again)
        await pilot.pause(0.3)
        assert all(error is None for error in [*shown, renders.error]), shown


# -- big and drifting data -------------------------------------------------------------------------


async def test_a_page_of_100_items_with_100_kb_titles_loads_and_stays_responsive(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=0))
    huge = "Ünïcødé title that never ends. " * 3300  # just over 100 KB each
    for index in range(100):
        sim.state.add_render(title=f"{index:03d} {huge}", status="completed")
    app = make_app(sim, page_size=100)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        assert len(renders.visible_ids) == 100
        title = cell_text(renders.table, renders.visible_ids[0], "title")
        # Bounded, whatever the title: the column is as wide as the terminal allows, never wider.
        assert len(title) <= 200 and title.endswith("…")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("escape")
        await pilot.press("end")
        await wait_until(pilot, lambda: renders.table.cursor_row == 99, within=3.0)


async def test_schema_drift_is_shown_not_fatal(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=3))
    sim.state.add_render(title=None, fps=None, resolution=None, status="completed")
    sim.state.faults.add("drift", rate=1.0, path_prefix=RENDERS)
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        assert renders.error is None
        table = renders.table
        statuses = {cell_text(table, key, "status") for key in renders.visible_ids}
        # Unknown status values are kept and shown as such; numbers sent as strings still parse.
        assert statuses == {"? unknown (archived_v2)"}
        item = renders.store.items[renders.visible_ids[0]]
        assert isinstance(item.duration, float) and isinstance(item.created_at, int)
        assert "(untitled)" in {cell_text(table, key, "title") for key in renders.visible_ids}
        assert "—" in {cell_text(table, key, "fps") for key in renders.visible_ids}
        # A required field that turns null fails that response, naming the field; the rows stay.
        rows = list(renders.visible_ids)
        sim.state.faults.clear()
        sim.state.add_render(title="broken", format=None, status="completed")
        await pilot.press("r")
        await wait_until(pilot, lambda: renders.error is not None)
        assert "data[0].format: expected a string, got null" in info_text(renders)
        assert renders.visible_ids == rows


# -- pagination that lies ----------------------------------------------------------------------------


async def test_an_empty_page_claiming_more_keeps_the_rows(sim: Simulator) -> None:
    app = make_app(sim, head_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        rows = list(renders.visible_ids)
        before = len(sim.state.request_log)
        sim.state.faults.add("has_more_empty", count=1, path_prefix=RENDERS)
        sizes: list[int] = []

        def refreshed_twice() -> bool:
            sizes.append(len(renders.visible_ids))
            return count(sim, RENDERS, before) >= 2

        await wait_until(pilot, refreshed_twice, within=5.0)
        assert set(sizes) == {len(rows)}, "no row vanished, not even for a moment"
        assert renders.visible_ids == rows


async def test_a_first_page_claiming_more_without_a_cursor_offers_no_more(sim: Simulator) -> None:
    sim.state.faults.add("no_token", count=1, path_prefix=RENDERS)
    app = make_app(sim, polling=False)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        before = len(sim.state.request_log)
        assert "10 loaded" in info_text(renders)
        assert "more available" not in info_text(renders)
        await pilot.press("m")
        await pilot.pause(0.3)
        assert count(sim, RENDERS, before) == 0
        assert len(renders.visible_ids) == 10


async def test_loading_every_page_stops_when_pages_come_back_empty_forever(sim: Simulator) -> None:
    # Polling off, so every list request in the log is a page load, none a poll.
    app = make_app(sim, polling=False)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        before = len(sim.state.request_log)
        sim.state.faults.add("has_more_empty", rate=1.0, path_prefix=RENDERS)
        await pilot.press("M")
        await wait_until(pilot, lambda: renders.error is not None and not renders.all_loading)
        assert "repeated a cursor" in info_text(renders)
        # 25 renders: a pass over their pages, then one request that revisits a cursor.
        assert count(sim, RENDERS, before) <= 6
        assert len(renders.visible_ids) == 10


async def test_a_repeated_next_token_stops_loading_more(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        before = len(sim.state.request_log)
        # Paused, so every list request in the log is a page load, none a poll.
        await pilot.press("p")
        sim.state.faults.add("repeat_token", rate=1.0, path_prefix=RENDERS)
        await pilot.press("M")
        await wait_until(pilot, lambda: renders.error is not None and not renders.all_loading)
        assert "repeated a cursor" in info_text(renders)
        loading = count(sim, RENDERS, before)
        await pilot.pause(1.0)
        assert loading <= 2 and count(sim, RENDERS, before) == loading
        assert not renders.store.has_more
        assert pane(app, "renders").store.loaded
