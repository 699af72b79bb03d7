"""Delete, copy, re-fetch and detail on the highlighted row, against the loopback simulator."""

from __future__ import annotations

import time
from typing import Any

from textual.containers import VerticalScroll
from textual.pilot import Pilot

from hfdash.models import ClipJob, Render
from hfdash.simulator import Simulator
from hfdash.ui.modals import ConfirmDelete, HelpScreen
from hfdash.ui.screens.detail import DetailScreen
from hfdash.ui.screens.main import MainScreen
from tests.conftest import sim_config
from tests.ui.harness import loaded, main_screen, make_app, notifications, told, wait_until


def _deletes(sim: Simulator) -> list[str]:
    return [entry["path"] for entry in sim.state.request_log if entry["method"] == "DELETE"]


async def test_delete_confirmed_removes_the_row_only_after_the_api_confirms(sim: Simulator) -> None:
    target = sim.state.add_render(title="to delete", status="completed")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        assert renders.highlighted_id() == target
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDelete)
        text = str(app.screen.query_one("#confirm-text").render())
        assert target in text
        assert "to delete" in text
        assert "soft-deleted" in text
        await pilot.press("y")
        await wait_until(pilot, lambda: target not in renders.visible_ids)
        assert _deletes(sim) == [f"/v3/hyperframes/renders/{target}"]
        assert sim.state.list_page("render", {"limit": "100"})["data"][0]["render_id"] != target


async def test_delete_cancelled_with_n_or_escape_sends_nothing(sim: Simulator) -> None:
    target = sim.state.add_render(title="keep me", status="completed")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("x")
        await pilot.press("n")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert isinstance(app.screen, MainScreen)
        assert target in renders.visible_ids
        assert _deletes(sim) == []


async def test_delete_of_an_item_already_gone_removes_the_row_and_says_so(sim: Simulator) -> None:
    target = sim.state.add_render(title="gone elsewhere", status="completed")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("x")
        sim.state.delete("render", target)
        await pilot.press("y")
        await wait_until(pilot, lambda: target not in renders.visible_ids)
        await wait_until(pilot, lambda: any("already gone" in m for m in notifications(app)))


async def test_delete_that_fails_keeps_the_row_and_shows_the_error(sim: Simulator) -> None:
    target = sim.state.add_render(title="stubborn", status="completed")["render_id"]
    sim.state.faults.add("403", count=1, method="DELETE")
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("x", "y")
        await wait_until(pilot, lambda: any(n.severity == "error" for n in told(app)))
        assert target in renders.visible_ids
        assert target in renders.store.items


async def test_delete_hits_the_item_named_in_the_confirmation_even_if_rows_move(sim: Simulator) -> None:
    target = sim.state.add_render(title="named one", status="completed")["render_id"]
    app = make_app(sim, head_interval=1.0)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        await pilot.press("x")
        # New renders arrive on top while the confirmation is open; the table reorders under it.
        newcomer = sim.state.add_render(title="newcomer", status="queued")["render_id"]
        await wait_until(pilot, lambda: newcomer in renders.visible_ids, within=6.0)
        assert renders.visible_ids[0] == newcomer
        await pilot.press("y")
        await wait_until(pilot, lambda: target not in renders.visible_ids)
        assert _deletes(sim) == [f"/v3/hyperframes/renders/{target}"]
        assert newcomer in renders.visible_ids


async def test_deleting_a_session_video_says_it_is_permanent(sim: Simulator) -> None:
    session = sim.state.add_session(title="with a video", status="completed")["session_id"]
    video = sim.state.add_video(session, title="final cut", status="completed")["id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "agents")
        await pilot.press("3")
        agents = main_screen(app).pane
        await wait_until(pilot, lambda: agents.highlighted_id() == session)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        detail = app.screen
        await wait_until(pilot, lambda: video in [child.id for child in detail.children_items])
        for _ in range([child.id for child in detail.children_items].index(video)):
            await pilot.press("down")
        others = [child.id for child in detail.children_items if child.id != video]
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDelete)
        assert "PERMANENTLY" in str(app.screen.query_one("#confirm-text").render())
        await pilot.press("y")
        await wait_until(pilot, lambda: video not in [child.id for child in detail.children_items])
        assert [child.id for child in detail.children_items] == others
        assert _deletes(sim) == [f"/v3/videos/{video}"]


async def test_copy_url_puts_a_fresh_url_on_the_clipboard_and_y_copies_the_id(sim: Simulator) -> None:
    target = sim.state.add_render(title="finished", status="completed")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        gets_before = len([e for e in sim.state.request_log if e["path"].endswith(target)])
        await pilot.press("c")
        await wait_until(pilot, lambda: app.clipboard.startswith(sim.url + "/files/"))
        assert "X-Amz-Signature=" in app.clipboard
        gets_after = len([e for e in sim.state.request_log if e["path"].endswith(target)])
        assert gets_after == gets_before + 1
        # The toast names the file without the signed query string.
        await wait_until(pilot, lambda: any("copied a fresh video URL" in m for m in notifications(app)))
        assert not any("X-Amz-Signature" in m for m in notifications(app))
        await pilot.press("y")
        assert app.clipboard == target


async def test_u_refetches_the_item_by_id(sim: Simulator) -> None:
    target = sim.state.add_render(title="refresh me", status="completed")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        before = renders.store.items[target]
        assert isinstance(before, Render)
        await pilot.press("u")
        await wait_until(pilot, lambda: any("URLs are fresh" in m for m in notifications(app)))
        assert any(e["path"] == f"/v3/hyperframes/renders/{target}" for e in sim.state.request_log)


