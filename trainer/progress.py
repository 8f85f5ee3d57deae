"""Progress of a long translation run, as log lines: done/total, sentences per second, ETA.

Evaluation and distillation translate thousands to millions of sentences; a run that says
nothing for 14 minutes cannot be told from a hung one. :class:`Progress` is the callback
both translation paths take (``(done, total)``, the engine's progress signature) and logs at
most every few seconds, plus once at the end. Log lines rather than a terminal bar: the runs
that last are on remote machines whose output goes to log files.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger("trainer.progress")


def format_duration(seconds: float) -> str:
    """``75`` → ``1:15``, ``3725`` → ``1:02:05``."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """A ``(done, total)`` callback that logs throughput and the time left.

    Args:
        label: What is being translated (``en-ary``, ``shard 3/8``).
        total: Sentences to do; a callback's own total replaces it when given.
        every: Least seconds between two log lines (the last one is always logged).
        clock: Seconds, monotonic (a parameter so tests can drive it).
    """

    def __init__(
        self,
        label: str,
        total: int,
        *,
        every: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = total
        self.every = every
        self.clock = clock
        self.started = clock()
        self.done = 0
        self._last_logged: float | None = None

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started

    @property
    def rate(self) -> float:
        """Sentences per second so far."""
        elapsed = self.elapsed
        return self.done / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        rate = self.rate
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        left = self.total - self.done
        eta = format_duration(left / rate) if rate > 0 else "?"
        return (
            f"{self.label}: {self.done}/{self.total} sentences{share}, "
            f"{rate:.1f} sentences/s, ETA {eta}"
        )

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        self.done = done
        now = self.clock()
        finished = done >= self.total
        due = self._last_logged is None or now - self._last_logged >= self.every
        if (due and done > 0) or finished:
            self._last_logged = now
            logger.info("%s", self.line())
