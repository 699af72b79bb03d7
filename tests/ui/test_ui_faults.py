"""What the user sees when the API pushes back: rate limits and a revoked key."""

from __future__ import annotations

from hfdash.simulator import Simulator
from hfdash.ui.screens.main import StatusLine
from tests.ui.harness import loaded, main_screen, make_app, notifications, told, wait_until


def _status_text(app: object) -> str:
    from hfdash.ui.app import HfdashApp

    assert isinstance(app, HfdashApp)
    return str(main_screen(app).query_one(StatusLine).render())


async def test_429_during_polling_pauses_every_request_for_retry_after(sim: Simulator) -> None:
    sim.state.add_render(title="in flight", status="rendering")
    app = make_app(sim)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await loaded(pilot, "clips")
        await loaded(pilot, "agents")
        sim.state.faults.add("429", count=1, retry_after=2)
        await wait_until(pilot, lambda: any(e["status"] == 429 for e in sim.state.request_log))
        await wait_until(pilot, lambda: "rate limited" in _status_text(app), within=2.0)
        limited_at = next(e["t"] for e in sim.state.request_log if e["status"] == 429)
        await wait_until(pilot, lambda: "rate limited" not in _status_text(app), within=6.0)
        later = [e["t"] for e in sim.state.request_log if e["t"] > limited_at]
        assert any(t >= limited_at + 2.0 for t in later), "polling resumed after the wait"
        # Requests on the wire while the 429 travels back may land just after it: the client's other
        # three slots, and once each of those is answered, one more sent from it before the client has
        # read the 429. Nothing else leaves before Retry-After elapsed.
        in_flight_then = [t for t in later if t < limited_at + 2.0]
        assert len(in_flight_then) <= 6
        assert all(t < limited_at + 0.5 for t in in_flight_then)


async def test_a_revoked_key_shows_one_banner_and_stops_polling(sim: Simulator) -> None:
    sim.state.add_render(title="in flight", status="rendering")
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await loaded(pilot, "agents")
        sim.state.faults.add("401", rate=1.0)
        await wait_until(pilot, lambda: not main_screen(app).polling)
        await wait_until(pilot, lambda: any("Not signed in" in n.title for n in told(app)))
        requests_then = len(sim.state.request_log)
        await pilot.pause(2.5)
        # No retry storm: with polling stopped nothing more is sent.
        assert len(sim.state.request_log) - requests_then <= 2
        banners = [n for n in told(app) if n.title == "Not signed in"]
        assert len(banners) == 1
        assert "polling PAUSED" in _status_text(app)


async def test_a_server_error_on_the_first_page_shows_in_the_pane_and_m_retries(sim: Simulator) -> None:
    sim.state.faults.add("500", count=10, path_prefix="/v3/hyperframes/renders")
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        renders = main_screen(app).controllers["renders"].pane
        await wait_until(pilot, lambda: renders.error is not None)
        assert not renders.store.loaded
        sim.state.faults.clear()
        await pilot.press("m")
        await loaded(pilot)
        assert renders.error is None
        assert renders.visible_ids
        assert not any("Traceback" in m for m in notifications(app))
