"""What a download knows about itself: its progress, and the partial files it resumes from.

Kept apart from :mod:`terjman_desktop.core.models.download` so that module reads as the retry and
verification algorithm alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from terjman_desktop.core.diskspace import format_size
from terjman_desktop.core.translate import FileEntry

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


class RateGuard:
    """Notices a transfer that stays below ``min_rate`` bytes/s over ``window`` seconds.

    A read timeout cannot: a server sending one byte every few seconds answers every read in
    time, forever. The rate is measured over a sliding window on a clock that stops while
    the download is paused, so a pause never looks like a slow server. A transfer is judged
    only once it has run for a whole window.
    """

    def __init__(
        self, min_rate: float, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.min_rate = min_rate
        self.window = window
        self._clock = clock
        self._paused = 0.0  # seconds to subtract from the clock
        self._start = clock()
        self._total = 0
        # (active time, bytes so far); the first sample is the newest at or before the window.
        self._samples: deque[tuple[float, int]] = deque([(self._start, 0)])

    def _now(self) -> float:
        return self._clock() - self._paused

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Time spent inside this block does not count (waiting while paused)."""
        started = self._clock()
        try:
            yield
        finally:
            self._paused += self._clock() - started

    def add(self, count: int) -> None:
        now = self._now()
        self._total += count
        self._samples.append((now, self._total))
        while len(self._samples) > 1 and self._samples[1][0] <= now - self.window:
            self._samples.popleft()

    def too_slow(self) -> bool:
        if self.min_rate <= 0:
            return False
        now = self._now()
        if now - self._start < self.window:
            return False
        while len(self._samples) > 1 and self._samples[1][0] <= now - self.window:
            self._samples.popleft()
        received = self._total - self._samples[0][1]
        return received < self.min_rate * self.window

    def describe(self) -> str:
        return f"less than {format_size(self.min_rate)}/s for {self.window:g} s"


class PartFile:
    """The ``.part`` file of one download and the running hash of its bytes.

    The hash is the one ``remote`` is known by (:func:`new_hasher`). A hash object cannot be
    saved, so after a restart (or whenever the file may differ from what was hashed) the state
    is rebuilt by re-reading the file: resuming costs one local read, never a network one.
    """

    def __init__(self, path: Path, remote: FileEntry) -> None:
        self.path = path
        self.remote = remote
        self.offset = 0
        self.hasher = new_hasher(remote)
        self._synced = False

    def sync(self) -> None:
        """Make (offset, hash) describe the file on disk, re-hashing it when they may not."""
        size = self.path.stat().st_size if self.path.is_file() else 0
        if self._synced and size == self.offset:
            return
        self.hasher = new_hasher(self.remote)
        if size:
            with open(self.path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    self.hasher.update(chunk)
        self.offset, self._synced = size, True

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.offset, self.hasher, self._synced = 0, new_hasher(self.remote), True

    def verified(self) -> bool:
        """True when the bytes hashed so far are exactly the expected file."""
        return self.offset == self.remote.size and self.hasher.hexdigest() == expected_digest(
            self.remote
        )


class HashThread:
    """Feeds a hash object from a helper thread, so hashing overlaps the network reads.

    ``hashlib`` releases the GIL on large updates, so on a fast link (a LAN mirror) the hash
    runs on another core instead of adding its time to the transfer's. Leaving the ``with``
    block waits until every chunk given to :meth:`update` has been hashed, error or not.
    """

    def __init__(self, hasher: hashlib._Hash) -> None:
        self._hasher = hasher
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=64)
        self._thread = threading.Thread(target=self._run, name="download-hash", daemon=True)

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


def new_hasher(remote: FileEntry) -> hashlib._Hash:
    """A hash object whose digest of the file's bytes is :func:`expected_digest` when intact.

    SHA-256 when it is known (the stronger one), else the git blob SHA-1, whose input starts
    with the header ``blob <size>`` and a NUL byte. The header uses the expected size: a file
    of another size gets another digest, which is what verification needs.
    """
    if remote.sha256 is not None:
        return hashlib.sha256()
    hasher = hashlib.sha1()
    hasher.update(b"blob %d\0" % remote.size)
    return hasher


def expected_digest(remote: FileEntry) -> str:
    """The hex digest :func:`new_hasher` must produce, lowercase."""
    digest = remote.sha256 if remote.sha256 is not None else remote.git_sha1
    if digest is None:  # FileEntry refuses this; kept for objects built around it
        raise ValueError(f"{remote.path!r} has no known hash")
    return digest.lower()


def hash_name(remote: FileEntry) -> str:
    """The name of the hash a file is verified by, for messages."""
    return "SHA-256" if remote.sha256 is not None else "git blob SHA-1"


def file_matches(path: Path, remote: FileEntry) -> bool:
    """True when the file at ``path`` has the size and hash of ``remote``."""
    if not path.is_file() or path.stat().st_size != remote.size:
        return False
    hasher = new_hasher(remote)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest() == expected_digest(remote)


def bytes_present(remote: FileEntry, staging_dir: Path) -> int:
    """Bytes of ``remote`` already in staging (complete file or partial), by size only."""
    final = staging_dir / remote.path
    part = final.with_name(final.name + ".part")
    if final.is_file() and final.stat().st_size == remote.size:
        return remote.size
    size = part.stat().st_size if part.is_file() else 0
    return size if size <= remote.size else 0
