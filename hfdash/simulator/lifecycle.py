"""Items as timelines, and what each kind looks like on the wire at a given simulated time.

An item holds a schedule of (simulated time, status) steps fixed when it is created, so its state
at any moment is a pure function of the clock: advancing time needs no background work, and two
runs with the same seed and clock answer identically. set_status pins an item, freezing its
timeline at that instant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Mint = Callable[[str], str]

TERMINAL = {
    "render": {"completed", "failed"},
    "clip_job": {"completed", "failed", "cancelled"},
    "session": {"completed", "failed"},
    "video": {"completed", "failed"},
}


@dataclass
class Record:
    kind: str
    id: str
    seq: int
    created_at: int | None
    schedule: list[tuple[float, str]]
    fields: dict[str, Any] = field(default_factory=dict)
    plan: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)
    pinned: str | None = None
    pinned_at: float | None = None
    deleted: bool = False
    parent: str | None = None

    @property
    def sort_t(self) -> int:
        return self.created_at if isinstance(self.created_at, int) else 0

    def status_at(self, now: float) -> str:
        if self.pinned is not None:
            return self.pinned
        status = self.schedule[0][1]
        for t, step in self.schedule:
            if t <= now:
                status = step
        return status

    def effective_time(self, now: float) -> float:
        return self.pinned_at if self.pinned_at is not None else now

    def step_time(self, status: str) -> float | None:
        for t, step in self.schedule:
            if step == status:
                return t
        return None

    def terminal_at(self, now: float) -> int | None:
        status = self.status_at(now)
        if status not in TERMINAL[self.kind]:
            return None
        if self.pinned is not None and self.pinned_at is not None:
            planned = self.step_time(status)
            if planned is not None and planned <= self.pinned_at:
                return int(planned)
            return int(self.pinned_at)
        t = self.step_time(status)
        return int(t) if t is not None else None


def file_token(item_id: str) -> str:
    """Object keys use a digest of the id, so hostile ids never reach a URL path."""
    return hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:24]


def file_keys(rec: Record) -> list[str]:
    """Every object key an item can hand out, so a delete can revoke them."""
    tok = file_token(rec.id)
    if rec.kind == "render":
        return [f"renders/{tok}/video.{rec.fields.get('format', 'mp4')}", f"renders/{tok}/thumbnail.jpg"]
    if rec.kind == "clip_job":
        keys: list[str] = []
        for clip in rec.plan.get("clips", []):
            ctok = file_token(clip["id"])
            keys += [f"clips/{ctok}/clip.mp4", f"clips/{ctok}/thumb.jpg"]
        return keys
    if rec.kind == "video":
        return [
            f"videos/{tok}.mp4",
            f"videos/{tok}_captioned.mp4",
            f"thumb/{tok}.jpg",
            f"gif/{tok}.gif",
            f"srt/{tok}.srt",
        ]
    return []


def _finish(rec: Record, data: dict[str, Any]) -> dict[str, Any]:
    data.update(rec.overrides)
    return data


def render_view(rec: Record, now: float, mint: Mint) -> dict[str, Any]:
    status = rec.status_at(now)
    done = status == "completed"
    video_key, thumb_key = file_keys(rec)
    f = rec.fields
    return _finish(
        rec,
        {
            "render_id": rec.id,
            "status": status,
            "title": f.get("title"),
            "callback_id": f.get("callback_id"),
            "video_url": mint(video_key) if done else None,
            "thumbnail_url": mint(thumb_key) if done else None,
            "duration": rec.plan.get("duration") if done else None,
            "fps": f.get("fps"),
            "quality": f.get("quality"),
            "format": f.get("format", "mp4"),
            "resolution": f.get("resolution"),
            "aspect_ratio": f.get("aspect_ratio"),
            "composition": f.get("composition"),
            "created_at": rec.created_at,
            "completed_at": rec.terminal_at(now),
            "failure_message": rec.plan.get("failure_message") if status == "failed" else None,
        },
    )


def _clip_view(clip: dict[str, Any], status: str, mint: Mint) -> dict[str, Any]:
    done = status == "completed"
    tok = file_token(clip["id"])
    return {
        "id": clip["id"],
        "status": status,
        "duration_seconds": clip["duration_seconds"] if done else None,
        "aspect_ratio": clip["aspect_ratio"] if done else None,
        "title": clip["title"] if status != "pending" else None,
        "virality_score": clip["virality_score"] if done else None,
        "thumbnail_url": mint(f"clips/{tok}/thumb.jpg") if done else None,
        "video_url": mint(f"clips/{tok}/clip.mp4") if done else None,
        "failure_message": None,
    }


def clip_job_view(rec: Record, now: float, mint: Mint, *, coarse: bool) -> dict[str, Any]:
    status = rec.status_at(now)
    te = rec.effective_time(now)
    planned: list[dict[str, Any]] = rec.plan.get("clips", [])
    clips: list[dict[str, Any]] = []
    if status == "completed":
        clips = [_clip_view(c, c["outcome"], mint) for c in planned]
    elif status != "pending":
        ready = [c for c in planned if c["done_at"] <= te]
        clips = [_clip_view(c, c["outcome"], mint) for c in ready]
        if status == "running" and ready and len(ready) < len(planned):
            clips.append(_clip_view(planned[len(ready)], "pending", mint))
    start = rec.step_time("running")
    finish = rec.plan.get("finish_at")
    if status == "completed":
        progress = 100
    elif status == "pending" or start is None or not finish or finish <= start:
        progress = 0
    else:
        stop = te if status == "running" else min(te, rec.terminal_at(now) or te)
        progress = max(0, min(99, int(100 * (stop - start) / (finish - start))))
    if coarse:
        progress = 100 if status == "completed" else 0
    f = rec.fields
    return _finish(
        rec,
        {
            "id": rec.id,
            "title": f.get("title"),
            "status": status,
            "input_language": f.get("input_language"),
            "source_duration": f.get("source_duration"),
            "clips": clips,
            "progress": progress,
            "callback_id": f.get("callback_id"),
            "created_at": rec.created_at,
            "failure_message": rec.plan.get("failure_message") if status == "failed" else None,
        },
    )


def session_item_view(rec: Record, now: float) -> dict[str, Any]:
    data = {"session_id": rec.id, "created_at": rec.created_at, "title": _session_title(rec, now)}
    for name in ("session_id", "created_at", "title"):
        if name in rec.overrides:
            data[name] = rec.overrides[name]
    return data


def _session_title(rec: Record, now: float) -> Any:
    titled_at = rec.plan.get("titled_at")
    # A session pinned at a status (add_session(status=...)) shows the title it was given at once.
    if rec.pinned is None and titled_at is not None and rec.effective_time(now) < titled_at:
        return None
    return rec.fields.get("title")


def session_view(rec: Record, now: float) -> dict[str, Any]:
    status = rec.status_at(now)
    te = rec.effective_time(now)
    gen_at = rec.step_time("generating")
    end_at = rec.plan.get("finish_at")
    if status == "completed":
        progress = 100
    elif status == "waiting_for_input":
        progress = 20
    elif status == "reviewing":
        progress = 40
    elif gen_at is not None and end_at and end_at > gen_at and te >= gen_at:
        stop = min(te, end_at)
        progress = max(10, min(99, 10 + int(89 * (stop - gen_at) / (end_at - gen_at))))
    else:
        progress = 5 if status == "thinking" else 0
    generated = status == "completed" or (gen_at is not None and te >= gen_at)
    video_id = rec.plan.get("video_id") if generated else None
    messages = [m for m in rec.plan.get("messages", []) if m["created_at"] <= te]
    messages.sort(key=lambda m: m["created_at"], reverse=True)
    return _finish(
        rec,
        {
            "session_id": rec.id,
            "status": status,
            "created_at": rec.created_at,
            "title": _session_title(rec, now),
            "video_id": video_id,
            "progress": progress,
            "messages": [dict(m) for m in messages[:40]],
        },
    )


def video_view(rec: Record, now: float, mint: Mint) -> dict[str, Any]:
    status = rec.status_at(now)
    done = status == "completed"
    failed = status == "failed"
    captions = done and bool(rec.plan.get("captions"))
    video_key, captioned_key, thumb_key, gif_key, srt_key = file_keys(rec)
    f = rec.fields
    return _finish(
        rec,
        {
            "id": rec.id,
            "title": f.get("title"),
            "status": status,
            "created_at": rec.created_at,
            "completed_at": rec.terminal_at(now),
            "video_url": mint(video_key) if done else None,
            "thumbnail_url": mint(thumb_key) if done else None,
            "gif_url": mint(gif_key) if done else None,
            "captioned_video_url": mint(captioned_key) if captions else None,
            "subtitle_url": mint(srt_key) if captions else None,
            "duration": rec.plan.get("duration") if done else None,
            "folder_id": f.get("folder_id"),
            "output_language": f.get("output_language"),
            "failure_code": rec.plan.get("failure_code", "rendering_failed") if failed else None,
            "failure_message": rec.plan.get("failure_message", "Avatar rendering timed out")
            if failed
            else None,
            "video_page_url": None if failed else f.get("video_page_url"),
        },
    )
