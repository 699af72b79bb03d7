"""Putting ids the server (or a user) handed us into request paths.

An id is opaque (contract §11.9) and untrusted: each one is escaped like
`encodeURIComponent`, as both CLIs do, so `/`, `?` or `#` inside it cannot change
which endpoint is called. Ids that would still mean "this directory" or "the parent"
after the server decodes them are refused outright.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from hfdash.api.errors import UnsafePathError

# encodeURIComponent leaves exactly these unescaped besides letters and digits.
_SAFE = "-_.!~*'()"
_DOT_SEGMENTS = frozenset({"", ".", ".."})


def segment(value: str) -> str:
    if unquote(value) in _DOT_SEGMENTS:
        shown = repr(value) if len(value) < 20 else "an id"
        raise UnsafePathError(f"{shown} cannot be used as an id in a request path")
    return quote(value, safe=_SAFE)
