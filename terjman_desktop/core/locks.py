"""Inter-process file locks, so two Terjman processes never install the same model at once.

A lock is an ordinary file locked with ``fcntl.flock`` (POSIX) or ``msvcrt.locking``
(Windows); the operating system drops the lock when the process dies, so a crash never
leaves a stale lock behind. Lock files are never deleted: deleting a lock file while
another process waits on it would let a third process lock a *different* file of the same
name.

Within one process the lock also excludes other threads, because ``flock`` alone would not
reliably exclude a second thread that opened the file again. It does not nest: a thread that
holds it and asks again is refused (``False`` at once with a timeout, ``RuntimeError``
without one, which would otherwise wait for itself forever), so a caller that takes it twice
by mistake is told instead of silently sharing one turn between two operations.

Waiting for a lock can take as long as the other side's download, so a wait can be
cancelled (a :class:`~terjman_desktop.core.cancel.CancelToken`, checked between attempts)
and announces itself once (``on_wait``), so a person is told why nothing happens.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from terjman_desktop.core.cancel import CancelToken

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class _Slot:
    """What this process knows about one lock file: which thread holds it, its descriptor."""

    def __init__(self) -> None:
        self.thread_lock = threading.Lock()
        self.owner: int | None = None
        self.fd: int | None = None


_slots: dict[str, _Slot] = {}
_slots_guard = threading.Lock()


def _slot(key: str) -> _Slot:
    with _slots_guard:
        slot = _slots.get(key)
        if slot is None:
            slot = _slots[key] = _Slot()
        return slot


class FileLock:
    """An exclusive lock on ``path`` shared by threads and processes.

    Args:
        path: The lock file; its folder must exist. The file is created if needed.
        poll_interval: Seconds between attempts while waiting for another process.
    """

    def __init__(self, path: Path, poll_interval: float = 0.05) -> None:
        self.path = Path(path)
        self.poll_interval = poll_interval
        self._slot = _slot(os.path.normcase(os.path.abspath(self.path)))

    def acquire(
        self,
        timeout: float | None = None,
        *,
        cancel: CancelToken | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> bool:
        """Take the lock, waiting at most ``timeout`` seconds (``None``: until it is free).

        Args:
            timeout: Longest wait in seconds; ``None`` waits as long as the holder works.
            cancel: Checked between attempts while waiting.
            on_wait: Called once, in this thread, when the lock is not free at the first
                attempt, before waiting starts (not when it is taken at once).

        Returns:
            Whether the lock is now held (``False`` when the wait timed out, and at once
            when this thread holds it already and ``timeout`` is given).

        Raises:
            RuntimeError: this thread holds the lock already and ``timeout`` is ``None``.
            CancelledError: ``cancel`` was cancelled while waiting.
            OSError: the lock file cannot be opened (a read-only folder, for instance).
        """
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        announced = False

        def may_wait() -> float | None:
            """Seconds to wait before the next attempt; ``None`` when the time is up."""
            nonlocal announced
            if not announced:
                announced = True
                if on_wait is not None:
                    on_wait()
            if cancel is not None:
                cancel.raise_if_cancelled()
            if deadline is None:
                return self.poll_interval
            left = deadline - time.monotonic()
            return min(self.poll_interval, left) if left > 0 else None

        slot = self._slot
        if slot.owner == threading.get_ident():  # only this thread could release it
            if timeout is None:
                raise RuntimeError(f"{self.path} is already locked by this thread.")
            return False
        if not slot.thread_lock.acquire(blocking=False):
            while True:  # another thread of this process holds it
                step = may_wait()
                if step is None:
                    return False
                if slot.thread_lock.acquire(timeout=step):
                    break
        acquired = False
        try:
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
            fd = os.open(self.path, flags, 0o644)
            try:
                while not _try_lock(fd):  # another process holds it
                    step = may_wait()
                    if step is None:
                        os.close(fd)
                        return False
                    time.sleep(step)
            except BaseException:
                os.close(fd)
                raise
            slot.fd = fd
            slot.owner = threading.get_ident()
            acquired = True
            return True
        finally:
            if not acquired:
                slot.thread_lock.release()

    def release(self) -> None:
        """Release the lock (held by this thread); the file is unlocked."""
        slot = self._slot
        if slot.owner != threading.get_ident():
            raise RuntimeError(f"{self.path} is not locked by this thread.")
        fd, slot.fd, slot.owner = slot.fd, None, None
        try:
            if fd is not None:
                try:
                    _unlock(fd)
                finally:
                    os.close(fd)
        finally:
            slot.thread_lock.release()
