"""The one way the GUI runs core work: worker threads in, results out by Qt signals.

Modelled on Anki's ``taskman``/``QueryOp``: a blocking core call runs on a worker thread and
its result, error or progress is handed back to the GUI thread, where the callbacks run.
Workers never touch a widget. Two executors:

* a small pool for I/O-bound work (downloads, imports, verification, history, catalog);
* named serial queues (``queue="history"``): one thread each, for work that must not
  overlap with itself, such as the history database;
* one *model* thread that owns the :class:`~terjman_desktop.core.translate.ModelCache`. Every
  task that loads or uses a CTranslate2 model runs there, one after another, so a model is
  never used from two threads and never unloaded while it translates.

Every task has a :class:`~terjman_desktop.core.cancel.CancelToken`. A cancelled task never
calls ``on_done`` (even if its work finished anyway), so a stale translation can never
overwrite a newer one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import CancelledError
from terjman_desktop.core.translate import ModelCache

logger = logging.getLogger(__name__)

T = TypeVar("T")
DoneCallback = Callable[[T], None]
ErrorCallback = Callable[[BaseException], None]
ProgressCallback = Callable[[Any], None]


class _Bridge(QObject):
    """Lives in the GUI thread; a callable emitted from any thread runs there, queued."""

    call = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.call.connect(self._invoke, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _invoke(self, fn: Callable[[], None]) -> None:
        fn()


class TaskContext:
    """What a task's function gets: its cancel token and a thread-safe progress reporter.

    Progress is coalesced: while one report is waiting for the GUI thread, newer ones only
    replace its value, so a chatty callback (a hash loop, a download) cannot flood the event
    queue. The last report always arrives.
    """

    def __init__(self, token: CancelToken, post: Callable[[Any], None] | None) -> None:
        self.cancel = token
        self._post = post
        self._lock = threading.Lock()
        self._pending = False
        self._latest: Any = None

    def progress(self, value: Any) -> None:
        if self._post is None or self.cancel.cancelled:
            return
        with self._lock:
            self._latest = value
            if self._pending:
                return
            self._pending = True
        self._post(self._take)

    def _take(self) -> Any:
        with self._lock:
            self._pending = False
            return self._latest

    def raise_if_cancelled(self) -> None:
        self.cancel.raise_if_cancelled()


class Task(Generic[T]):
    """A handle on background work: cancel it, ask whether it ended."""

    def __init__(self, name: str, token: CancelToken) -> None:
        self.name = name
        self.token = token
        self.future: Future[T] | None = None
        self.finished = False  # set on the GUI thread once its callbacks ran

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled


class TaskRunner(QObject):
    """Runs core work off the GUI thread. Create one per main window, in the GUI thread.

    Signals:
        busy_changed(bool): whether any task is running.
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_workers: int = 4,
        model_cache: ModelCache | None = None,
        default_error: ErrorCallback | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = _Bridge(self)
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="terjman-io")
        self._model_thread = ThreadPoolExecutor(1, thread_name_prefix="terjman-model")
        self._queues: dict[str, ThreadPoolExecutor] = {}
        # Touched only from the model thread (see run_with_model).
        self._models = model_cache or ModelCache(max_loaded=1)
        self._tasks: set[Task[Any]] = set()
        self._closed = False
        self.default_error = default_error

    # ------------------------------------------------------------------ public API

    def run_in_background(
        self,
        fn: Callable[[TaskContext], T],
        on_done: DoneCallback[T] | None = None,
        on_error: ErrorCallback | None = None,
        on_progress: ProgressCallback | None = None,
        *,
        on_cancelled: Callable[[], None] | None = None,
        token: CancelToken | None = None,
        name: str = "task",
        queue: str | None = None,
    ) -> Task[T]:
        """Run ``fn(context)`` on the I/O pool; callbacks run on the GUI thread.

        With ``queue``, tasks of the same queue run one after another, in order.
        """
        executor = self._pool
        if queue is not None:
            if queue not in self._queues:
                self._queues[queue] = ThreadPoolExecutor(1, thread_name_prefix=f"terjman-{queue}")
            executor = self._queues[queue]
        return self._submit(executor, fn, on_done, on_error, on_progress, on_cancelled,
                            token, name)

    def run_with_model(
        self,
        fn: Callable[[ModelCache, TaskContext], T],
        on_done: DoneCallback[T] | None = None,
        on_error: ErrorCallback | None = None,
        on_progress: ProgressCallback | None = None,
        *,
        on_cancelled: Callable[[], None] | None = None,
        token: CancelToken | None = None,
        name: str = "model task",
    ) -> Task[T]:
        """Run ``fn(model_cache, context)`` on the one model thread, after the queued ones."""
        models = self._models
        return self._submit(self._model_thread, lambda ctx: fn(models, ctx), on_done,
                            on_error, on_progress, on_cancelled, token, name)

    def run_on_main(self, fn: Callable[[], None]) -> None:
        """Queue ``fn`` to run on the GUI thread (callable from any thread)."""
        if self._closed:
            return
        try:
            self._bridge.call.emit(fn)
        except RuntimeError:  # the bridge was destroyed while the app quits
            logger.debug("Dropped a callback after shutdown")

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def active(self) -> list[Task[Any]]:
        return list(self._tasks)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Cancel everything, wait up to ``timeout`` seconds, then free the loaded models."""
        if self._closed:
            return
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        futures = {t.future: t.name for t in self._tasks if t.future is not None}
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._model_thread.shutdown(wait=False, cancel_futures=True)
        for executor in self._queues.values():
            executor.shutdown(wait=False, cancel_futures=True)
        # Futures cancelled while queued never reach a "done" state wait() accepts.
        _, pending = wait_futures([f for f in futures if not f.cancelled()], timeout=timeout)
        if pending:
            logger.warning("Background tasks did not stop in time: %s",
                           ", ".join(sorted(futures[f] for f in pending)))
        else:
            self._models.unload()
        self._tasks.clear()

    # ------------------------------------------------------------------ internals

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        fn: Callable[[TaskContext], T],
        on_done: DoneCallback[T] | None,
        on_error: ErrorCallback | None,
        on_progress: ProgressCallback | None,
        on_cancelled: Callable[[], None] | None,
        token: CancelToken | None,
        name: str,
    ) -> Task[T]:
        task: Task[T] = Task(name, token or CancelToken())
        if self._closed:
            task.cancel()
            return task
        post = None
        if on_progress is not None:
            def post(take: Callable[[], Any]) -> None:
                self.run_on_main(lambda: None if task.finished else on_progress(take()))
        context = TaskContext(task.token, post)

        def work() -> T:
            if task.cancelled:  # superseded while it waited in the queue
                raise CancelledError()
            started = time.perf_counter()
            try:
                return fn(context)
            finally:
                logger.debug("%s ran %.3fs", name, time.perf_counter() - started)

        was_busy = self.busy
        self._tasks.add(task)
        future = executor.submit(work)
        task.future = future
        future.add_done_callback(
            lambda f: self.run_on_main(
                lambda: self._finish(task, f, on_done, on_error, on_cancelled)
            )
        )
        if not was_busy:
            self.busy_changed.emit(True)
        return task

    def _finish(
        self,
        task: Task[T],
        future: Future[T],
        on_done: DoneCallback[T] | None,
        on_error: ErrorCallback | None,
        on_cancelled: Callable[[], None] | None,
    ) -> None:
        task.finished = True
        if self._closed:  # queued before shutdown: the widgets may be going away
            return
        self._tasks.discard(task)
        if not self._tasks:
            self.busy_changed.emit(False)
        error = None if future.cancelled() else future.exception()
        if future.cancelled() or task.cancelled or isinstance(error, CancelledError):
            if on_cancelled is not None:
                on_cancelled()
            return
        if error is not None:
            if not isinstance(error, Exception):
                raise error
            logger.log(
                logging.INFO if on_error else logging.ERROR,
                "%s failed", task.name, exc_info=error,
            )
            handler = on_error or self.default_error
            if handler is not None:
                handler(error)
            return
        if on_done is not None:
            on_done(future.result())
