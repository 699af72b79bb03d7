"""What each item yields, and heygen-cli's three words for a missing URL."""

from __future__ import annotations

import pytest

from hfdash.models import Clip, ClipJob, ClipJobStatus, ClipStatus, Render, RenderStatus, Video, VideoStatus
from hfdash.services.downloads.plan import (
    AssetUnavailable,
    Kind,
    PlannedFile,
    Target,
    Variant,
    clip_url,
    fresh_url,
    plan,
    plan_clip_job,
    plan_render,
    plan_video,
)

URL = "http://127.0.0.1:1/files/k.mp4?X-Amz-Signature=s"


def render(status: RenderStatus, url: str | None = URL, render_id: str = "hfr_1") -> Render:
    return Render(render_id=render_id, status=status, status_raw=status.value, format="webm", video_url=url)


def clip(clip_id: str, status: ClipStatus, url: str | None = URL) -> Clip:
    return Clip(id=clip_id, status=status, status_raw=status.value, video_url=url)


def job(status: ClipJobStatus, *clips: Clip, job_id: str = "job_1") -> ClipJob:
    return ClipJob(id=job_id, status=status, status_raw=status.value, clips=clips)


def video(status: VideoStatus, **urls: str) -> Video:
    return Video(id="vid_1", status=status, status_raw=status.value, **urls)  # type: ignore[arg-type]


def test_render_yields_its_video_named_by_id() -> None:
    planned = plan_render(render(RenderStatus.COMPLETED))
    assert planned.files == (PlannedFile("hfr_1.mp4", URL),)
    no_ext = plan_render(render(RenderStatus.COMPLETED, url="http://h/files/key?sig=1"))
    assert no_ext.files[0].name == "hfr_1.webm"


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (RenderStatus.FAILED, "video failed"),
        (RenderStatus.COMPLETED, "asset not available"),
        (RenderStatus.RENDERING, "not ready yet"),
        (RenderStatus.QUEUED, "not ready yet"),
    ],
)
def test_render_without_url(status: RenderStatus, reason: str) -> None:
    with pytest.raises(AssetUnavailable) as caught:
        plan_render(render(status, url=None))
    assert caught.value.reason == reason
    assert str(caught.value).startswith("render hfr_1: " + reason)


def test_hostile_render_id_is_sanitised() -> None:
    planned = plan_render(render(RenderStatus.COMPLETED, render_id="../../x"))
    assert planned.files[0].name == "_.._x.mp4"


def test_clip_job_yields_completed_clips_in_a_folder() -> None:
    planned = plan_clip_job(
        job(
            ClipJobStatus.RUNNING,
            clip("c1", ClipStatus.COMPLETED),
            clip("c2", ClipStatus.PENDING, None),
            clip("c3", ClipStatus.COMPLETED, None),
            clip("../c4", ClipStatus.COMPLETED),
            job_id="../job",
        )
    )
    assert [(f.folder, f.name, f.clip_id) for f in planned.files] == [
        ("_job", "c1.mp4", "c1"),
        ("_job", "_c4.mp4", "../c4"),
    ]
    assert planned.skipped == ("clip c3: asset not available",)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (ClipJobStatus.FAILED, "video failed"),
        (ClipJobStatus.CANCELLED, "video failed"),
        (ClipJobStatus.COMPLETED, "asset not available"),
        (ClipJobStatus.RUNNING, "not ready yet"),
    ],
)
def test_clip_job_without_clips(status: ClipJobStatus, reason: str) -> None:
    with pytest.raises(AssetUnavailable) as caught:
        plan_clip_job(job(status, clip("c1", ClipStatus.PENDING, None)))
    assert caught.value.reason == reason


def test_clip_url_of_a_vanished_clip() -> None:
    with pytest.raises(AssetUnavailable, match="no longer listed"):
        clip_url(job(ClipJobStatus.COMPLETED), "c9")


def test_video_variants() -> None:
    full = video(
        VideoStatus.COMPLETED,
        video_url=URL,
        captioned_video_url="http://h/files/c.mp4?s=1",
        subtitle_url="http://h/files/s.vtt?s=1",
    )
    assert plan_video(full, Variant.VIDEO).files[0].name == "vid_1.mp4"
    assert plan_video(full, Variant.CAPTIONED).files[0].name == "vid_1.captioned.mp4"
    assert plan_video(full, Variant.SUBTITLES).files[0].name == "vid_1.vtt"


def test_missing_variant_names_the_ones_that_exist() -> None:
    partial = video(VideoStatus.COMPLETED, video_url=URL, subtitle_url=URL)
    with pytest.raises(AssetUnavailable) as caught:
        plan_video(partial, Variant.CAPTIONED)
    assert str(caught.value) == "video vid_1: no captioned video; available: video, subtitles"


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (VideoStatus.FAILED, "video failed"),
        (VideoStatus.COMPLETED, "asset not available"),
        (VideoStatus.PROCESSING, "not ready yet"),
    ],
)
def test_video_without_any_url(status: VideoStatus, reason: str) -> None:
    with pytest.raises(AssetUnavailable) as caught:
        plan_video(video(status), Variant.VIDEO)
    assert caught.value.reason == reason


class _Getter:
    def __init__(self, item: object) -> None:
        self.item = item
        self.calls = 0

    async def get(self, item_id: str, /) -> object:
        self.calls += 1
        return self.item


class _Lookup:
    def __init__(self) -> None:
        self.renders = _Getter(render(RenderStatus.COMPLETED))
        self.clip_jobs = _Getter(job(ClipJobStatus.COMPLETED, clip("c1", ClipStatus.COMPLETED)))
        self.videos = _Getter(video(VideoStatus.COMPLETED, video_url=URL))


async def test_plan_and_fresh_url_get_by_id_each_time() -> None:
    lookup = _Lookup()
    for target in (
        Target(Kind.RENDER, "hfr_1"),
        Target(Kind.CLIP_JOB, "job_1"),
        Target(Kind.VIDEO, "vid_1", Variant.VIDEO),
    ):
        planned = await plan(lookup, target)  # type: ignore[arg-type]
        assert await fresh_url(lookup, target, planned.files[0]) == URL  # type: ignore[arg-type]
    assert (lookup.renders.calls, lookup.clip_jobs.calls, lookup.videos.calls) == (2, 2, 2)


def test_target_labels() -> None:
    assert Target(Kind.CLIP_JOB, "j").label == "clip-job j"
    assert Target(Kind.CLIP_JOB, "j", clip_id="c").label == "clip c of clip-job j"
    assert Target(Kind.VIDEO, "v", Variant.SUBTITLES).label == "video v (subtitles)"
