"""x, y, c and d on marked items: one confirmation, a background delete paced by the one rate gate."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from textual import events

from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.modals import ConfirmBulkDelete
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.screens.main import MainScreen
from tests.conftest import sim_config
from tests.ui.harness import info_text, loaded, main_screen, make_app, notifications, wait_until

# The client's default: at most this many requests are on their way at once.
MAX_CONCURRENCY = 4

RENDERS = "/v3/hyperframes/renders/"


def deletes(sim: Simulator) -> list[dict[str, Any]]:
    return [entry for entry in sim.state.request_log if entry["method"] == "DELETE"]


def deleted_id(entry: dict[str, Any]) -> str:
    path = str(entry["path"])
    assert path.startswith(RENDERS)
    return path.removeprefix(RENDERS)


async def _mark_every_render(app: HfdashApp, pilot: Any, count: int) -> ResourcePane[Any]:
    renders = await loaded(pilot)
    await pilot.press("M")
    await wait_until(pilot, lambda: len(renders.store) == count and not renders.all_loading, within=20)
    await pilot.press("asterisk")
    assert len(renders.marks) == count
    return renders


async def test_x_with_marks_names_counts_ids_titles_and_the_effect(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("space", "space", "space", "space", "space")
        named = renders.visible_ids[:3]
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmBulkDelete)
        text = str(app.screen.query_one("#confirm-text").render())
        assert text.startswith("Delete 5 renders?")
        for key in named:
            assert key in text
            assert f"'{renders.store.items[key].title}'" in text
        assert "… and 2 more" in text
        assert "soft-deleted" in text
        await pilot.press("n")
        assert isinstance(app.screen, MainScreen)
        assert deletes(sim) == []
        assert len(renders.marks) == 5


async def test_keys_typed_with_x_do_not_answer_the_bulk_confirmation(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("space", "space")
        # Both at once, as one SSH packet brings them: `y` was typed before the dialog was there.
        for key in "xy":
            app.post_message(events.Key(key, key))
        await pilot.pause(0.3)
        assert isinstance(app.screen, ConfirmBulkDelete)
        await pilot.press("escape")
        assert deletes(sim) == []
        assert len(renders.marks) == 2


async def test_bulk_delete_of_200_under_a_429_every_fifth_request(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=200))
    app = make_app(sim, polling=False, page_size=100)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await _mark_every_render(app, pilot, 200)
        marked = set(renders.marks)
        sim.state.faults.add("429", every=5, retry_after=0)
        await pilot.press("x")
        await pilot.pause(0.2)
        await pilot.press("y")
        await wait_until(pilot, lambda: any(m.startswith("deleted ") for m in notifications(app)), within=30)
        assert "deleted 200" in notifications(app)
        assert len(renders.store) == 0
        assert renders.marks == set()
        assert "deleting" not in info_text(renders)
    answered: dict[str, list[int]] = defaultdict(list)
    for entry in deletes(sim):
        answered[deleted_id(entry)].append(entry["status"])
    assert set(answered) == marked
    # Each render deleted exactly once; an attempt answered 429 was repeated, and only those were.
    assert all(statuses[-1] == 200 and statuses.count(200) == 1 for statuses in answered.values())
    assert all(set(statuses[:-1]) <= {429} for statuses in answered.values())
    refused = sum(len(statuses) - 1 for statuses in answered.values())
    assert refused >= 40


async def test_a_429_holds_the_bulk_delete_back_for_its_retry_after(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press(*["space"] * 24)
        # Every delete takes 0.1 s, so without one gate the rest would keep arriving, four at a
        # time, through the second after a 429.
        sim.state.faults.add("slow", every=1, delay=0.1, method="DELETE")
        sim.state.faults.add("429", every=6, retry_after=1, method="DELETE")
        await pilot.press("x")
        await pilot.pause(0.2)
        await pilot.press("y")
        await wait_until(pilot, lambda: any(m.startswith("deleted ") for m in notifications(app)), within=30)
        assert "deleted 24" in notifications(app)
        assert renders.marks == set()
    refusals = [entry for entry in deletes(sim) if entry["status"] == 429]
    assert len(refusals) >= 3
    for refusal in refusals:
        # Only requests sent before the client read the 429 may arrive in the second after it: those
        # in flight, and one per slot freed meanwhile. However late a loaded machine delivers them,
        # they stay within twice the client's concurrency.
        held = [entry for entry in sim.state.request_log if refusal["t"] < entry["t"] < refusal["t"] + 0.95]
        assert len(held) <= 2 * MAX_CONCURRENCY


async def test_escape_stops_a_bulk_delete_and_nothing_more_is_sent(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=200))
    app = make_app(sim, polling=False, page_size=100)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await _mark_every_render(app, pilot, 200)
        # Each delete takes a while, so there is time to stop half-way.
        sim.state.faults.add("slow", every=1, delay=0.05, method="DELETE")
        await pilot.press("x")
        await pilot.pause(0.2)
        await pilot.press("y")
        screen = main_screen(app)
        await wait_until(pilot, lambda: len(deletes(sim)) >= 60)
        assert re.search(r"deleting \d+/200 \(escape stops\)", info_text(renders))
        bulk = screen.actions.bulk
        assert bulk is not None
        await pilot.press("escape")
        finishing = set(bulk.in_flight)
        sent_at_stop = {deleted_id(entry) for entry in deletes(sim)}
        await wait_until(pilot, lambda: any(m.startswith("deleted ") for m in notifications(app)))
        await pilot.pause(0.5)
        sent = [deleted_id(entry) for entry in deletes(sim)]
        assert set(sent) <= sent_at_stop | finishing
        assert len(sent) == len(set(sent)) < 200
        left = 200 - len(sent)
        summary = next(m for m in notifications(app) if m.startswith("deleted "))
        assert summary == f"deleted {len(sent)}, stopped, {left} not sent"
        # What was not sent stays, still marked.
        assert len(renders.store) == left
        assert renders.marks == set(renders.store.items)
        assert f"{left} marked" in info_text(renders)


async def test_failed_and_already_gone_items_are_told_apart(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("space", "space", "space")
        first, second, third = renders.visible_ids[:3]
        await pilot.press("x")
        sim.state.delete("render", second)
        sim.state.faults.add("403", count=1, path_prefix=RENDERS + third)
        await pilot.pause(0.2)
        await pilot.press("y")
        await wait_until(pilot, lambda: any(m.startswith("deleted ") for m in notifications(app)))
        summary = next(m for m in notifications(app) if m.startswith("deleted "))
        assert summary.startswith("deleted 1, already gone 1, failed 1: ")
        assert first not in renders.store.items and second not in renders.store.items
        assert third in renders.visible_ids
        assert renders.marks == {third}


async def test_y_and_c_copy_the_marked_ids_or_fresh_urls_one_per_line(sim: Simulator) -> None:
    for _ in range(2):
        sim.state.add_render(title="has a file", status="completed")
    failed = sim.state.add_render(title="no file", status="failed")["render_id"]
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("space", "space", "space")
        first, second, third = renders.visible_ids[:3]
        assert first == failed
        await pilot.press("y")
        assert app.clipboard == f"{first}\n{second}\n{third}"
        assert "copied 3 ids, one per line" in notifications(app)
        await pilot.press("c")
        await wait_until(pilot, lambda: app.clipboard.count("\n") == 1)
        urls = app.clipboard.split("\n")
        assert all(url.startswith(sim.url + "/files/") for url in urls)
        assert any("had none" in m and "copied 2 fresh video URLs" in m for m in notifications(app))


async def test_d_downloads_every_marked_item_with_a_file_and_counts_those_without(sim: Simulator) -> None:
    for _ in range(2):
        sim.state.add_render(title="has a file", status="completed")
    sim.state.add_render(title="no file", status="failed")
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("space", "space", "space")
        await pilot.press("d")
        downloads = main_screen(app).actions.downloads
        targets = {status.target.item_id for status in downloads.statuses()}
        assert targets == set(renders.visible_ids[1:3])
        assert any(m.startswith("downloading 2") and "1 had no file" in m for m in notifications(app))


async def test_x_on_marked_clip_jobs_names_their_kind_and_sessions_cannot_be_deleted(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("2")
        clips = await loaded(pilot, "clips")
        await pilot.press("space", "space", "x")
        assert isinstance(app.screen, ConfirmBulkDelete)
        text = str(app.screen.query_one("#confirm-text").render())
        assert text.startswith("Delete 2 AI Clipping jobs?")
        assert "The job and all its clips are soft-deleted." in text
        await pilot.press("escape")
        assert len(clips.marks) == 2
        await pilot.press("3")
        await loaded(pilot, "agents")
        await pilot.press("space", "x")
        assert isinstance(app.screen, MainScreen)
        assert "the API offers no delete for these items" in notifications(app)
        assert deletes(sim) == []
