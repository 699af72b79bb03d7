"""Failed items grouped by cause: the message with its variable parts replaced, per kind and code."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from hfdash.models import Video
from hfdash.services.kinds import Category, Item, category, created_at, failure_message

# Escape sequences go before anything else: their digits are not a message's numbers.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# Longest first, as each replacement would hide the parts of a longer one: a URL holds a path,
# a path a file name, an id or a time holds numbers.
_VARIABLE = (
    (re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE), "…"),
    (re.compile(r"(?<!\w)['\"`‘“][^'\"`‘’“”\n]{1,300}['\"`’”](?!\w)"), "'…'"),
    (re.compile(r"(?<![\w/.~])(?:~|\.{1,2}|[A-Za-z]:)?[\\/]?(?:[\w.-]+[\\/])+[\w.-]*"), "…"),
    (re.compile(r"(?<![\w.])[\w-]+\.[A-Za-z][A-Za-z0-9]{1,4}\b(?!\.\w)"), "…"),
    (re.compile(r"\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z_-])[\w-]{8,}\b"), "…"),
    (re.compile(r"(?<![\w:])\d+(?::\d\d)+(?:\.\d+)?(?![\w:])"), "N"),
    (re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*\s*(ms|s|secs?|seconds?|mins?|minutes?|h|hours?)\b"), r"N \1"),
    (re.compile(r"(?<![\w.])(?:0x[0-9a-f]+|\d+(?:[.,]\d+)*)(?![\w])", re.IGNORECASE), "N"),
    (re.compile(r"\s+"), " "),
)


@lru_cache(maxsize=65_536)
def template(message: str) -> str:
    """`message` with numbers, ids, quoted names, paths, URLs and durations replaced by a placeholder."""
    text = _ESCAPES.sub("", message)
    for pattern, placeholder in _VARIABLE:
        text = pattern.sub(placeholder, text)
    return text.strip() or "(no message)"


def failure_code(item: Item) -> str:
    return (item.failure_code or "") if isinstance(item, Video) else ""


def failure_key(item: Item) -> str:
    """What puts a failed item in its group within its kind: its code, if any, and its template."""
    code, shape = failure_code(item), template(failure_message(item))
    return f"{code} · {shape}" if code else shape


@dataclass(frozen=True, slots=True)
class FailureGroup:
    """Failed items of one kind that share a code and a template."""

    pane: str
    key: str
    code: str
    template: str
    count: int
    newest: int
    oldest: int
    # The title (or id) of the newest item in it.
    example: str


def group_failures(panes: Mapping[str, Iterable[Item]]) -> list[FailureGroup]:
    """Every failed item of each pane, grouped; the largest group first, then the most recent."""
    found: dict[tuple[str, str], list[Item]] = {}
    for pane, items in panes.items():
        for item in items:
            if category(item) is Category.FAILED:
                found.setdefault((pane, failure_key(item)), []).append(item)
    groups = []
    for (pane, key), members in found.items():
        # Stable, reversed too: of items created at once, the first listed counts as the newest.
        members.sort(key=created_at, reverse=True)
        newest, oldest = members[0], created_at(members[-1])
        code, shape = failure_code(newest), template(failure_message(newest))
        example = newest.title or newest.id
        groups.append(FailureGroup(pane, key, code, shape, len(members), created_at(newest), oldest, example))
    groups.sort(key=lambda group: (-group.count, -group.newest, group.pane, group.key))
    return groups
