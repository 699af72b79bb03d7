"""Failure groups: templates of real failure texts (the simulator's and hostile ones), and the groups."""

from __future__ import annotations

import pytest

from hfdash.models import (
    AgentMessage,
    ClipJob,
    ClipJobStatus,
    Render,
    RenderStatus,
    Session,
    SessionStatus,
    Video,
    VideoStatus,
)
from hfdash.services.failures import failure_key, group_failures, template
from hfdash.simulator import data
from hfdash.simulator.hostile import HOSTILE_STRINGS


def render(number: int, message: str | None, status: str = "failed", title: str | None = None) -> Render:
    return Render(
        render_id=f"hfr_{number}",
        status=next((known for known in RenderStatus if known.value == status), RenderStatus.UNKNOWN),
        status_raw=status,
        format="mp4",
        title=title,
        created_at=1000 + number,
        failure_message=message,
    )


@pytest.mark.parametrize(
    ("first", "second", "shape"),
    [
        ("Chromium crashed at frame 1234", "Chromium crashed at frame 7", "Chromium crashed at frame N"),
        (
            "Asset 'intro.mp4' could not be fetched after 30 s",
            "Asset 'broll/city night.mov' could not be fetched after 120s",
            "Asset '…' could not be fetched after N s",
        ),
        (
            "Source video could not be downloaded: HTTP 403 from https://cdn.example.com/a/b.mp4",
            "Source video could not be downloaded: HTTP 404 from http://x.example/c?sig=abc",
            "Source video could not be downloaded: HTTP N from …",
        ),
        (
            "Composition index.html not found",
            "Composition scenes/scene-03.html not found",
            "Composition … not found",
        ),
        ("cannot open /tmp/a/b.mp4", "cannot open ~/x/y.webm", "cannot open …"),
        ("render hfr_0123abcd4567 lost", "render hfr_ffee99887766 lost", "render … lost"),
        (
            "job 3fa85f64-5717-4562-b3fc-2c963f66afa6 failed",
            "job 00000000-0000-0000-0000-000000000001 failed",
            "job … failed",
        ),
        (
            "Frame capture crashed at 00:00:12.480.",
            "Frame capture crashed at 00:03:01.007.",
            "Frame capture crashed at N.",
        ),
        ('unsupported language "tl"', "unsupported language 'haw'", "unsupported language '…'"),
        ("late by 2,400 ms", "late by 12 ms", "late by N ms"),
    ],
)
def test_messages_that_differ_only_in_their_variable_parts_share_a_template(
    first: str, second: str, shape: str
) -> None:
    assert template(first) == template(second) == shape


def test_what_is_not_a_variable_part_keeps_groups_apart() -> None:
    shapes = {
        template(m) for m in ("Font could not be loaded.", "Asset could not be loaded.", "can't render")
    }
    assert len(shapes) == 3
    assert template("can't render") == "can't render"
    assert template("") == template("   ") == "(no message)"


def test_every_simulator_cause_is_one_template_whatever_its_variable_parts() -> None:
    variants = [v for cause in [*data.FAILURES, *data.CLIP_JOB_FAILURES] for v in cause]
    variants += [cause for _code, cause in data.SESSION_FAILURES]
    shapes = []
    for variant in variants:
        texts = {data.failure_text([variant], seed) for seed in range(60)}
        found = {template(text) for text in texts}
        assert len(found) == 1, f"{variant!r} gave {sorted(found)}"
        assert len(texts) > 1 or "{" not in variant, f"{variant!r} never varies"
        shapes.append(found.pop())
    assert len(set(shapes)) == len(variants), "two causes share a template"


@pytest.mark.parametrize("hostile", HOSTILE_STRINGS)
def test_hostile_texts_lose_their_escapes_and_keep_their_markup_literal(hostile: str) -> None:
    shape = template(hostile)
    assert "\x1b" not in shape and "\n" not in shape and "\t" not in shape
    assert template(f"{hostile} 12") == template(f"{hostile} 345")


def test_markup_and_escapes_in_a_template() -> None:
    assert template("[bold red]x[/] failed 5 times") == "[bold red]x[/] failed N times"
    assert template("\x1b[31mred alert\x1b[0m at frame 9") == "red alert at frame N"
    assert template("\x1b]8;;https://evil.example\x07link\x1b]8;;\x07 3") == "link N"


def test_groups_by_kind_and_template_largest_first() -> None:
    renders = [
        render(1, "Chromium crashed at frame 12", title="Q3 teaser"),
        render(2, "Chromium crashed at frame 99"),
        render(3, "Asset 'a.mp4' could not be fetched after 30 s", title="Intro"),
        render(4, "Chromium crashed at frame 1", title="Newest crash"),
        render(5, "Chromium crashed at frame 5", status="completed"),
        render(6, None, status="rendering"),
    ]
    job = ClipJob(
        id="job1", status=ClipJobStatus.FAILED, status_raw="failed", created_at=50,
        failure_message="Chromium crashed at frame 3",
    )  # fmt: skip
    groups = group_failures({"renders": renders, "clips": [job]})
    assert [(g.pane, g.template, g.count) for g in groups] == [
        ("renders", "Chromium crashed at frame N", 3),
        ("renders", "Asset '…' could not be fetched after N s", 1),
        ("clips", "Chromium crashed at frame N", 1),
    ]
    crash = groups[0]
    assert (crash.newest, crash.oldest, crash.example) == (1004, 1001, "Newest crash")
    assert groups[1].example == "Intro"
    assert groups[2].example == "job1"
    assert group_failures({"renders": renders[4:]}) == []


def test_a_session_fails_with_its_error_message_and_a_video_with_its_code() -> None:
    session = Session(
        session_id="s1", status=SessionStatus.FAILED, status_raw="failed", created_at=10,
        messages=(AgentMessage("model", "Video generation failed: script has 6870 characters", "error"),),
    )  # fmt: skip
    [group] = group_failures({"agents": [session]})
    assert group.template == "Video generation failed: script has N characters" and group.code == ""
    video = Video(
        id="v1", status=VideoStatus.FAILED, status_raw="failed", created_at=10,
        failure_code="avatar_timeout", failure_message="timed out after 30 s",
    )  # fmt: skip
    assert failure_key(video) == "avatar_timeout · timed out after N s"
    [group] = group_failures({"videos": [video]})
    assert (group.code, group.template, group.key) == (
        "avatar_timeout",
        "timed out after N s",
        failure_key(video),
    )


def test_twenty_causes_over_five_thousand_failures_make_twenty_groups() -> None:
    causes = [f"Cause {chr(65 + n)} failed at frame {{}} after {{}} s" for n in range(20)]
    items = [render(n, causes[n % 20].format(n * 7, n % 90)) for n in range(5000)]
    items += [render(n, None, status="completed") for n in range(5000, 100_000)]
    groups = group_failures({"renders": items})
    assert len(groups) == 20 and sum(g.count for g in groups) == 5000
