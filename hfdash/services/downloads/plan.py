"""Which files an item yields, and where each one's fresh URL comes from.

A render yields its video; a clip job yields every completed clip, in a folder named after the
job; a video yields the asked variant. Presigned URLs are short-lived (contract §7), so a file is
planned with the URL seen at planning time and `fresh_url` fetches the item again whenever the
engine needs one. Names are built from ids the server sends, which are untrusted text: an id may
hold path separators, `..`, control characters or thousands of characters (the simulator's hostile
mode sends all of these), so every name goes through `safe_component`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum

from hfdash.api.client import HeyGenClient
from hfdash.models import ClipJob, ClipJobStatus, ClipStatus, Render, RenderStatus, Video, VideoStatus

# Most filesystems cap a name at 255 bytes; room is kept for " (9999)", the extension and ".part".
MAX_STEM_BYTES = 180
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)}
)
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,10}$")


def safe_component(raw: str) -> str:
    """One path component that stays inside its directory whatever `raw` holds."""
    text = unicodedata.normalize("NFC", raw)
    # Unicode format and separator controls (bidi overrides, line separators) confuse terminals.
    text = "".join("_" if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in text)
    text = _UNSAFE.sub("_", text)
    # Leading dots would make a hidden file, or `.`/`..` themselves; trailing dots and spaces are
    # silently dropped by Windows, which would change the name after the collision check.
    text = text.strip(" ").lstrip(".").rstrip(". ")
    # Cutting mid-character would leave invalid UTF-8; "ignore" drops the broken tail.
    text = text.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", errors="ignore").rstrip(". ")
    if not text:
        return "_"
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return text


def safe_extension(raw: str | None, default: str) -> str:
    """A short alphanumeric extension (without the dot), or `default` when `raw` is not one."""
    candidate = (raw or "").lstrip(".")
    return candidate.lower() if _EXTENSION.match(candidate) else default


def extension_from_url(url: str | None) -> str | None:
    """The suffix of a URL's path, ignoring the query, which for a presigned URL is the signature."""
    last = (url or "").split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    _stem, dot, suffix = last.rpartition(".")
    return suffix if dot and _EXTENSION.match(suffix) else None


def file_name(stem: str, extension: str) -> str:
    """`<safe stem>.<ext>`; the extension must already be safe."""
    return f"{safe_component(stem)}.{extension}"


ASSET_NOT_AVAILABLE = "asset not available"


class AssetUnavailable(Exception):
    """The item has no URL for the asked file (heygen-cli's three cases, contract §7)."""

    def __init__(self, what: str, reason: str, detail: str | None = None) -> None:
        self.what = what
        self.reason = reason
        self.why = f"{reason} ({detail})" if detail else reason
        super().__init__(f"{what}: {self.why}")


class Kind(StrEnum):
    RENDER = "render"
    CLIP_JOB = "clip-job"
    VIDEO = "video"


class Variant(StrEnum):
    VIDEO = "video"
    CAPTIONED = "captioned"
    SUBTITLES = "subtitles"


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
            # The clip first: a label cut to its column still tells one clip from its whole job.
            return f"clip {self.clip_id} of {self.kind} {self.item_id}"
        return f"{self.kind} {self.item_id}{suffix}"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    name: str
    url: str
    folder: str | None = None
    clip_id: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    files: tuple[PlannedFile, ...]
    # Completed clips the host has no URL for: reported, not fatal, when other clips can be fetched.
    skipped: tuple[str, ...] = ()


def _missing(what: str, failed: bool, completed: bool, detail: str | None = None) -> AssetUnavailable:
    """heygen-cli's words for a missing URL, kept verbatim so users see the same (contract §7)."""
    if failed:
        return AssetUnavailable(what, "video failed", detail)
    return AssetUnavailable(what, ASSET_NOT_AVAILABLE if completed else "not ready yet")


