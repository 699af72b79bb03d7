"""Speed and ETA from byte counts over time: pure, clock injected, so tests need no sleeping."""

from __future__ import annotations

from collections import deque

WINDOW_SECONDS = 3.0


class RateMeter:
    """Bytes per second over the last few seconds, so a stall shows quickly as a falling rate."""

    def __init__(self, window: float = WINDOW_SECONDS) -> None:
        self._window = window
        self._samples: deque[tuple[float, int]] = deque()

    def reset(self) -> None:
        self._samples.clear()

    def add(self, now: float, done: int) -> None:
        if self._samples and done < self._samples[-1][1]:
            # A restart from zero: old samples would make the rate negative.
            self._samples.clear()
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self._window:
            self._samples.popleft()

    @property
    def speed(self) -> float:
        if len(self._samples) < 2:
            return 0.0
        (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0


def eta(done: int, total: int | None, speed: float) -> float | None:
    if total is None or speed <= 0 or done >= total:
        return None
    return (total - done) / speed
