"""Cancel and pause tokens shared by long-running core calls.

Core functions are blocking; the caller (a GUI worker thread, the CLI's Ctrl+C handler)
keeps the token and flips it from another thread. The work checks it between units
(batches, chunks) and raises :class:`~terjman_desktop.core.errors.CancelledError`.
"""

from __future__ import annotations

import threading

from terjman_desktop.core.errors import CancelledError


class CancelToken:
    """A thread-safe flag that asks an operation to stop as soon as it can."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError()


class PauseToken(CancelToken):
    """A cancel token that can also pause an operation (downloads) until resumed."""

    def __init__(self) -> None:
        super().__init__()
        self._running = threading.Event()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def cancel(self) -> None:
        super().cancel()
        self._running.set()  # wake a paused waiter so it can see the cancellation

    def wait_if_paused(self, poll_seconds: float = 0.2) -> None:
        """Block while paused; raise CancelledError if cancelled meanwhile."""
        while not self._running.wait(poll_seconds):
            pass
        self.raise_if_cancelled()
