"""The item cache: what goes in comes back equal, in order; a bad file is rebuilt with a notice."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from hfdash.models import (
    AgentMessage,
    Clip,
    ClipJob,
    ClipJobStatus,
    ClipStatus,
    Render,
    RenderStatus,
    Session,
    SessionStatus,
    SessionSummary,
)
from hfdash.models.renders import LISTED_URL
from hfdash.services.cache import FOLD_AFTER, ItemCache, encode_change
from hfdash.services.kinds import Item
from hfdash.services.store import PageRecord


def render(number: int, status: str = "completed") -> Render:
    return Render(
        render_id=f"hfr_{number:04d}",
        status=next((known for known in RenderStatus if known.value == status), RenderStatus.UNKNOWN),
        status_raw=status,
        format="mp4",
        title=f"render {number} [bold]",
        duration=12.5,
        fps=30,
        created_at=1_700_000_000 + number,
        failure_message=None,
    )


def rows(items: Iterable[Item], removed: Iterable[str] = ()) -> list[str]:
    """One change: `items` saved, `removed` gone."""
    saved = {item.id: item for item in items}
    return [encode_change(saved, [*saved, *removed])]


def test_items_of_every_kind_round_trip_newest_first(tmp_path: Path) -> None:
    cache = ItemCache(tmp_path / "items.sqlite3")
    renders = [render(n) for n in (3, 2, 1)] + [render(0, "teleporting")]
    cache.save("renders", rows(renders))
    pages = [PageRecord(None, ("hfr_0003", "hfr_0002")), PageRecord("t2", ())]
    cache.save("renders", [], (pages, "t3", True))
    job = ClipJob(
        id="cj_1",
        status=ClipJobStatus.RUNNING,
        status_raw="running",
        clips=(Clip(id="c1", status=ClipStatus.COMPLETED, status_raw="completed", virality_score=80),),
        progress=40,
        created_at=5,
    )
    cache.save("clips", rows([job]))
    cache.save("clips", [], ([PageRecord(None, ("cj_1",))], None, False))
    session = Session(
        session_id="s1",
        status=SessionStatus.GENERATING,
        status_raw="generating",
        created_at=9,
        messages=(AgentMessage(role="user", content="hi", type="text", resource_ids=("v1",)),),
    )
    summary = SessionSummary(session_id="s0", created_at=8, title="older")
    cache.save("agents", rows([session, summary]))
    cache.save("agents", [], ([PageRecord(None, ("s1", "s0"))], None, False))
    cache.close()

    again = ItemCache(tmp_path / "items.sqlite3")
    loaded = again.load("renders")
    assert loaded is not None
    assert loaded.items == renders
    last = loaded.items[-1]
    assert isinstance(last, Render)
    assert last.status is RenderStatus.UNKNOWN
    assert loaded.pages == pages
    assert (loaded.next_token, loaded.has_more) == ("t3", True)
    clips = again.load("clips")
    assert clips is not None
    assert clips.items == [job]
    agents = again.load("agents")
    assert agents is not None
    assert agents.items == [session, summary]
    assert again.load("nothing") is None
    assert again.take_notice() is None


def test_updates_replace_and_removed_items_are_forgotten(tmp_path: Path) -> None:
    cache = ItemCache(tmp_path / "items.sqlite3")
    cache.save("renders", rows([render(1, "rendering"), render(2)]))
    cache.save("renders", [], ([], None, False))
    cache.save("renders", rows([render(1, "failed")], removed=["hfr_0002"]))
    loaded = cache.load("renders")
    assert loaded is not None
    assert loaded.items == [render(1, "failed")]


def test_an_item_removed_and_saved_again_comes_back_once(tmp_path: Path) -> None:
    cache = ItemCache(tmp_path / "items.sqlite3")
    cache.save("renders", rows([render(1), render(2)]))
    cache.save("renders", rows([], removed=["hfr_0001"]))
    cache.save("renders", rows([render(1, "failed")]))
    cache.save("clips", rows([], removed=["hfr_0002"]))
    cache.save("renders", [], ([], None, False))
    loaded = ItemCache(cache.path).load("renders")
    assert loaded is not None
    assert loaded.items == [render(2), render(1, "failed")]


def test_a_long_log_is_folded_into_one_row_holding_the_latest_items(tmp_path: Path) -> None:
    path = tmp_path / "items.sqlite3"
    cache = ItemCache(path)
    cache.save("renders", [], ([], None, False))
    for number in range(FOLD_AFTER + 5):
        cache.save(
            "renders", rows([render(number % 10, "rendering" if number < FOLD_AFTER else "completed")])
        )
    cache.save("renders", rows([], removed=["hfr_0009"]))
    raw = sqlite3.connect(path)
    logged = raw.execute("SELECT count(*) FROM changes WHERE pane = 'renders'").fetchone()[0]
    raw.close()
    assert logged < 10
    loaded = ItemCache(path).load("renders")
    assert loaded is not None
    assert loaded.items == [render(n, "completed" if n < 5 else "rendering") for n in range(8, -1, -1)]


def test_saves_asked_for_soon_are_written_in_order_before_close_returns(tmp_path: Path) -> None:
    cache = ItemCache(tmp_path / "items.sqlite3")
    paging: list[PageRecord] = [PageRecord(None, ("hfr_0001",))]
    for status in ("queued", "rendering", "completed"):
        cache.save_soon("renders", rows([render(1, status)]), (paging, "t2", True))
    cache.close()
    assert cache.save_soon("renders", rows([render(1, "failed")]), (paging, None, False)) is None
    loaded = ItemCache(cache.path).load("renders")
    assert loaded is not None
    assert loaded.items == [render(1, "completed")]
    assert (loaded.pages, loaded.next_token, loaded.has_more) == (paging, "t2", True)


def test_a_render_comes_back_as_a_list_page_gives_it_with_which_urls_it_had(tmp_path: Path) -> None:
    cache = ItemCache(tmp_path / "items.sqlite3")
    fetched = replace(render(1), video_url="https://files/r.mp4?sig=1", thumbnail_url=None)
    cache.save("renders", rows([fetched]))
    cache.save("renders", [], ([], None, False))
    loaded = cache.load("renders")
    assert loaded is not None
    assert loaded.items == [replace(fetched, video_url=LISTED_URL)]


def test_a_corrupt_file_is_rebuilt_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "items.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    cache = ItemCache(path)
    assert cache.load("renders") is None
    notice = cache.take_notice()
    assert notice is not None
    assert "rebuilt" in notice
    assert cache.take_notice() is None
    cache.save("renders", rows([render(1)]))
    cache.save("renders", [], ([], None, False))
    loaded = cache.load("renders")
    assert loaded is not None
    assert len(loaded.items) == 1


def test_a_file_from_another_schema_version_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "items.sqlite3"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE items (id TEXT)")
    old.execute("PRAGMA user_version = 99")
    old.commit()
    old.close()
    cache = ItemCache(path)
    assert cache.load("renders") is None
    notice = cache.take_notice()
    assert notice is not None
    assert "schema 99" in notice
    cache.save("renders", rows([render(1)]))
    cache.save("renders", [], ([], None, False))
    assert cache.load("renders") is not None


def test_an_unreadable_row_rebuilds_instead_of_crashing(tmp_path: Path) -> None:
    path = tmp_path / "items.sqlite3"
    cache = ItemCache(path)
    cache.save("renders", rows([render(1)]))
    cache.save("renders", [], ([], None, False))
    cache.close()
    raw = sqlite3.connect(path)
    raw.execute("""UPDATE changes SET body = '[["hfr_0001", "render", [5]]]'""")
    raw.commit()
    raw.close()
    again = ItemCache(path)
    assert again.load("renders") is None
    assert again.take_notice() is not None
    assert again.load("renders") is None


def test_a_file_written_by_another_process_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "items.sqlite3"
    script = """
import sys
from pathlib import Path
from hfdash.services.cache import FOLD_AFTER, ItemCache, encode_change
from hfdash.services.kinds import Item
from tests.services.test_cache import render, rows
cache = ItemCache(Path(sys.argv[1]))
cache.save("renders", rows([render(1)]))
cache.save("renders", [], ([], None, False))
"""
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    loaded = ItemCache(path).load("renders")
    assert loaded is not None
    assert loaded.items == [render(1)]
