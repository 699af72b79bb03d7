"""HTTPS against the simulator with a throwaway CA, trusted through SSL_CERT_FILE as httpx reads it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hfdash.api.client import HeyGenClient
from hfdash.api.errors import CertificateError, OAuthRefreshError
from hfdash.api.files import FileClient
from hfdash.config.credentials import resolve_credential
from hfdash.services.downloads.engine import DownloadError, transfer
from hfdash.simulator import Simulator
from tests.api.conftest import FAST, StateRecorder, api_key_credential, every_kind_of_request
from tests.conftest import TlsFiles
from tests.oauth_files import write_credentials
from tests.services.conftest import listing


async def test_everything_works_over_https_with_the_ca_from_ssl_cert_file(
    tls_sim: Simulator, tls_files: TlsFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files.ca))
    await every_kind_of_request(tls_sim, tls_sim.url, tmp_path / "downloads")


async def test_an_untrusted_certificate_is_one_clear_error_naming_the_host(tls_sim: Simulator) -> None:
    states = StateRecorder()
    async with HeyGenClient(
        api_key_credential(), base_url=tls_sim.url, retry=FAST, on_state=states
    ) as client:
        with pytest.raises(CertificateError) as caught:
            await client.renders.list()
    message = str(caught.value)
    assert message.startswith("the certificate of 127.0.0.1 is not trusted (")
    assert "SSL_CERT_FILE" in message and "Traceback" not in message
    # No request was answered, and none was tried again: a retry cannot make it trusted.
    assert client.request_count == 1 and tls_sim.state.request_log == []
    assert states.kinds == ["offline"]


async def test_an_untrusted_sign_in_server_is_named(tls_sim: Simulator) -> None:
    write_credentials(tls_sim.state.issue_oauth_tokens(), expires_in=30)
    credential = resolve_credential()
    assert credential is not None
    url = f"{tls_sim.url}/v1/oauth/token"
    async with HeyGenClient(credential, base_url=tls_sim.url, oauth_token_url=url, retry=FAST) as client:
        with pytest.raises(
            CertificateError, match=r"^the certificate of the sign-in server 127\.0\.0\.1 is not"
        ):
            await client.renders.list()
    assert not isinstance(CertificateError("x"), OAuthRefreshError)


async def test_an_untrusted_file_host_stops_the_download_at_once(tls_sim: Simulator, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    url = str(tls_sim.state.add_render(status="completed")["video_url"])

    async def source() -> str:
        return url

    with (
        FileClient() as files,
        pytest.raises(DownloadError, match=r"^the certificate of the file host 127\.0\.0\.1 is not trusted"),
    ):
        await transfer(files, source, folder, "f.mp4", retry_delay=0.0)
    assert tls_sim.state.request_log == []
    assert listing(folder) == []  # not even an empty .part


@pytest.fixture
def hashed_ca_dir(tls_files: TlsFiles, tmp_path: Path) -> Path:
    """The CA under its OpenSSL subject-hash name, as `openssl rehash` lays out a directory."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl names the file in a CA directory")
    command = ["openssl", "x509", "-hash", "-noout", "-in", str(tls_files.ca)]
    hashed = subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    folder = tmp_path / "certs"
    folder.mkdir()
    shutil.copy(tls_files.ca, folder / f"{hashed}.0")
    return folder


async def test_a_hashed_ca_directory_in_ssl_cert_dir_is_trusted_too(
    tls_sim: Simulator, hashed_ca_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_DIR", str(hashed_ca_dir))
    async with HeyGenClient(api_key_credential(), base_url=tls_sim.url, retry=FAST) as client:
        assert len((await client.renders.list(limit=2)).items) == 2
