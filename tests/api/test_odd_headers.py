"""Answers with odd but legal headers: a non-ASCII byte, a repeated header, a 64 KiB line.

httpx keeps header values as bytes and decodes them only when asked, so none of these may
cost a row, a refresh or a download.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hfdash.simulator import Simulator
from hfdash.simulator.faults import ODD_HEADERS
from tests.api.conftest import MakeClient, every_kind_of_request

KNOBS = [[kind] for kind in sorted(ODD_HEADERS)] + [sorted(ODD_HEADERS)]


@pytest.mark.parametrize("kinds", KNOBS, ids=["+".join(k) for k in KNOBS])
async def test_a_list_and_a_get_parse_with_odd_headers(
    kinds: list[str], sim: Simulator, make_client: MakeClient
) -> None:
    for kind in kinds:
        sim.state.faults.add(kind, rate=1.0)
    client = make_client()
    page = await client.renders.list(limit=5)
    assert [r.id for r in page.items] == [
        r["render_id"] for r in sim.state.list_page("render", {"limit": "5"})["data"]
    ]
    assert (await client.renders.get(page.items[0].id)).id == page.items[0].id
    assert client.state.kind == "ok"
    assert [e["fault"] for e in sim.state.request_log] == ["+".join(kinds)] * 2


async def test_refresh_and_download_take_odd_headers_too(sim: Simulator, tmp_path: Path) -> None:
    for kind in ODD_HEADERS:
        sim.state.faults.add(kind, rate=1.0)
    await every_kind_of_request(sim, sim.url, tmp_path / "downloads")
    assert all(e["fault"] for e in sim.state.request_log)
