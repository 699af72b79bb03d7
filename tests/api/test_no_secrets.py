"""The key and tokens never reach a log line, a repr, or an error message."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hfdash.api.client import HeyGenClient
from hfdash.api.errors import ApiError
from hfdash.api.log import configure_file_log
from hfdash.api.resources import iterate_pages
from hfdash.api.retry import RetryPolicy
from hfdash.config.credentials import Credential, Secret
from hfdash.simulator import Simulator
from tests.api.conftest import MakeClient
from tests.conftest import TEST_KEY


async def test_debug_log_and_errors_never_hold_a_secret(
    make_client: MakeClient, sim: Simulator, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    log_file = tmp_path / "logs" / "hfdash.log"
    configure_file_log(log_file)
    caplog.set_level(logging.DEBUG, logger="hfdash")
    tokens = sim.state.issue_oauth_tokens()
    oauth = Credential(
        kind="oauth",
        source="test",
        access_token=Secret("sim_at_stale_value"),
        refresh_token=Secret(tokens["refresh_token"]),
    )
    api_client = make_client()
    oauth_client = make_client(oauth)
    page_tokens = [
        p.next_token
        async for p in iterate_pages(lambda token: api_client.renders.list(10, token))
        if p.next_token
    ]
    await oauth_client.clip_jobs.list(limit=1)
    errors: list[ApiError] = []
    for fault in ("401", "403", "404", "429", "500", "502", "malformed", "wrong_content_type"):
        sim.state.faults.add(fault, count=1)
        try:
            await make_client(retry=RetryPolicy(max_retries=0)).renders.list()
        except ApiError as exc:
            errors.append(exc)
    assert len(errors) == 8
    secrets = [TEST_KEY, tokens["refresh_token"], "sim_at_stale_value", *page_tokens]
    new_access = oauth_client.credential.access_token
    assert new_access is not None
    secrets.append(new_access.reveal())
    texts = [caplog.text, log_file.read_text()]
    texts += [str(e) for e in errors] + [repr(e) for e in errors]
    texts += [repr(api_client), str(api_client), repr(oauth_client), repr(oauth_client.credential)]
    assert "x-api-key" not in caplog.text.lower() or "<redacted>" in caplog.text
    assert page_tokens and "#" in caplog.text  # pagination tokens show as short hashes
    for text in texts:
        for secret in secrets:
            assert secret not in text
    assert log_file.stat().st_mode & 0o077 == 0
    configure_file_log(log_file)  # a second call must not add a second handler
    root = logging.getLogger("hfdash")
    mine = [h for h in root.handlers if isinstance(h, logging.FileHandler)]
    assert len(mine) == 1
    root.removeHandler(mine[0])
    mine[0].close()
    root.setLevel(logging.NOTSET)


def test_secret_and_credential_reprs_hide_values() -> None:
    secret = Secret(TEST_KEY)
    credential = Credential(kind="api_key", source="HEYGEN_API_KEY", api_key=secret)
    for text in (repr(secret), str(secret), f"{secret}", repr(credential), str(credential)):
        assert TEST_KEY not in text
    assert repr(secret) == "Secret('****')"
    assert secret.reveal() == TEST_KEY
    client = HeyGenClient(credential)
    assert TEST_KEY not in repr(client) and "HEYGEN_API_KEY" in repr(client)
    assert client.credential.source == "HEYGEN_API_KEY"


def test_a_log_file_that_exists_is_made_readable_by_its_owner_only(tmp_path: Path) -> None:
    log_file = tmp_path / "hfdash.log"
    log_file.write_text("an earlier run\n")
    log_file.chmod(0o644)
    configure_file_log(log_file)
    root = logging.getLogger("hfdash")
    try:
        assert log_file.stat().st_mode & 0o077 == 0
        logging.getLogger("hfdash.test").info("this run")
        assert log_file.read_text().startswith("an earlier run\n")
    finally:
        for handler in [h for h in root.handlers if isinstance(h, logging.FileHandler)]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(logging.NOTSET)
