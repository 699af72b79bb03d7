"""A clock that stands still, so that ages ("5 minutes ago") in tests and screenshots never change."""

from __future__ import annotations


class FrozenClock:
    def __init__(self, at: float) -> None:
        self.at = at

    def now(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds
