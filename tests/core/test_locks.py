"""File locks: one holder across threads and processes, never nested, waits that say so."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import CancelledError
from terjman_desktop.core.locks import FileLock


def test_a_second_acquisition_in_the_same_thread_fails_instead_of_nesting(
    tmp_path: Path,
) -> None:
    lock = FileLock(tmp_path / "model.lock")
    assert lock.acquire(0)
    started = time.monotonic()
    assert not FileLock(tmp_path / "model.lock").acquire(30)  # no use waiting for oneself
    assert time.monotonic() - started < 5
    with pytest.raises(RuntimeError, match="already locked by this thread"):
        lock.acquire()  # would wait for itself forever
    lock.release()
    with pytest.raises(RuntimeError, match="not locked by this thread"):
        lock.release()  # one release was enough: nothing was nested
    assert lock.acquire(0)
    lock.release()


def test_another_thread_waits_says_so_once_and_gets_it_when_released(tmp_path: Path) -> None:
    lock = FileLock(tmp_path / "model.lock", poll_interval=0.01)
    assert lock.acquire(0)
    waits: list[str] = []
    got: list[bool] = []

    def other() -> None:
        mine = FileLock(tmp_path / "model.lock", poll_interval=0.01)
        with pytest.raises(RuntimeError, match="not locked by this thread"):
            mine.release()  # the main thread's to release, not this one's
        got.append(mine.acquire(60, on_wait=lambda: waits.append("waiting")))
        mine.release()

    thread = threading.Thread(target=other)
    thread.start()
    deadline = time.monotonic() + 60
    while not waits and time.monotonic() < deadline:
        time.sleep(0.01)
    lock.release()
    thread.join(timeout=60)
    assert (waits, got) == (["waiting"], [True])


def test_a_wait_times_out_or_is_cancelled(tmp_path: Path) -> None:
    lock = FileLock(tmp_path / "model.lock", poll_interval=0.01)
    assert lock.acquire(0)
    results: list[object] = []

    def other() -> None:
        mine = FileLock(tmp_path / "model.lock", poll_interval=0.01)
        results.append(mine.acquire(0.05))
        token = CancelToken()
        try:
            mine.acquire(None, cancel=token, on_wait=token.cancel)
        except CancelledError as error:
            results.append(error)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(timeout=60)
    lock.release()
    assert results[0] is False
    assert isinstance(results[1], CancelledError)
