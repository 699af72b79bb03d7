"""Untrusted text and shape drift: what a client must survive without crashing or being fooled."""

from __future__ import annotations

from typing import Any

HOSTILE_STRINGS = [
    "[bold red]x[/]",
    "\x1b[31mred alert\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "ctrl \x00\x07\x08 chars\r\nsecond line\ttab",
    "[link=https://evil.example]click me[/link] [/] [@click=app.quit]quit[/]",
    "\u202eevil.mp4\u202c zero\u200bwidth",
    "wide 漢字テスト 🎬🎬 and e\u0301 combining",
    "10 KB: " + ("Long title that never ends. " * 366)[:10_240],
]
HOSTILE_IDS = {
    "render": ["hfr_../../etc/passwd", "hfr_nested/child", "..", "hfr_%2e%2e%2fescape"],
    "clip_job": ["../clip-job", "job/with/slashes"],
    "session": ["sess_../..", "sess/slash"],
    "video": ["vid_../../x", "vid/slash"],
}
_TEXT_FIELDS = ("title", "failure_message", "content")


def hostile_text(index: int) -> str:
    return HOSTILE_STRINGS[index % len(HOSTILE_STRINGS)]


def make_hostile(body: Any) -> Any:
    """Swap every display string in a response for hostile text, leaving ids and URLs intact."""
    counter = [0]

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(x) for x in node]
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key in _TEXT_FIELDS and isinstance(value, str):
                    out[key] = hostile_text(counter[0])
                    counter[0] += 1
                else:
                    out[key] = walk(value)
            return out
        return node

    return walk(body)


_OPTIONAL_DROPS = ("thumbnail_url", "callback_id", "composition", "gif_url", "folder_id", "input_language")
_NUMBERS = ("duration", "fps", "source_duration", "created_at", "completed_at", "duration_seconds")


def _drift_item(item: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in item.items() if k not in _OPTIONAL_DROPS}
    if "status" in out:
        out["status"] = "archived_v2"
    for key in _NUMBERS:
        if isinstance(out.get(key), int | float) and not isinstance(out.get(key), bool):
            out[key] = str(out[key])
    out["x_experimental"] = {"rollout": "b", "weights": [1, 2, 3]}
    out["region"] = "eu-west-1"
    return out


def make_drift(body: Any) -> Any:
    """An API that moved on: unknown status values, missing optional fields, extra fields,
    numbers sent as strings, and an unknown top-level key."""
    if not isinstance(body, dict) or "data" not in body:
        return body
    out = dict(body)
    data = body["data"]
    if isinstance(data, list):
        out["data"] = [_drift_item(x) if isinstance(x, dict) else x for x in data]
    elif isinstance(data, dict):
        out["data"] = _drift_item(data)
    out["request_meta"] = {"api_version": "v3.9", "deprecations": []}
    return out
