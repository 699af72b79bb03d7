"""Seeded content: plausible titles and the timelines of freshly generated items.

The same builders seed the account and serve add_* calls, so an item added by a test ages exactly
as a seeded one does. All randomness comes from the random.Random passed in, never the global one.
"""

from __future__ import annotations

import math
import random
from typing import Any
from urllib.parse import quote

from .lifecycle import Record

DAY = 86_400.0

RENDER_TITLES = [
    "Q3 product launch teaser",
    "Onboarding — chapter 2",
    "Q4 recap",
    "Q4 recap (portrait)",
    "Pricing page hero loop",
    "Weekly changelog #48",
    "Customer story: Northwind",
    "Webinar intro bumper",
    "Holiday promo 15s",
    "Feature tour: shared workspaces",
    "Investor update — March",
    "App store preview (9:16)",
    "Conference booth loop",
    "Release notes 2.4",
    "Hiring: meet the team",
    "Tutorial — exporting reports",
]
# Why items fail, as the account's own generator picks them: as many causes as it always drew
# from, so the rest of a seeded account stays as it was. Each cause has variants, and a generator
# of the item's own fills their variable parts, so one cause reads differently item by item.
FAILURES = [
    [
        "Asset '{asset}' could not be fetched after {secs} s",
        "Asset '{asset}' answered HTTP {http} from {url}",
    ],
    ["Chromium crashed at frame {frame}", "Frame capture crashed at {clock}."],
    ["Font '{font}' could not be loaded.", "Font '{font}' did not load within {secs} s"],
    ["Render timed out after {limit}s"],
    [
        "Composition {composition} not found in project zip.",
        "Out of memory at frame {frame} ({mb} MB in use)",
    ],
]
CLIP_JOB_TITLES = [
    "Founder interview, March",
    "Keynote 2026",
    "Podcast ep. 112 — pricing",
    "All-hands Q3",
    "Customer webinar: migrations",
    "Product demo day",
    "Fireside chat with the CTO",
    "Panel: AI in support",
]
CLIP_TITLES = [
    "Why we priced it per seat",
    "The one slide everyone photographed",
    "Three mistakes we made early",
    "What customers actually asked for",
    "The demo that almost failed",
    "Hiring for curiosity",
    "Our roadmap in 30 seconds",
    "Where the margin comes from",
]
CLIP_JOB_FAILURES = [
    [
        "Source video could not be downloaded: HTTP {http} from {url}",
        "Source video download stalled after {secs} s.",
    ],
    ["Source video has no audio track.", "Source video is {minutes} min long; the limit is 240 min."],
    [
        "Transcription failed: unsupported language '{lang}'.",
        "Transcription stalled at {clock} of the source.",
    ],
]
# A failed session's error message and its video's failure code.
SESSION_FAILURES = [
    ("avatar_timeout", "Video generation failed: avatar rendering timed out after {secs} s."),
    ("voice_unavailable", "Video generation failed: voice '{voice}' is not available in '{lang}'."),
    ("script_too_long", "Video generation failed: the script has {chars} characters, more than 5000."),
]
ASSETS = ["intro.mp4", "logo@2x.png", "music/bed-02.mp3", "broll/city-night.mov", "lower-third.webm"]
FONTS = ["Inter Display", "Söhne Breit", "Noto Sans JP", "Brand Serif Bold"]
COMPOSITIONS = ["index.html", "compositions/intro.html", "scenes/scene-03.html"]
VOICES = ["Aria (warm)", "Marcus", "Lena — energetic"]
SESSION_TITLES = [
    "60-second product demo for Q4 launch",
    "Explainer: how invoicing works",
    "Welcome video for new customers",
    "Safety training refresher",
    "Social teaser for the summer sale",
    "Recruiting video — engineering",
    "Release walkthrough 3.0",
    "Thank-you note to beta users",
]
PROMPTS = [
    "Make a 60-second product demo for our Q4 launch.",
    "Explain our invoicing flow to finance teams in under a minute.",
    "A warm welcome video for new customers, friendly tone.",
    "Turn this safety checklist into a short training video.",
]
LANGUAGES = ["es-ES", "de-DE", "fr-FR", "ja-JP", "pt-BR"]


