"""OAuth refresh: rotation, single use, bearer expiry and revocation."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from hfdash.simulator import Simulator

from .conftest import Http

FORM = {"content-type": "application/x-www-form-urlencoded"}


def refresh(api: Http, token: str) -> tuple[int, dict[str, object]]:
    body = urlencode({"grant_type": "refresh_token", "refresh_token": token, "client_id": "cli"}).encode()
    reply = api.request("POST", "/v1/oauth/token", headers=FORM, body=body, auth=False)
    data: dict[str, object] = reply.json()
    return reply.status, data


def bearer(api: Http, token: str) -> int:
    return api.get("/v3/video-agents", headers={"Authorization": f"Bearer {token}"}, auth=False).status


def test_issued_tokens_work_and_refresh_rotates(sim: Simulator, api: Http) -> None:
    issued = sim.state.issue_oauth_tokens()
    assert set(issued) >= {"access_token", "refresh_token", "expires_at"}
    assert str(issued["expires_at"]).endswith("Z")
    assert bearer(api, str(issued["access_token"])) == 200
    status, body = refresh(api, str(issued["refresh_token"]))
    assert status == 200
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["scope"]
    assert body["refresh_token"] != issued["refresh_token"]
    assert bearer(api, str(body["access_token"])) == 200
    status, again = refresh(api, str(issued["refresh_token"]))
    assert status == 400 and again["error"] == "invalid_grant"
    status, _ = refresh(api, str(body["refresh_token"]))
    assert status == 200


def test_bad_requests(api: Http) -> None:
    status, body = refresh(api, "never-issued")
    assert status == 400 and body["error"] == "invalid_grant"
    reply = api.request("POST", "/v1/oauth/token", headers=FORM, body=b"grant_type=password", auth=False)
    assert reply.status == 400 and reply.json()["error"] == "unsupported_grant_type"


def test_bearer_expires_by_sleep_or_by_advance(sim: Simulator, api: Http) -> None:
    short = sim.state.issue_oauth_tokens(expires_in=1)
    long = sim.state.issue_oauth_tokens(expires_in=60)
    assert bearer(api, str(short["access_token"])) == 200
    time.sleep(1.05)
    reply = api.get(
        "/v3/video-agents", headers={"Authorization": f"Bearer {short['access_token']}"}, auth=False
    )
    assert reply.status == 401 and reply.json()["error"]["code"] == "authentication_failed"
    assert bearer(api, str(long["access_token"])) == 200
    sim.state.advance(61)
    assert bearer(api, str(long["access_token"])) == 401
    assert bearer(api, "made-up") == 401


def test_revoke_refresh_tokens(sim: Simulator, api: Http) -> None:
    issued = sim.state.issue_oauth_tokens()
    sim.state.revoke_refresh_tokens()
    status, body = refresh(api, str(issued["refresh_token"]))
    assert status == 400 and body["error"] == "invalid_grant"
