"""The simulated account: seeded items, the clock, soft deletes, fault knobs and the request log.

Everything here sits behind one re-entrant lock. Route handlers call the query methods, which take
the lock only while building a response body; file bytes are streamed by the server outside it.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import data, hostile
from .config import SimConfig
from .errors import bad_path, not_found
from .faults import FaultSet
from .lifecycle import (
    Record,
    clip_job_view,
    file_keys,
    render_view,
    session_item_view,
    session_view,
    video_view,
)
from .oauth import OAuthStore
from .paging import Index, decode_token, encode_token, parse_limit
from .signing import Signer

KINDS = ("render", "clip_job", "session", "video")
ID_FIELD = {"render": "render_id", "clip_job": "id", "session": "session_id", "video": "id"}
# Fields that feed lifecycles or file keys; others given to add_*/set_status are shown verbatim.
STATIC_FIELDS = {
    "render": {
        "title",
        "callback_id",
        "fps",
        "quality",
        "format",
        "resolution",
        "aspect_ratio",
        "composition",
    },
    "clip_job": {"title", "input_language", "source_duration", "callback_id"},
    "session": {"title"},
    "video": {"title", "folder_id", "output_language", "video_page_url"},
}
PLAN_FIELDS = {
    "render": {"duration", "failure_message"},
    "clip_job": {"failure_message"},
    "session": {"video_id"},
    "video": {"duration", "failure_code", "failure_message", "captions"},
}
DEFAULT_LIMIT = {"render": 10, "clip_job": 10, "session": 20}


class SimState:
    def __init__(self, cfg: SimConfig | None = None) -> None:
        self._lock = threading.RLock()
        cfg = cfg or SimConfig()
        self.cfg: SimConfig = cfg
        self.faults = FaultSet(self._lock, cfg.seed)
        self.base_url = "http://127.0.0.1:0"
        self.reset(cfg)

    # ------------------------------------------------------------------ setup and clock

    def reset(self, cfg: SimConfig | None = None) -> None:
        """A fresh seeded account; clears faults, tokens and the request log."""
        with self._lock:
            cfg = replace(cfg) if cfg is not None else self.cfg
            self.cfg = cfg
            self._mono0 = time.monotonic()
            self._sim0 = cfg.now if cfg.now is not None else time.time()
            self._offset = 0.0
            self._rng = random.Random(cfg.seed)
            self._seq = 0
            self._requests = 0
            self._items: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
            self._index: dict[str, Index] = {kind: Index() for kind in KINDS}
            self._revoked: set[str] = set()
            self._log: list[dict[str, Any]] = []
            secret = hashlib.sha256(f"hfdash-sim:{cfg.seed}".encode()).digest()
            self.signer = Signer(secret, cfg.url_ttl)
            self.oauth = OAuthStore()
            self.faults.clear()
            self.faults.reseed(cfg.seed)
            if cfg.fault_rate > 0:
                self.faults.add("transient", rate=cfg.fault_rate)
            for kind in cfg.header_faults:
                self.faults.add(kind, rate=1.0)
            self._seed_account()

    def now(self) -> float:
        with self._lock:
            return self._sim0 + (time.monotonic() - self._mono0) * self.cfg.speed + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += float(seconds)

    def _register(self, rec: Record, *, indexed: bool = True) -> Record:
        if rec.id in self._items[rec.kind]:
            raise ValueError(f"a {rec.kind} with id {rec.id!r} already exists")
        self._seq += 1
        rec.seq = self._seq
        self._items[rec.kind][rec.id] = rec
        if indexed:
            self._index[rec.kind].add(rec)
        return rec

    def _seed_account(self) -> None:
        rng, now, cfg = self._rng, self.now(), self.cfg
        made: list[Record] = []
        for i in range(cfg.renders):
            created = now - data.seeded_age(rng, i, cfg.renders)
            made.append(data.new_render(rng, 0, created, fail_share=cfg.render_failures))
        for i in range(cfg.clip_jobs):
            made.append(data.new_clip_job(rng, 0, now - data.seeded_age(rng, i, cfg.clip_jobs)))
        for i in range(cfg.sessions):
            # The newest session always reaches generating, so a fresh account shows one in flight.
            outcome = "completed" if i == 0 else None
            age = rng.uniform(100, 200) if i == 0 else data.seeded_age(rng, i, cfg.sessions)
            session, videos = data.new_session(rng, 0, now - age, outcome=outcome)
            made += [session, *videos]
        if cfg.hostile:
            made += self._hostile_items(rng, now)
        # Oldest first, so seq (the tie-break in list order) grows with age like a real table.
        for rec in sorted(made, key=lambda r: r.sort_t):
            self._register(rec, indexed=False)
        self._index = {kind: Index.of(self._items[kind].values()) for kind in KINDS}

    def _hostile_items(self, rng: random.Random, now: float) -> list[Record]:
        made: list[Record] = []
        n = 0
        for kind in ("render", "clip_job", "session"):
            for hid in [*hostile.HOSTILE_IDS[kind], *([None] * len(hostile.HOSTILE_STRINGS))]:
                created = now - rng.uniform(600, 3 * data.DAY)
                videos: list[Record] = []
                if kind == "render":
                    rec = data.new_render(rng, 0, created, fail=n % 3 == 0)
                    rec.plan["failure_message"] = hostile.hostile_text(n + 1)
                elif kind == "clip_job":
                    rec = data.new_clip_job(rng, 0, created, outcome="completed")
                    for j, clip in enumerate(rec.plan["clips"]):
                        clip["title"] = hostile.hostile_text(n + j)
                else:
                    rec, videos = data.new_session(rng, 0, created, outcome="completed")
                    for j, msg in enumerate(rec.plan["messages"]):
                        msg["content"] = hostile.hostile_text(n + j)
                    if hid is not None:
                        videos[0].id = hostile.HOSTILE_IDS["video"][n % 2]
                        rec.plan["video_id"] = videos[0].id
                        for msg in rec.plan["messages"]:
                            if msg["resource_ids"]:
                                msg["resource_ids"] = [videos[0].id]
                    for video in videos:
                        video.parent = hid if hid is not None else rec.id
                rec.fields["title"] = hostile.hostile_text(n)
                if hid is not None:
                    rec.id = hid
                made += [rec, *videos]
                n += 1
        return made

    # ------------------------------------------------------------------ test-facing mutators

    def _apply_fields(self, rec: Record, fields: dict[str, Any]) -> None:
        for key, value in fields.items():
            if key == "created_at":
                # The index is ordered by creation time: take the record out while it moves.
                index = self._index[rec.kind]
                index.discard(rec)
                rec.created_at = value
                if self._items[rec.kind].get(rec.id) is rec:
                    index.add(rec)
            elif key in STATIC_FIELDS[rec.kind]:
                rec.fields[key] = value
            elif key in PLAN_FIELDS[rec.kind]:
                rec.plan[key] = value
            else:
                rec.overrides[key] = value

    def _add(self, rec: Record, fields: dict[str, Any]) -> dict[str, Any]:
        fields = dict(fields)
        new_id = fields.pop(ID_FIELD[rec.kind], None)
        if new_id is not None:
            rec.id = str(new_id)
        status = fields.pop("status", None)
        if status is not None:
            rec.pinned, rec.pinned_at = str(status), self.now()
        self._apply_fields(rec, fields)
        self._register(rec)
        return self._view(rec, coarse=False)

    def add_render(self, **fields: Any) -> dict[str, Any]:
        with self._lock:
            return self._add(data.new_render(self._rng, 0, self.now(), fail=False), fields)

    def add_clip_job(self, **fields: Any) -> dict[str, Any]:
        with self._lock:
            return self._add(data.new_clip_job(self._rng, 0, self.now(), outcome="completed"), fields)

    def add_session(self, **fields: Any) -> dict[str, Any]:
        with self._lock:
            session, videos = data.new_session(self._rng, 0, self.now(), outcome="completed")
            pinned = fields.get("status")
            view = self._add(session, fields)
            for video in videos:
                video.parent = session.id
                if pinned in ("completed", "failed"):
                    # A session pinned at its end has its videos already made, not still ahead of it.
                    video.pinned, video.pinned_at = str(pinned), self.now()
                    video.created_at = int(self.now())
                self._register(video)
            return self._view(session, coarse=False) if pinned else view

    def add_video(self, session_id: str, **fields: Any) -> dict[str, Any]:
        with self._lock:
            if session_id not in self._items["session"]:
                raise KeyError(f"no session {session_id!r}")
            return self._add(data.new_video(self._rng, 0, self.now(), session_id), fields)

    def set_status(self, kind: str, item_id: str, status: str, **fields: Any) -> None:
        """Pin an item at a status from now on; other fields are set as add_* sets them."""
        with self._lock:
            rec = self._record(kind, item_id)
            rec.pinned, rec.pinned_at = status, self.now()
            self._apply_fields(rec, fields)

    def delete(self, kind: str, item_id: str) -> None:
        with self._lock:
            self._delete(self._record(kind, item_id))

    def _record(self, kind: str, item_id: str) -> Record:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        rec = self._items[kind].get(item_id)
        if rec is None:
            raise KeyError(f"no {kind} {item_id!r}")
        return rec

    def _delete(self, rec: Record) -> None:
        self._revoked.update(file_keys(rec))
        if rec.kind == "video":
            # Documented as permanent, unlike renders and clip jobs.
            del self._items["video"][rec.id]
            self._index["video"].discard(rec)
        else:
            rec.deleted = True

    def issue_oauth_tokens(self, expires_in: int = 3600) -> dict[str, Any]:
        with self._lock:
            return self.oauth.issue(expires_in, self.now())

    def revoke_refresh_tokens(self) -> None:
        with self._lock:
            self.oauth.revoke_refresh()

    # ------------------------------------------------------------------ request log

    @property
    def request_log(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(entry) for entry in self._log]

    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._log.append(entry)
            if self.cfg.log_path:
                with Path(self.cfg.log_path).open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def next_request_id(self) -> str:
        with self._lock:
            self._requests += 1
            return f"req_{self.cfg.seed:x}_{self._requests:06d}"

    # ------------------------------------------------------------------ what routes ask

    def _mint(self, key: str) -> str:
        return self.signer.mint(self.base_url, key, self.now())

    def _live(self, kind: str, item_id: str) -> Record:
        if item_id == "":
            raise bad_path()
        rec = self._items[kind].get(item_id)
        if rec is None or rec.deleted or rec.sort_t > self.now():
            raise not_found(kind)
        return rec

    def _view(self, rec: Record, *, coarse: bool) -> dict[str, Any]:
        now = self.now()
        if rec.kind == "render":
            return render_view(rec, now, self._mint)
        if rec.kind == "clip_job":
            return clip_job_view(rec, now, self._mint, coarse=coarse)
        if rec.kind == "session":
            return session_item_view(rec, now) if coarse else session_view(rec, now)
        return video_view(rec, now, self._mint)

    def list_page(self, kind: str, query: dict[str, str], *, repeat_token: bool = False) -> dict[str, Any]:
        with self._lock:
            limit = parse_limit(query, DEFAULT_LIMIT[kind])
            token = query.get("token") or None
            cursor = decode_token(kind, token) if token else None
            items, has_more, nxt = self._index[kind].page(limit, cursor, self.now())
            next_token = encode_token(kind, nxt) if has_more else None
            if repeat_token:
                has_more, next_token = True, token or encode_token(kind, None)
            return {
                "data": [self._view(r, coarse=True) for r in items],
                "has_more": has_more,
                "next_token": next_token,
            }

    def get(self, kind: str, item_id: str) -> dict[str, Any]:
        with self._lock:
            return {"data": self._view(self._live(kind, item_id), coarse=False)}

    def session_videos(self, session_id: str) -> dict[str, Any]:
        with self._lock:
            self._live("session", session_id)
            videos = [v for v in self._index["video"].visible(self.now()) if v.parent == session_id]
            return {
                "data": [self._view(v, coarse=False) for v in videos],
                "has_more": False,
                "next_token": None,
            }

    def delete_via_api(self, kind: str, item_id: str) -> dict[str, Any]:
        with self._lock:
            rec = self._live(kind, item_id)
            self._delete(rec)
            if kind == "render":
                return {"data": {"render_id": rec.id}}
            if kind == "video":
                return {"data": {"id": rec.id, "deleted": True}}
            return {"data": {"id": rec.id}}

    def check_file(self, key: str, query: dict[str, str]) -> str:
        """ "ok", "expired", "denied" or "revoked"."""
        with self._lock:
            verdict = self.signer.verify(key, query)
            if verdict == "ok" and key in self._revoked:
                return "revoked"
            return verdict