def hex_id(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def seeded_age(rng: random.Random, index: int, count: int) -> float:
    """The newest fifth (at least two) is minutes old, so some work is in flight; the rest spread
    from a quarter hour to four months."""
    if index < max(2, count // 5):
        return rng.uniform(5.0, 480.0)
    return math.exp(rng.uniform(math.log(900.0), math.log(120 * DAY)))


def failure_text(variants: list[str], seed: float) -> str:
    """One variant of a cause with its variable parts filled, the same for the same seed."""
    rng = random.Random(seed)
    variant, asset = rng.choice(variants), rng.choice(ASSETS)
    return variant.format(
        asset=asset,
        secs=rng.randint(10, 120),
        http=rng.choice([403, 404, 410]),
        url=f"https://assets.example.com/{hex_id(rng, 8)}/{quote(asset)}",
        frame=rng.randint(1, 5400),
        clock=f"00:{rng.randint(0, 4):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}",
        font=rng.choice(FONTS),
        limit=rng.choice([600, 900, 1800]),
        composition=rng.choice(COMPOSITIONS),
        mb=rng.randint(2048, 8192),
        minutes=rng.randint(241, 600),
        lang=rng.choice(["tl", "sw", "eu", "haw", *LANGUAGES]),
        voice=rng.choice(VOICES),
        chars=rng.randint(5001, 9000),
    )


def new_render(
    rng: random.Random, seq: int, created: float, *, fail: bool | None = None, fail_share: float = 0.12
) -> Record:
    fail = rng.random() < fail_share if fail is None else fail
    t_start = created + rng.uniform(5, 40)
    t_end = t_start + rng.uniform(45, 420)
    fields: dict[str, Any] = {
        "title": rng.choice(RENDER_TITLES) if rng.random() > 0.08 else None,
        "callback_id": f"crm-{rng.randint(1000, 9999)}" if rng.random() < 0.25 else None,
        "fps": rng.choice([24, 25, 30, 30, 30, 60]),
        "quality": rng.choice(["draft", "standard", "standard", "high"]),
        "format": rng.choice(["mp4", "mp4", "mp4", "mp4", "webm", "mov"]),
        "resolution": rng.choice(["1080p", "1080p", "4k", None]),
        "aspect_ratio": rng.choice(["16:9", "16:9", "9:16", "1:1", None]),
        "composition": rng.choice(["index.html", "index.html", "compositions/intro.html"]),
    }
    plan = {
        "duration": round(rng.uniform(6, 180), 1),
        "failure_message": failure_text(rng.choice(FAILURES), created),
    }
    schedule = [(created, "queued"), (t_start, "rendering"), (t_end, "failed" if fail else "completed")]
    return Record("render", "hfr_" + hex_id(rng, 12), seq, int(created), schedule, fields, plan)


def new_clip_job(rng: random.Random, seq: int, created: float, *, outcome: str | None = None) -> Record:
    if outcome is None:
        roll = rng.random()
        outcome = "failed" if roll < 0.1 else "cancelled" if roll < 0.15 else "completed"
    t_start = created + rng.uniform(10, 60)
    t = t_start + rng.uniform(30, 120)
    clips = []
    for _ in range(rng.randint(2, 7)):
        t += rng.uniform(20, 90)
        clips.append(
            {
                "id": hex_id(rng, 32),
                "done_at": t,
                "outcome": "failed" if rng.random() < 0.08 else "completed",
                "title": rng.choice(CLIP_TITLES),
                "duration_seconds": round(rng.uniform(15, 90), 1),
                "aspect_ratio": rng.choice(["portrait", "portrait", "landscape", "square"]),
                "virality_score": rng.randint(35, 99),
            }
        )
    finish = t
    t_end = finish if outcome == "completed" else t_start + rng.uniform(0.2, 0.8) * (finish - t_start)
    fields = {
        "title": rng.choice(CLIP_JOB_TITLES),
        "input_language": rng.choice(["en", "en", "en", "es", "de"]),
        "source_duration": round(rng.uniform(300, 5400), 1),
        "callback_id": f"clips-{rng.randint(100, 999)}" if rng.random() < 0.3 else None,
    }
    failure = failure_text(rng.choice(CLIP_JOB_FAILURES), created)
    plan = {"clips": clips, "finish_at": finish, "failure_message": failure}
    schedule = [(created, "pending"), (t_start, "running"), (t_end, outcome)]
    return Record("clip_job", hex_id(rng, 32), seq, int(created), schedule, fields, plan)


def _message(t: float, role: str, content: str, kind: str = "text", ids: list[str] | None = None) -> Any:
    return {"role": role, "content": content, "type": kind, "created_at": int(t), "resource_ids": ids}


def new_session(
    rng: random.Random, seq: int, created: float, *, outcome: str | None = None
) -> tuple[Record, list[Record]]:
    """A session and the videos it will produce (main video first, then any translations)."""
    if outcome is None:
        outcome = rng.choice(["completed"] * 5 + ["failed", "waiting_for_input", "reviewing"])
    sid = hex_id(rng, 32)
    vid = hex_id(rng, 32)
    title = rng.choice(SESSION_TITLES)
    messages = [
        _message(created, "user", rng.choice(PROMPTS)),
        _message(created + 2, "model", "Got it. Drafting a script and storyboard."),
    ]
    if rng.random() < 0.25:
        # A long chat, so the 40-message cap on GET is exercised by seeded data.
        for i in range(24):
            messages.append(_message(created + 3 + i, "user", f"Tweak #{i + 1}: shorter intro, please."))
            messages.append(
                _message(created + 3.5 + i, "model", f"Updated the storyboard (revision {i + 2}).")
            )
    t_think = created + 30 + rng.uniform(0, 60)
    plan: dict[str, Any] = {"video_id": vid, "titled_at": created + rng.uniform(3, 10), "messages": messages}
    videos: list[Record] = []
    if outcome in ("waiting_for_input", "reviewing"):
        question = (
            "Which voice should narrate, warm or energetic?"
            if outcome == "waiting_for_input"
            else "The storyboard is ready for your review. Approve it to start rendering?"
        )
        messages.append(_message(t_think, "model", question))
        schedule = [(created, "thinking"), (t_think, outcome)]
        return Record("session", sid, seq, int(created), schedule, {"title": title}, plan), videos
    t_end = t_think + rng.uniform(120, 600)
    plan["finish_at"] = t_end
    messages.append(_message(t_think, "model", "Storyboard approved. Rendering your video now."))
    if outcome == "completed":
        messages.append(_message(t_end, "model", "Your video is ready.", "resource", [vid]))
    schedule = [(created, "thinking"), (t_think, "generating"), (t_end, outcome)]
    session = Record("session", sid, seq, int(created), schedule, {"title": title}, plan)
    videos.append(_video(rng, vid, sid, title, t_think, t_end, outcome, None))
    if outcome != "completed":
        # Its own generator, so the account's stays as it was before sessions had several causes.
        code, cause = random.Random(t_end).choice(SESSION_FAILURES)
        failure = failure_text([cause], t_end)
        messages.append(_message(t_end, "model", failure, "error"))
        videos[0].plan.update(failure_code=code, failure_message=failure)
    if outcome == "completed" and rng.random() < 0.5:
        t = t_end
        for lang in rng.sample(LANGUAGES, rng.randint(1, 2)):
            t += rng.uniform(60, 3600)
            tid = hex_id(rng, 32)
            videos.append(
                _video(rng, tid, sid, f"{title} ({lang})", t, t + rng.uniform(60, 400), "completed", lang)
            )
    return session, videos


def _video(
    rng: random.Random,
    vid: str,
    session_id: str,
    title: str | None,
    created: float,
    t_end: float,
    outcome: str,
    language: str | None,
) -> Record:
    fields = {
        "title": title,
        "folder_id": f"folder_{hex_id(rng, 8)}" if rng.random() < 0.2 else None,
        "output_language": language,
        "video_page_url": "https://app.heygen.com/video/" + quote(vid, safe=""),
    }
    plan = {"duration": round(rng.uniform(20, 120), 1), "captions": rng.random() < 0.5}
    schedule = [(created, "pending"), (created + 8, "processing"), (t_end, outcome)]
    return Record("video", vid, 0, int(created), schedule, fields, plan, parent=session_id)


def new_video(rng: random.Random, seq: int, created: float, session_id: str) -> Record:
    rec = _video(
        rng, hex_id(rng, 32), session_id, None, created, created + rng.uniform(60, 300), "completed", None
    )
    rec.seq = seq
    return rec
