"""The TLS settings every API connection uses, built without importing httpx.

What `httpx.create_ssl_context()` builds by default (certifi's CA bundle, or the one
SSL_CERT_FILE or SSL_CERT_DIR names), offering HTTP/1.1 by ALPN: the transport's
connections and the early first-page request check certificates alike.
"""

from __future__ import annotations

import os
import ssl


def client_context() -> ssl.SSLContext:
    if os.environ.get("SSL_CERT_FILE"):
        context = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    elif os.environ.get("SSL_CERT_DIR"):
        context = ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    else:
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
    context.set_alpn_protocols(["http/1.1"])
    return context
