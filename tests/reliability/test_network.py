"""The dashboard on networks the simulator's plain HTTP never shows: HTTPS, untrusted
certificates and odd response headers. Driven through Pilot, as a user would see it."""

from __future__ import annotations

import pytest

from hfdash.simulator import Simulator
from hfdash.simulator.faults import ODD_HEADERS
from tests.conftest import TlsFiles
from tests.reliability.common import status_text
from tests.ui.harness import cell_text, info_text, loaded, make_app, pane, wait_until

SIZE = (120, 40)


async def rows_load_and_a_poll_lands(sim: Simulator) -> None:
    live = sim.state.add_render(title="Live one", status="rendering")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        assert renders.visible_ids[0] == live and len(renders.visible_ids) == 10
        sim.state.set_status("render", live, "completed")
        await wait_until(pilot, lambda: cell_text(renders.table, live, "status").endswith("completed"))
        assert "offline" not in status_text(app)


@pytest.mark.parametrize("kind", sorted(ODD_HEADERS))
async def test_the_renders_pane_loads_and_polls_with_odd_headers(kind: str, sim: Simulator) -> None:
    sim.state.faults.add(kind, rate=1.0)
    await rows_load_and_a_poll_lands(sim)
    # Renders in flight are polled through the list: the first page, then at least one poll.
    lists = [e for e in sim.state.request_log if e["path"] == "/v3/hyperframes/renders"]
    assert len(lists) >= 2 and all(e["fault"] == kind and e["status"] == 200 for e in lists)


async def test_the_dashboard_works_over_https(
    tls_sim: Simulator, tls_files: TlsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files.ca))
    await rows_load_and_a_poll_lands(tls_sim)


async def test_an_untrusted_certificate_shows_which_host_and_what_to_do(tls_sim: Simulator) -> None:
    app = make_app(tls_sim)
    async with app.run_test(size=SIZE) as pilot:
        renders = pane(app, "renders")
        await wait_until(pilot, lambda: renders.error is not None)
        shown = info_text(renders)
        assert "the certificate of 127.0.0.1 is not trusted" in shown, shown
        assert "Traceback" not in shown
        await wait_until(pilot, lambda: "offline" in status_text(app))
        assert app.is_running
