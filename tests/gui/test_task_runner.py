"""The task runner: results, errors and progress come back on the GUI thread; cancel wins."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from terjman_desktop.core.errors import CancelledError, PackageError
from terjman_desktop.gui.task_runner import TaskContext, TaskRunner


@pytest.fixture
def runner(qtbot: Any) -> Any:
    runner = TaskRunner()
    yield runner
    runner.shutdown(timeout=5)


def on_gui_thread() -> bool:
    app = QApplication.instance()
    assert app is not None
    return QThread.currentThread() is app.thread()


def test_result_and_progress_arrive_on_gui_thread(runner: TaskRunner, qtbot: Any) -> None:
    worker_threads: list[bool] = []
    progress: list[int] = []
    results: list[int] = []

    def work(ctx: TaskContext) -> int:
        worker_threads.append(on_gui_thread())
        for step in range(5):
            ctx.progress(step)
            time.sleep(0.01)
        return 42

    def done(value: int) -> None:
        assert on_gui_thread()
        results.append(value)

    def progressed(value: int) -> None:
        assert on_gui_thread()
        progress.append(value)

    runner.run_in_background(work, done, on_progress=progressed)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert worker_threads == [False]
    assert progress and progress == sorted(progress)
    assert not runner.busy


def test_error_reaches_handler_on_gui_thread(runner: TaskRunner, qtbot: Any) -> None:
    errors: list[BaseException] = []

    def fail(_: TaskContext) -> None:
        raise PackageError("broken", hint="re-install")

    def handler(error: BaseException) -> None:
        assert on_gui_thread()
        errors.append(error)

    runner.run_in_background(fail, on_error=handler)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], PackageError)


def test_default_error_handler(qtbot: Any) -> None:
    seen: list[BaseException] = []
    runner = TaskRunner(default_error=seen.append)
    runner.run_in_background(lambda _: 1 / 0)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert isinstance(seen[0], ZeroDivisionError)
    runner.shutdown()


def test_cancelled_task_never_delivers(runner: TaskRunner, qtbot: Any) -> None:
    release = threading.Event()
    outcomes: list[str] = []

    def work(ctx: TaskContext) -> str:
        release.wait(5)
        return "stale"  # finished despite the cancel: must still be dropped

    task = runner.run_in_background(work, outcomes.append,
                                    lambda e: outcomes.append("error"),
                                    on_cancelled=lambda: outcomes.append("cancelled"))
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5000)
    assert outcomes == ["cancelled"]


def test_cancel_error_counts_as_cancelled(runner: TaskRunner, qtbot: Any) -> None:
    outcomes: list[str] = []

    def work(ctx: TaskContext) -> None:
        raise CancelledError()

    runner.run_in_background(work, lambda _: outcomes.append("done"),
                             lambda _: outcomes.append("error"),
                             on_cancelled=lambda: outcomes.append("cancelled"))
    qtbot.waitUntil(lambda: bool(outcomes), timeout=5000)
    assert outcomes == ["cancelled"]


def test_model_tasks_run_one_at_a_time_on_one_thread(runner: TaskRunner, qtbot: Any) -> None:
    active = 0
    most = 0
    threads: set[int] = set()
    lock = threading.Lock()
    done: list[int] = []

    def work(models: Any, ctx: TaskContext) -> int:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        threads.add(threading.get_ident())
        time.sleep(0.02)
        with lock:
            active -= 1
        return 1

    for _ in range(5):
        runner.run_with_model(work, done.append)
    qtbot.waitUntil(lambda: len(done) == 5, timeout=5000)
    assert most == 1
    assert len(threads) == 1


def test_queued_cancelled_model_task_does_not_run(runner: TaskRunner, qtbot: Any) -> None:
    release = threading.Event()
    ran: list[str] = []
    runner.run_with_model(lambda m, c: (release.wait(5), ran.append("first")))
    second = runner.run_with_model(lambda m, c: ran.append("second"))
    second.cancel()
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert ran == ["first"]


def test_busy_signal(runner: TaskRunner, qtbot: Any) -> None:
    states: list[bool] = []
    runner.busy_changed.connect(states.append)
    runner.run_in_background(lambda _: time.sleep(0.05))
    qtbot.waitUntil(lambda: states == [True, False], timeout=5000)


def test_shutdown_cancels_running_work(qtbot: Any) -> None:
    runner = TaskRunner()
    started = threading.Event()
    seen: list[bool] = []

    def work(ctx: TaskContext) -> None:
        started.set()
        while not ctx.cancel.cancelled:
            time.sleep(0.01)
        seen.append(True)

    runner.run_in_background(work)
    assert started.wait(5)  # running, not still queued (a queued task is only dropped)
    runner.shutdown(timeout=5)
    assert seen == [True]
    assert runner.run_in_background(lambda _: 1).cancelled  # closed: nothing runs
