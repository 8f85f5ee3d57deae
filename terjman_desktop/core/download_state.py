"""What a download knows about itself: its progress, and the partial files it resumes from.

Kept apart from :mod:`terjman_desktop.core.download` so that module reads as the retry and
verification algorithm alone.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from terjman_desktop.core.catalog import RemoteFile

PROGRESS_INTERVAL = 0.25  # seconds between progress callbacks (plus a final one)
_RATE_WINDOW = 0.5  # seconds over which one rate sample is measured before smoothing


@dataclass(frozen=True)
class DownloadProgress:
    """Where a download stands.

    ``downloaded_bytes`` counts the bytes on disk, resumed ones included; it only goes back
    when a partial file that failed verification is thrown away. ``eta_seconds`` is None
    until a rate has been measured.
    """

    downloaded_bytes: int
    total_bytes: int
    bytes_per_second: float
    eta_seconds: float | None
    current_file: str


class ProgressTracker:
    """Counts bytes on disk per file, smooths the network rate, throttles the callback."""

    def __init__(self, total: int, callback: Callable[[DownloadProgress], None] | None) -> None:
        self.total = total
        self.callback = callback
        self.on_disk: dict[str, int] = {}
        self.done = 0
        self.current = ""
        self.rate = 0.0
        self._network = 0  # bytes received in this call; resumed bytes are not a rate
        self._sample = (time.monotonic(), 0)
        self._last_emit = float("-inf")

    def set(self, path: str, count: int) -> None:
        self.done += count - self.on_disk.get(path, 0)
        self.on_disk[path] = count

    def advance(self, path: str, count: int) -> None:
        self.set(path, self.on_disk.get(path, 0) + count)
        self._network += count
        self.emit()

    def emit(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.callback is None or (not force and now - self._last_emit < PROGRESS_INTERVAL):
            return
        started, received = self._sample
        if now - started >= _RATE_WINDOW:
            sample = (self._network - received) / (now - started)
            # Exponential smoothing: steady figures in the GUI, yet it follows real changes.
            self.rate = sample if self.rate == 0 else 0.3 * sample + 0.7 * self.rate
            self._sample = (now, self._network)
        remaining = max(self.total - self.done, 0)
        eta = 0.0 if remaining == 0 else (remaining / self.rate if self.rate > 0 else None)
        self._last_emit = now
        self.callback(DownloadProgress(self.done, self.total, self.rate, eta, self.current))


class PartFile:
    """The ``.part`` file of one download and the running hash of its bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.hasher = hashlib.sha256()
        self._synced = False

    def sync(self) -> None:
        """Make (offset, hash) describe the file on disk, re-hashing it when they may not."""
        size = self.path.stat().st_size if self.path.is_file() else 0
        if self._synced and size == self.offset:
            return
        self.hasher = hashlib.sha256()
        if size:
            with open(self.path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    self.hasher.update(chunk)
        self.offset, self._synced = size, True

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.offset, self.hasher, self._synced = 0, hashlib.sha256(), True


class HashThread:
    """Feeds a SHA-256 object from a helper thread, so hashing overlaps the network reads.

    ``hashlib`` releases the GIL on large updates, so on a fast link (a LAN mirror) the hash
    runs on another core instead of adding its time to the transfer's. Leaving the ``with``
    block waits until every chunk given to :meth:`update` has been hashed, error or not.
    """

    def __init__(self, hasher: hashlib._Hash) -> None:
        self._hasher = hasher
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=64)
        self._thread = threading.Thread(target=self._run, name="sha256", daemon=True)

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            self._hasher.update(chunk)

    def update(self, chunk: bytes) -> None:
        self._queue.put(chunk)

    def __enter__(self) -> HashThread:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._queue.put(None)
        self._thread.join()


def bytes_present(remote: RemoteFile, staging_dir: Path) -> int:
    """Bytes of ``remote`` already in staging (complete file or partial), by size only."""
    final = staging_dir / remote.path
    part = final.with_name(final.name + ".part")
    if final.is_file() and final.stat().st_size == remote.size:
        return remote.size
    size = part.stat().st_size if part.is_file() else 0
    return size if size <= remote.size else 0
