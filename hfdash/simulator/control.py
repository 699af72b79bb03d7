"""The /_sim/ control surface, for tests that drive the simulator from another process.

Loopback-only test tooling: no auth, never logged, never faulted.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any
from urllib.parse import unquote

from .config import SimConfig
from .state import KINDS, SimState

_CONFIG_FIELDS = {f.name for f in dataclasses.fields(SimConfig)}


def _kind(raw: str) -> str:
    kind = raw.replace("-", "_")
    if kind not in KINDS and kind.endswith("s") and kind[:-1] in KINDS:
        kind = kind[:-1]
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    return kind


def handle(state: SimState, method: str, path: str, body: bytes) -> tuple[int, Any]:
    try:
        payload = json.loads(body) if body.strip() else {}
        if not isinstance(payload, dict):
            raise ValueError("body must be a JSON object")
        return _handle(state, method, [unquote(p) for p in path.split("/")[2:]], payload)
    except (ValueError, TypeError) as exc:
        return 400, {"error": str(exc)}
    except KeyError as exc:
        return 404, {"error": str(exc)}


def _handle(state: SimState, method: str, seg: list[str], payload: dict[str, Any]) -> tuple[int, Any]:
    route = (method, *seg[:1])
    if route == ("GET", "now"):
        return 200, {"now": state.now()}
    if route == ("POST", "advance"):
        state.advance(float(payload.get("seconds", 0)))
        return 200, {"now": state.now()}
    if route == ("POST", "faults"):
        state.faults.add(**payload)
        return 200, {"ok": True}
    if route == ("DELETE", "faults"):
        state.faults.clear()
        return 200, {"ok": True}
    if route == ("GET", "log"):
        return 200, {"data": state.request_log}
    if route == ("POST", "reset"):
        unknown = set(payload) - _CONFIG_FIELDS
        if unknown:
            raise ValueError(f"unknown config fields: {sorted(unknown)}")
        state.reset(dataclasses.replace(state.cfg, **payload))
        return 200, {"ok": True, "now": state.now()}
    if route == ("POST", "oauth") and seg[1:] == ["tokens"]:
        return 200, state.issue_oauth_tokens(int(payload.get("expires_in", 3600)))
    if route == ("POST", "oauth") and seg[1:] == ["revoke"]:
        state.revoke_refresh_tokens()
        return 200, {"ok": True}
    if seg[:1] == ["items"] and len(seg) >= 2:
        return _items(state, method, _kind(seg[1]), seg[2:], payload)
    return 404, {"error": f"no control route {method} /_sim/{'/'.join(seg)}"}


def _items(
    state: SimState, method: str, kind: str, rest: list[str], payload: dict[str, Any]
) -> tuple[int, Any]:
    if method == "POST" and not rest:
        if kind == "video":
            session_id = payload.pop("session_id")
            return 200, {"data": state.add_video(str(session_id), **payload)}
        adders = {"render": state.add_render, "clip_job": state.add_clip_job, "session": state.add_session}
        return 200, {"data": adders[kind](**payload)}
    if method == "POST" and len(rest) == 2 and rest[1] == "status":
        status = payload.pop("status")
        state.set_status(kind, rest[0], str(status), **payload)
        return 200, {"ok": True}
    if method == "DELETE" and len(rest) == 1:
        state.delete(kind, rest[0])
        return 200, {"ok": True}
    return 404, {"error": "no such item route"}
