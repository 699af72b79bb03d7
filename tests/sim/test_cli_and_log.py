"""The `hfdash sim` entry point, the /_sim/ control surface and the request log."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from hfdash.simulator import Simulator
from hfdash.simulator.cli import build_parser

from .conftest import API_KEY, Http


def test_cli_prints_the_two_lines_first_and_exits_cleanly(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "hfdash.simulator", "--port", "0", "--seed", "3", "--log", str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().rstrip("\n")
        second = proc.stdout.readline().rstrip("\n")
        assert first.startswith("HEYGEN_API_URL=http://127.0.0.1:")
        assert second.startswith("HEYGEN_API_KEY=sim_")
        url, key = first.split("=", 1)[1], second.split("=", 1)[1]
        reply = Http(url, key).get("/v3/hyperframes/renders")
        assert reply.status == 200 and len(reply.json()["data"]) == 10
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert entries[0]["path"] == "/v3/hyperframes/renders" and entries[0]["status"] == 200
    assert key not in log.read_text()


def test_cli_flags_parse() -> None:
    args = build_parser().parse_args(
        ["--api-key", "k", "--clip-jobs", "3", "--url-ttl", "5", "--fault-rate", "0.1", "--hostile"]
    )
    assert args.api_key == "k" and args.clip_jobs == 3 and args.url_ttl == 5.0 and args.hostile


def test_request_log_records_without_secrets(sim: Simulator, api: Http) -> None:
    render = sim.state.add_render(status="completed")
    tokens = sim.state.issue_oauth_tokens()
    api.get("/v3/hyperframes/renders?limit=2")
    api.get("/v3/video-agents", headers={"Authorization": f"Bearer {tokens['access_token']}"}, auth=False)
    api.get("/v3/ai-clipping", auth=False)
    api.get(render["video_url"], auth=False)
    log = sim.state.request_log
    assert [e["auth"] for e in log] == ["api_key", "bearer", None, None]
    assert [e["status"] for e in log] == [200, 200, 401, 200]
    assert log[0]["query"] == {"limit": "2"} and log[0]["method"] == "GET"
    assert log[3]["query"] == {} and "?" not in log[3]["path"]
    assert all(isinstance(e["t"], float) and isinstance(e["sim_t"], float) for e in log)
    text = json.dumps(log)
    assert API_KEY not in text and str(tokens["access_token"]) not in text
    assert "Signature" not in text


def test_control_surface(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim()
    api = Http(sim.url, sim.api_key)
    before = api.control("GET", "now")["now"]
    assert api.control("POST", "advance", {"seconds": 30})["now"] == before + 30
    api.control("POST", "faults", {"kind": "429", "count": 1, "retry_after": 2})
    assert api.get("/v3/hyperframes/renders").status == 429
    api.control("POST", "faults", {"kind": "500", "rate": 1.0})
    api.control("DELETE", "faults")
    assert api.get("/v3/hyperframes/renders").status == 200
    added = api.control("POST", "items/render", {"status": "rendering", "title": "via control"})["data"]
    assert api.get("/v3/hyperframes/renders?limit=1").json()["data"][0]["render_id"] == added["render_id"]
    api.control("POST", f"items/render/{added['render_id']}/status", {"status": "completed"})
    got = api.get("/v3/hyperframes/renders/" + added["render_id"]).json()["data"]
    assert got["status"] == "completed"
    session = api.control("POST", "items/session", {})["data"]
    video = api.control("POST", "items/video", {"session_id": session["session_id"], "status": "failed"})
    assert video["data"]["status"] == "failed"
    log = api.control("GET", "log")["data"]
    assert log and all(not e["path"].startswith("/_sim/") for e in log)
    api.control("POST", "reset", {"renders": 3})
    assert len(api.get("/v3/hyperframes/renders").json()["data"]) == 3
    assert len(api.control("GET", "log")["data"]) == 1
    tokens = api.control("POST", "oauth/tokens", {"expires_in": 60})
    assert (
        api.get("/v3/video-agents", headers={"Authorization": f"Bearer {tokens['access_token']}"}).status
        == 200
    )
    bad = api.request("POST", "/_sim/faults", body=b'{"kind": "teapot"}', auth=False)
    assert bad.status == 400


def test_python_reset_clears_faults_and_log(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("500", rate=1.0)
    assert api.get("/v3/ai-clipping").status == 500
    sim.state.reset(sim.state.cfg)
    assert sim.state.request_log == [] and sim.state.faults.rules == []
    assert api.get("/v3/ai-clipping").status == 200
