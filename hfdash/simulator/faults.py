"""Fault knobs: which requests misbehave, and how.

A rule fires for matching requests, for the next `count` of them, or each with probability `rate`
drawn from a seeded RNG (both: probabilistically, at most `count` times), or for every `every`-th
matching request (the 5th, 10th, ...), as a quota that refuses a steady share of the traffic would.
Errors short-circuit the request; the other kinds modify a real response, so they combine with each
other. The header kinds add odd but legal header lines to any answer, to show a client copes with
what real gateways send.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

ERRORS = frozenset({"429", "500", "502", "503", "401", "403", "404", "expire_url"})
BODY = frozenset({"malformed", "truncated", "wrong_content_type", "drift", "hostile"})
LIST_ONLY = frozenset({"has_more_empty", "repeat_token", "no_token"})
FILE_ONLY = frozenset({"drop", "no_range", "expire_url"})
# The request is carried out, then the connection closes before any answer: did it happen?
API_ONLY = frozenset({"lost_reply"})
# http.server writes header values as latin-1, so "é" goes out as the single byte 0xE9.
ODD_HEADERS: dict[str, list[tuple[str, str]]] = {
    "non_ascii_header": [("X-Request-Note", "café served")],
    "duplicate_headers": [("Set-Cookie", "sim_a=1; Path=/"), ("Set-Cookie", "sim_b=2; Path=/")],
    "huge_header": [("X-Padding", "p" * (64 * 1024 - len("X-Padding: \r\n")))],
}
KINDS = ERRORS | BODY | LIST_ONLY | FILE_ONLY | API_ONLY | set(ODD_HEADERS) | {"slow", "transient"}
TRANSIENT_API = ("429", "500", "502", "503", "slow", "truncated")
TRANSIENT_FILE = ("500", "503", "slow", "drop")


@dataclass
class FaultRule:
    kind: str
    count: int | None
    rate: float | None
    path_prefix: str
    method: str | None
    params: dict[str, Any]
    every: int | None = None
    # Matching requests seen so far, for `every`.
    seen: int = 0


@dataclass
class Effects:
    """What the faults chosen for one request do to it."""

    names: list[str] = field(default_factory=list)
    error: str | None = None
    delay: float = 0.0
    retry_after: int = 1
    transforms: list[str] = field(default_factory=list)
    drop_after: int | None = None
    drop: bool = False
    no_range: bool = False
    lost_reply: bool = False
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str | None:
        return "+".join(self.names) if self.names else None


def applies(kind: str, category: str) -> bool:
    """category is one of "list", "item", "file", "oauth", "other"."""
    if kind in FILE_ONLY:
        return category == "file"
    if kind in LIST_ONLY:
        return category == "list"
    if kind in API_ONLY:
        return category in ("list", "item")
    if kind in BODY:
        return category != "file"
    return True


class FaultSet:
    def __init__(self, lock: threading.RLock, seed: int) -> None:
        self._lock = lock
        self._rules: list[FaultRule] = []
        self._rng = random.Random(f"faults:{seed}")

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._rng = random.Random(f"faults:{seed}")

    def add(
        self,
        kind: str,
        *,
        count: int | None = None,
        rate: float | None = None,
        path_prefix: str = "",
        method: str | None = None,
        every: int | None = None,
        **params: Any,
    ) -> None:
        kind = str(kind)
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(KINDS)}")
        if every is not None and int(every) < 1:
            raise ValueError("every must be 1 or more")
        if count is None and rate is None and every is None:
            count = 1
        if rate is not None and not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be within 0..1")
        method = method.upper() if method else None
        rule = FaultRule(
            kind, count, rate, path_prefix, method, dict(params), None if every is None else int(every)
        )
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def pick(self, method: str, path: str, category: str) -> Effects:
        effects = Effects()
        with self._lock:
            for rule in list(self._rules):
                if rule.method and rule.method != method:
                    continue
                if not path.startswith(rule.path_prefix):
                    continue
                kind = rule.kind
                if kind == "transient":
                    pool = TRANSIENT_FILE if category == "file" else TRANSIENT_API
                    kind = self._rng.choice(pool)
                if not applies(kind, category):
                    continue
                if kind in ERRORS and effects.error is not None:
                    continue
                if rule.rate is not None and self._rng.random() >= rule.rate:
                    continue
                if rule.every is not None:
                    rule.seen += 1
                    if rule.seen % rule.every:
                        continue
                if rule.count is not None:
                    rule.count -= 1
                    if rule.count <= 0:
                        self._rules.remove(rule)
                self._apply(effects, kind, rule)
        return effects

    def _apply(self, effects: Effects, kind: str, rule: FaultRule) -> None:
        effects.names.append(kind)
        params = rule.params
        if kind in ERRORS:
            effects.error = kind
            if kind == "429":
                default = self._rng.randint(1, 2) if rule.kind == "transient" else 1
                effects.retry_after = int(params.get("retry_after", default))
        elif kind == "slow":
            default_delay = self._rng.uniform(0.2, 1.0) if rule.kind == "transient" else 1.0
            effects.delay += float(params.get("delay", default_delay))
        elif kind == "drop":
            effects.drop = True
            after = params.get("after_bytes")
            effects.drop_after = int(after) if after is not None else None
        elif kind == "no_range":
            effects.no_range = True
        elif kind == "lost_reply":
            effects.lost_reply = True
        elif kind in ODD_HEADERS:
            effects.headers.extend(ODD_HEADERS[kind])
        else:
            effects.transforms.append(kind)
