"""The client's transport loads no certificates for plain HTTP, and never speaks TLS without them."""

from __future__ import annotations

import ssl
import subprocess
import sys

import httpx
import pytest

from hfdash.api import ConnectError, HeyGenClient
from hfdash.api.transport import LazyTlsTransport
from hfdash.simulator import Simulator
from tests.api.conftest import MakeClient


def _context(transport: httpx.AsyncHTTPTransport) -> ssl.SSLContext:
    context = transport._pool._ssl_context
    assert context is not None
    return context


async def test_plain_http_builds_no_tls_pool(sim: Simulator, client: HeyGenClient) -> None:
    await client.renders.list(limit=1)
    transport = client._http()._transport
    assert isinstance(transport, LazyTlsTransport)
    assert transport._tls is None
    assert transport._plain is not None
    plain = _context(transport._plain)
    # Nothing is trusted, and nothing goes unverified.
    assert plain.verify_mode is ssl.CERT_REQUIRED and plain.check_hostname
    assert plain.cert_store_stats()["x509_ca"] == 0


def test_https_gets_httpx_own_verifying_pool() -> None:
    transport = LazyTlsTransport()
    tls = transport._for("https")
    assert tls is not transport._for("http")
    context = _context(tls)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0


async def test_https_to_a_plain_server_fails_as_a_connection_error(
    sim: Simulator, make_client: MakeClient
) -> None:
    client = make_client(base_url=sim.url.replace("http://", "https://"))
    with pytest.raises(ConnectError):
        await client.renders.list(limit=1)


def test_building_a_client_imports_no_httpx() -> None:
    code = (
        "import sys\n"
        "from hfdash.api import HeyGenClient\n"
        "from hfdash.config.credentials import Credential, Secret\n"
        "HeyGenClient(Credential(kind='api_key', source='test', api_key=Secret('k')))\n"
        "print('httpx' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