def plan_render(render: Render) -> Plan:
    url = render.video_url
    if not url:
        failed, completed = render.status is RenderStatus.FAILED, render.status is RenderStatus.COMPLETED
        raise _missing(f"render {render.render_id}", failed, completed, render.failure_message)
    ext = safe_extension(extension_from_url(url) or render.format, "mp4")
    return Plan((PlannedFile(file_name(render.render_id, ext), url),))


def clip_url(job: ClipJob, clip_id: str) -> str:
    clip = next((c for c in job.clips if c.id == clip_id), None)
    what = f"clip {clip_id} of clip job {job.id}"
    if clip is None:
        raise AssetUnavailable(what, ASSET_NOT_AVAILABLE, "no longer listed")
    if clip.video_url:
        return clip.video_url
    raise _missing(what, clip.status is ClipStatus.FAILED, clip.status is ClipStatus.COMPLETED)


def _clip_file(folder: str, clip_id: str, url: str) -> PlannedFile:
    ext = safe_extension(extension_from_url(url), "mp4")
    return PlannedFile(file_name(clip_id, ext), url, folder=folder, clip_id=clip_id)


def plan_clip_job(job: ClipJob, only_clip: str | None = None) -> Plan:
    folder = safe_component(job.id)
    if only_clip is not None:
        return Plan((_clip_file(folder, only_clip, clip_url(job, only_clip)),))
    completed = [clip for clip in job.clips if clip.status is ClipStatus.COMPLETED]
    files = tuple(_clip_file(folder, clip.id, clip.video_url) for clip in completed if clip.video_url)
    if not files:
        cancelled = job.status is ClipJobStatus.CANCELLED
        raise _missing(
            f"clip job {job.id}",
            cancelled or job.status is ClipJobStatus.FAILED,
            job.status is ClipJobStatus.COMPLETED,
            job.failure_message or ("cancelled" if cancelled else None),
        )
    return Plan(
        files, tuple(f"clip {clip.id}: {ASSET_NOT_AVAILABLE}" for clip in completed if not clip.video_url)
    )


def plan_video(video: Video, variant: Variant) -> Plan:
    urls = {
        Variant.VIDEO: video.video_url,
        Variant.CAPTIONED: video.captioned_video_url,
        Variant.SUBTITLES: video.subtitle_url,
    }
    url = urls[variant]
    if not url:
        what = f"video {video.id}"
        failed = video.status is VideoStatus.FAILED or video.status_raw == "error"
        available = ", ".join(str(v) for v, u in urls.items() if u)
        if available and not failed:
            noun = "captioned video" if variant is Variant.CAPTIONED else variant
            raise AssetUnavailable(what, f"no {noun}; available: {available}")
        raise _missing(what, failed, video.status is VideoStatus.COMPLETED, video.failure_message)
    stem = safe_component(video.id) + (".captioned" if variant is Variant.CAPTIONED else "")
    ext = safe_extension(extension_from_url(url), "srt" if variant is Variant.SUBTITLES else "mp4")
    return Plan((PlannedFile(f"{stem}.{ext}", url),))


async def plan(lookup: HeyGenClient, target: Target) -> Plan:
    """GET the item and work out its files; raises AssetUnavailable or the client's ApiError."""
    if target.kind is Kind.RENDER:
        return plan_render(await lookup.renders.get(target.item_id))
    if target.kind is Kind.CLIP_JOB:
        return plan_clip_job(await lookup.clip_jobs.get(target.item_id), target.clip_id)
    return plan_video(await lookup.videos.get(target.item_id), target.variant)


async def fresh_url(lookup: HeyGenClient, target: Target, planned: PlannedFile) -> str:
    """GET the item again and pick the same file's URL; an earlier one may have expired."""
    # Narrowed to the one clip, every target plans exactly one file.
    return (await plan(lookup, replace(target, clip_id=planned.clip_id or target.clip_id))).files[0].url
