"""Requests to responses: the v3 endpoints, OAuth refresh and the presigned file host.

Nothing here touches sockets; the server turns a Response into bytes on the wire, streaming file
bodies outside the state lock.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from . import errors, files, hostile
from .errors import ApiError
from .faults import Effects
from .paging import encode_token
from .state import SimState

JSON = "application/json"
XML = "application/xml"


@dataclass
class FileStream:
    key: str
    start: int
    end: int


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    stream: FileStream | None = None


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""

    @property
    def segments(self) -> list[str]:
        # Split before decoding, so an escaped "/" inside an id stays part of that id.
        return [unquote(part) for part in self.path.split("/")[1:]]


def classify(path: str) -> str:
    """Which family a path belongs to, for fault matching: list, item, file, oauth or other."""
    if path.startswith("/files/"):
        return "file"
    if path == "/v1/oauth/token":
        return "oauth"
    if path in ("/v3/hyperframes/renders", "/v3/ai-clipping", "/v3/video-agents") or (
        path.startswith("/v3/video-agents/") and path.endswith("/videos")
    ):
        return "list"
    if path.startswith("/v3/"):
        return "item"
    return "other"


def auth_scheme(headers: dict[str, str]) -> str | None:
    if headers.get("x-api-key"):
        return "api_key"
    if headers.get("authorization", "").lower().startswith("bearer "):
        return "bearer"
    return None


def _json(status: int, obj: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return Response(status, body, JSON, dict(headers or {}))


def _error(err: ApiError) -> Response:
    return _json(err.status, err.body())


def _authorized(state: SimState, headers: dict[str, str]) -> bool:
    key = headers.get("x-api-key")
    if key is not None and hmac.compare_digest(key.encode(), state.cfg.api_key.encode()):
        return True
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        with state._lock:
            return state.oauth.valid(auth[7:].strip(), state.now())
    return False


def _route_v3(state: SimState, req: Request, effects: Effects) -> dict[str, Any]:
    seg, method = req.segments, req.method
    collections = {("v3", "hyperframes", "renders"): "render", ("v3", "ai-clipping"): "clip_job"}
    repeat = "repeat_token" in effects.transforms
    for prefix, kind in [
        *collections.items(),
        (("v3", "video-agents"), "session"),
        (("v3", "videos"), "video"),
    ]:
        n = len(prefix)
        if tuple(seg[:n]) != prefix:
            continue
        rest = seg[n:]
        if not rest and kind != "video":
            _allow(method, "GET")
            return state.list_page(kind, req.query, repeat_token=repeat)
        if len(rest) == 1:
            if kind == "session":
                _allow(method, "GET")
                return state.get(kind, rest[0])
            _allow(method, "GET", "DELETE")
            return state.get(kind, rest[0]) if method == "GET" else state.delete_via_api(kind, rest[0])
        if kind == "session" and len(rest) == 2 and rest[1] == "videos":
            _allow(method, "GET")
            return state.session_videos(rest[0])
        break
    raise ApiError(404, "not_found", "No route matches this path.")


def _allow(method: str, *allowed: str) -> None:
    if method not in allowed:
        raise ApiError(405, "method_not_allowed", f"{method} is not allowed here.")


def _fault_error(kind: str, path: str, effects: Effects, rid: str) -> Response:
    category = classify(path)
    if category == "file":
        if kind in ("expire_url", "401", "403"):
            return _expired(rid) if kind == "expire_url" else _xml(403, "AccessDenied", "Access Denied", rid)
        if kind == "404":
            return _xml(404, "NoSuchKey", "The specified key does not exist.", rid)
    if kind == "502":
        return Response(502, errors.PROXY_502, "text/html")
    if kind == "503":
        # Gateways often answer with no body at all.
        return Response(503, b"", "text/plain", {"Retry-After": "1"})
    if category == "file" and kind == "500":
        return _xml(500, "InternalError", "We encountered an internal error. Please try again.", rid)
    table = {
        "429": errors.rate_limited(),
        "500": errors.internal(),
        "401": errors.unauthorized(),
        "403": errors.forbidden(),
        "404": errors.ApiError(404, "not_found", "Resource not found."),
    }
    err = table[kind]
    if kind == "404" and category in ("list", "item"):
        err = errors.not_found(kind_for_path(path))
    resp = _error(err)
    if kind == "429":
        resp.headers["Retry-After"] = str(effects.retry_after)
    return resp


def kind_for_path(path: str) -> str:
    for prefix, kind in (
        ("/v3/hyperframes/", "render"),
        ("/v3/ai-clipping", "clip_job"),
        ("/v3/video-agents", "session"),
        ("/v3/videos/", "video"),
    ):
        if path.startswith(prefix):
            return kind
    return "render"


def _xml(status: int, code: str, message: str, rid: str, **extra: str) -> Response:
    return Response(status, errors.s3_error(code, message, rid, **extra), XML)


def _expired(rid: str) -> Response:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return _xml(403, "AccessDenied", "Request has expired", rid, Expires=now, ServerTime=now)


def _serve_file(state: SimState, req: Request, effects: Effects, rid: str) -> Response:
    if req.method not in ("GET", "HEAD"):
        return _xml(405, "MethodNotAllowed", "The specified method is not allowed.", rid)
    key = unquote(req.path[len("/files/") :])
    verdict = "expired" if effects.error == "expire_url" else state.check_file(key, req.query)
    if verdict == "expired":
        return _expired(rid)
    if verdict != "ok":
        return _xml(403, "AccessDenied", "Access Denied", rid)
    size = files.size_for(key, state.cfg.file_size)
    etag = hashlib.sha256(f"{key}:{size}".encode()).hexdigest()[:32]
    headers = {"Accept-Ranges": "bytes", "ETag": f'"{etag}"'}
    ranged = None if effects.no_range else files.parse_range(req.headers.get("range"), size)
    if ranged == "unsatisfiable":
        headers["Content-Range"] = f"bytes */{size}"
        return Response(416, b"", XML, headers)
    if isinstance(ranged, tuple):
        start, end = ranged
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
        return Response(206, b"", files.content_type_for(key), headers, FileStream(key, start, end))
    return Response(200, b"", files.content_type_for(key), headers, FileStream(key, 0, size))


def _oauth(state: SimState, req: Request) -> Response:
    if req.method != "POST":
        return _json(405, {"error": "invalid_request", "error_description": "POST only."})
    form = dict(parse_qsl(req.body.decode("utf-8", "replace")))
    with state._lock:
        status, body = state.oauth.refresh(form, state.cfg.token_ttl, state.now())
    return _json(status, body, {"Cache-Control": "no-store"})


def dispatch(state: SimState, req: Request, effects: Effects, rid: str) -> Response:
    category = classify(req.path)
    if effects.error is not None:
        return _fault_error(effects.error, req.path, effects, rid)
    if category == "file":
        return _serve_file(state, req, effects, rid)
    if category == "oauth":
        return _apply_transforms(_oauth(state, req), None, effects)
    if category == "other":
        return _error(ApiError(404, "not_found", "No route matches this path."))
    if not _authorized(state, req.headers):
        return _error(errors.unauthorized())
    try:
        obj = _route_v3(state, req, effects)
    except ApiError as err:
        return _error(err)
    return _apply_transforms(_json(200, obj), obj, effects, kind_for_path(req.path))


def _apply_transforms(resp: Response, obj: Any, effects: Effects, kind: str = "render") -> Response:
    if resp.status == 200 and obj is not None:
        changed = False
        if "has_more_empty" in effects.transforms and isinstance(obj.get("data"), list):
            token = obj.get("next_token") or encode_token(kind, None)
            obj = {"data": [], "has_more": True, "next_token": token}
            changed = True
        if "no_token" in effects.transforms and isinstance(obj.get("data"), list):
            # More is claimed, but no cursor is given to fetch it with.
            obj = {**obj, "has_more": True, "next_token": None}
            changed = True
        if "hostile" in effects.transforms:
            obj, changed = hostile.make_hostile(obj), True
        if "drift" in effects.transforms:
            obj, changed = hostile.make_drift(obj), True
        if changed:
            resp = _json(200, obj, resp.headers)
    if "malformed" in effects.transforms:
        resp.body = b"<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>"
    if "truncated" in effects.transforms:
        resp.body = resp.body[: max(1, len(resp.body) // 2)]
    if "wrong_content_type" in effects.transforms:
        resp.content_type = "text/html; charset=utf-8"
    return resp