async def test_u_on_a_failed_render_says_it_has_no_file_url(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=0))
    target = sim.state.add_render(title="broken", status="failed", failure_message="out of credits")[
        "render_id"
    ]
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: any(m.startswith(f"re-read {target}") for m in notifications(app)))
        assert f"re-read {target}: failed, no file URL" in notifications(app)


async def test_detail_of_a_failed_render_leads_with_its_failure(sim: Simulator) -> None:
    sim.state.add_render(title="broken", status="failed", failure_message="Composition failed to load")
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        text = app.screen.query_one("#detail-text").render()
        assert str(text).startswith("FAILED Composition failed to load")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_j_and_k_scroll_a_render_detail_taller_than_the_screen(sim: Simulator) -> None:
    sim.state.add_render(title="broken", status="failed", failure_message="a long reason " * 200)
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 12)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        fields = app.screen.query_one("#detail-scroll", VerticalScroll)
        await pilot.press("j", "j", "j")
        await wait_until(pilot, lambda: fields.scroll_y == 3)
        await pilot.press("k")
        await wait_until(pilot, lambda: fields.scroll_y == 2)


async def test_a_render_detail_follows_the_render_and_r_reads_it_again(sim: Simulator) -> None:
    target = sim.state.add_render(title="live", status="rendering")["render_id"]
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)

        def shown() -> str:
            return str(app.screen.query_one("#detail-text").render())

        sim.state.set_status("render", target, "completed")
        await wait_until(pilot, lambda: "completed" in shown())
        before = len(sim.state.request_log)
        await pilot.press("r")
        await wait_until(pilot, lambda: any(m == f"reloaded {target}" for m in notifications(app)))
        assert any(e["path"] == f"/v3/hyperframes/renders/{target}" for e in sim.state.request_log[before:])


async def test_an_item_deleted_elsewhere_leaves_the_list_when_read_again(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=0))
    ghosts = [sim.state.add_render(title=f"ghost {n}", status="completed") for n in range(2)]
    first, second = (ghost["render_id"] for ghost in ghosts)
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = await loaded(pilot)
        assert set(renders.visible_ids) == {first, second}
        sim.state.delete("render", first)
        sim.state.delete("render", second)
        # `u` on the dashboard: the row under the cursor goes.
        gone = renders.visible_ids[0]
        await pilot.press("u")
        await wait_until(pilot, lambda: gone not in renders.visible_ids)
        assert f"render {gone} is gone (deleted elsewhere); removed from the list" in notifications(app)
        # `r` in the detail: the detail closes and the row goes too.
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and not renders.visible_ids)


async def _open_a_clip_job_with_clips(pilot: Pilot[Any]) -> tuple[ClipJob, DetailScreen]:
    """The detail of the first clip job that has clips, once its clips are listed."""
    clips = await loaded(pilot, "clips")
    await pilot.press("2")
    job = next(item for item in clips.store.items.values() if item.clips)
    await pilot.pause(0.1)
    while clips.highlighted_id() != job.id:
        await pilot.press("down")
    await pilot.press("enter")
    detail = pilot.app.screen
    assert isinstance(detail, DetailScreen)
    await wait_until(pilot, lambda: len(detail.children_items) == len(job.clips))
    return job, detail


async def test_detail_of_a_clip_job_lists_its_clips(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        job, detail = await _open_a_clip_job_with_clips(pilot)
        assert [clip.id for clip in detail.children_items] == [clip.id for clip in job.clips]


async def test_u_on_a_clip_whose_job_answers_404_says_so_and_keeps_the_detail(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        job, detail = await _open_a_clip_job_with_clips(pilot)
        sim.state.faults.add("404", count=1, path_prefix=f"/v3/ai-clipping/{job.id}", method="GET")
        await pilot.press("u")
        await wait_until(pilot, lambda: any("could not re-read" in n.title for n in told(app)))
        assert app.is_running and app.screen is detail


async def test_a_session_detail_offers_no_delete_of_the_session(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "agents")
        await pilot.press("3", "enter")
        assert isinstance(app.screen, DetailScreen)
        detail = app.screen
        await wait_until(pilot, lambda: bool(detail.children_items))
        # On a video the key deletes the video; on the session itself the API has no delete.
        assert "x" in detail.active_bindings
        await pilot.press("tab")
        await wait_until(pilot, lambda: "x" not in detail.active_bindings)
        await pilot.press("x")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DetailScreen)
        assert not any("offers no delete" in message for message in notifications(app))


async def test_help_lists_every_dashboard_binding(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("Static").render())
        for description in ("Delete", "Copy URL", "Filter", "Sort", "Search", "Pause", "Quit", "More"):
            assert description in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_command_palette_offers_the_dashboard_actions(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for expected in ("Delete", "Copy URL", "Refresh", "More", "Pause"):
            assert expected in titles


def test_a_failed_session_leads_its_detail_with_its_error_message() -> None:
    from hfdash.models.agents import parse_session
    from hfdash.ui.format import detail_text

    session = parse_session(
        {
            "session_id": "s1",
            "status": "failed",
            "created_at": 1,
            "messages": [
                {"role": "model", "content": "Video generation failed: timed out.", "type": "error"},
                {"role": "user", "content": "Make a video", "type": "text"},
            ],
        }
    )
    assert detail_text(session, time.time()).plain.startswith("FAILED Video generation failed: timed out.")
