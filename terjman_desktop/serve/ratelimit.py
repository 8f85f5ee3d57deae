"""Requests per client per minute: a sliding window per client address."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
MAX_CLIENTS_TRACKED = 10_000  # a flood of addresses cannot grow memory without bound


class RateLimiter:
    """At most ``per_minute`` requests per client in any 60 seconds (0: unlimited).

    Args:
        per_minute: The limit.
        clock: Seconds from any origin (tests may pass their own).
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, client: str, cost: int = 1) -> int | None:
        """Count a request of ``client``: None when allowed, else seconds until it would be.

        ``cost``: what the request counts for (a list of texts costs one per text, as in
        LibreTranslate). A cost above the limit counts as the whole limit, so a big request
        can always pass once the client's minute is clear.
        """
        if self.per_minute <= 0:
            return None
        cost = max(1, min(cost, self.per_minute))
        now = self._clock()
        with self._lock:
            times = self._seen.pop(client, None) or deque()
            self._seen[client] = times  # most recent clients last
            while times and times[0] <= now - WINDOW_SECONDS:
                times.popleft()
            if len(times) + cost > self.per_minute:
                # The wait until enough of the oldest requests leave the window.
                oldest = times[len(times) + cost - self.per_minute - 1]
                return max(1, math.ceil(oldest + WINDOW_SECONDS - now))
            times.extend([now] * cost)
            while len(self._seen) > MAX_CLIENTS_TRACKED:
                self._seen.popitem(last=False)
            return None
