"""Which files an item yields, and where each one's fresh URL comes from.

A render yields its video; a clip job yields every completed clip, in a folder named after the
job; a video yields the asked variant. Presigned URLs are short-lived (contract §7), so a file is
planned with the URL seen at planning time and `fresh_url` fetches the item again whenever the
engine needs one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from hfdash.models import Clip, ClipJob, ClipJobStatus, ClipStatus, Render, RenderStatus, Video, VideoStatus
from hfdash.services.downloads.errors import ASSET_NOT_AVAILABLE, NOT_READY, VIDEO_FAILED, AssetUnavailable
from hfdash.services.downloads.naming import extension_from_url, file_name, safe_component, safe_extension

T_co = TypeVar("T_co", covariant=True)


class Kind(StrEnum):
    RENDER = "render"
    CLIP_JOB = "clip-job"
    VIDEO = "video"


class Variant(StrEnum):
    VIDEO = "video"
    CAPTIONED = "captioned"
    SUBTITLES = "subtitles"


class _Getter(Protocol[T_co]):
    async def get(self, item_id: str, /) -> T_co: ...


class Lookup(Protocol):
    """The part of HeyGenClient downloads need: GET by id for each kind."""

    @property
    def renders(self) -> _Getter[Render]: ...

    @property
    def clip_jobs(self) -> _Getter[ClipJob]: ...

    @property
    def videos(self) -> _Getter[Video]: ...


@dataclass(frozen=True, slots=True)
class Target:
    """What the user asked to download."""

    kind: Kind
    item_id: str
    variant: Variant = Variant.VIDEO
    # With a clip job: only this clip, still into the job's folder.
    clip_id: str | None = None

    @property
    def label(self) -> str:
        suffix = f" ({self.variant})" if self.kind is Kind.VIDEO and self.variant is not Variant.VIDEO else ""
        if self.clip_id is not None:
            suffix = f" clip {self.clip_id}"
        return f"{self.kind} {self.item_id}{suffix}"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    name: str
    url: str
    folder: str | None = None
    clip_id: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    target: Target
    files: tuple[PlannedFile, ...]
    # Completed clips the host has no URL for: reported, not fatal, when other clips can be fetched.
    skipped: tuple[str, ...] = ()


_VARIANT_NOUN = {
    Variant.VIDEO: "video",
    Variant.CAPTIONED: "captioned video",
    Variant.SUBTITLES: "subtitles",
}


def _missing(what: str, failed: bool, completed: bool, detail: str | None = None) -> AssetUnavailable:
    if failed:
        return AssetUnavailable(what, VIDEO_FAILED, detail)
    if completed:
        return AssetUnavailable(what, ASSET_NOT_AVAILABLE)
    return AssetUnavailable(what, NOT_READY)


def render_url(render: Render) -> str:
    if render.video_url:
        return render.video_url
    raise _missing(
        f"render {render.render_id}",
        render.status is RenderStatus.FAILED,
        render.status is RenderStatus.COMPLETED,
        render.failure_message,
    )


def plan_render(render: Render) -> Plan:
    url = render_url(render)
    ext = safe_extension(extension_from_url(url) or render.format, "mp4")
    target = Target(Kind.RENDER, render.render_id)
    return Plan(target, (PlannedFile(file_name(render.render_id, ext), url),))


def clip_url(job: ClipJob, clip_id: str) -> str:
    clip = next((c for c in job.clips if c.id == clip_id), None)
    what = f"clip {clip_id} of clip job {job.id}"
    if clip is None:
        raise AssetUnavailable(what, ASSET_NOT_AVAILABLE, "no longer listed")
    if clip.video_url:
        return clip.video_url
    raise _missing(what, clip.status is ClipStatus.FAILED, clip.status is ClipStatus.COMPLETED)


def _clip_file(folder: str, clip: Clip, url: str) -> PlannedFile:
    ext = safe_extension(extension_from_url(url), "mp4")
    return PlannedFile(file_name(clip.id, ext), url, folder=folder, clip_id=clip.id)


def plan_clip_job(job: ClipJob, only_clip: str | None = None) -> Plan:
    folder = safe_component(job.id)
    if only_clip is not None:
        url = clip_url(job, only_clip)
        clip = next(c for c in job.clips if c.id == only_clip)
        return Plan(Target(Kind.CLIP_JOB, job.id, clip_id=only_clip), (_clip_file(folder, clip, url),))
    files: list[PlannedFile] = []
    skipped: list[str] = []
    for clip in job.clips:
        if clip.status is not ClipStatus.COMPLETED:
            continue
        if clip.video_url:
            files.append(_clip_file(folder, clip, clip.video_url))
        else:
            skipped.append(f"clip {clip.id}: {ASSET_NOT_AVAILABLE}")
    if not files:
        raise _missing(
            f"clip job {job.id}",
            job.status in {ClipJobStatus.FAILED, ClipJobStatus.CANCELLED},
            job.status is ClipJobStatus.COMPLETED,
            job.failure_message or ("cancelled" if job.status is ClipJobStatus.CANCELLED else None),
        )
    return Plan(Target(Kind.CLIP_JOB, job.id), tuple(files), tuple(skipped))


def _variants(video: Video) -> dict[Variant, str]:
    urls = {
        Variant.VIDEO: video.video_url,
        Variant.CAPTIONED: video.captioned_video_url,
        Variant.SUBTITLES: video.subtitle_url,
    }
    return {variant: url for variant, url in urls.items() if url}


def video_url(video: Video, variant: Variant) -> str:
    available = _variants(video)
    if variant in available:
        return available[variant]
    what = f"video {video.id}"
    failed = video.status is VideoStatus.FAILED or video.status_raw == "error"
    if available and not failed:
        names = ", ".join(str(v) for v in available)
        raise AssetUnavailable(what, f"no {_VARIANT_NOUN[variant]}; available: {names}")
    raise _missing(what, failed, video.status is VideoStatus.COMPLETED, video.failure_message)


def plan_video(video: Video, variant: Variant) -> Plan:
    url = video_url(video, variant)
    if variant is Variant.SUBTITLES:
        name = file_name(video.id, safe_extension(extension_from_url(url), "srt"))
    else:
        ext = safe_extension(extension_from_url(url), "mp4")
        stem = safe_component(video.id) + (".captioned" if variant is Variant.CAPTIONED else "")
        name = f"{stem}.{ext}"
    return Plan(Target(Kind.VIDEO, video.id, variant), (PlannedFile(name, url),))


async def plan(lookup: Lookup, target: Target) -> Plan:
    """GET the item and work out its files; raises AssetUnavailable or the client's ApiError."""
    if target.kind is Kind.RENDER:
        return plan_render(await lookup.renders.get(target.item_id))
    if target.kind is Kind.CLIP_JOB:
        return plan_clip_job(await lookup.clip_jobs.get(target.item_id), target.clip_id)
    return plan_video(await lookup.videos.get(target.item_id), target.variant)


async def fresh_url(lookup: Lookup, target: Target, planned: PlannedFile) -> str:
    """GET the item again and pick the same file's URL; an earlier one may have expired."""
    if target.kind is Kind.CLIP_JOB:
        assert planned.clip_id is not None
        return clip_url(await lookup.clip_jobs.get(target.item_id), planned.clip_id)
    # A render or a video plans exactly one file.
    return (await plan(lookup, target)).files[0].url
