"""Operations: the only way widgets reach the core, always off the GUI thread.

In Anki's manner (``aqt/operations`` between the widgets and ``pylib``). An operation
object is made from the :class:`~terjman_desktop.gui.context.AppContext` (it takes the shared
service it needs from there: the store, the catalog source, the history database, the
settings…) and each of its methods describes one piece of work as an :class:`Op`: the core
call, the executor it runs on, its name in the log. The widget then says what to do with the
outcome and runs it::

    self.models.verify(model_id).on_progress(self._show).on_done(self._verified).run()

The work runs on the task runner (:mod:`terjman_desktop.gui.task_runner`): the I/O pool, a
named serial queue, or the one model thread; the callbacks run on the GUI thread. A widget
only wires its signals to operations and shows results and errors; it never does file I/O
or builds a core service itself.

* :mod:`.models`: installed models, the catalog, installs, import/export, licenses.
* :mod:`.history`: the history and the phrasebook.
* :mod:`.documents`: a CSV file's columns, translating a document.
* :mod:`.settings`: saving the settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.translate import ModelCache
from terjman_desktop.gui.task_runner import (
    DoneCallback,
    ErrorCallback,
    ProgressCallback,
    Task,
    TaskContext,
    TaskRunner,
)

T = TypeVar("T")


class Op(Generic[T]):
    """One piece of background work, described by an operation and finished by a widget.

    Nothing runs before :meth:`run`. The ``on_*`` methods return the op, so they chain.
    Without :meth:`on_error`, an error goes to the runner's default handler (a message box).
    """

    def __init__(
        self,
        runner: TaskRunner,
        work: Callable[[TaskContext], T] | None = None,
        *,
        name: str,
        queue: str | None = None,
        model_work: Callable[[ModelCache, TaskContext], T] | None = None,
    ) -> None:
        if (work is None) == (model_work is None):
            raise ValueError("an op has either work or model work")
        self.runner = runner
        self.name = name
        self.queue = queue
        self._work = work
        self._model_work = model_work
        self._done: DoneCallback[T] | None = None
        self._error: ErrorCallback | None = None
        self._progress: ProgressCallback | None = None
        self._cancelled: Callable[[], None] | None = None
        self._token: CancelToken | None = None

    @classmethod
    def with_model(cls, runner: TaskRunner, work: Callable[[ModelCache, TaskContext], T], *,
                   name: str) -> Op[T]:
        """Work on the one model thread (it may load, use or unload a CTranslate2 model)."""
        return cls(runner, name=name, model_work=work)

    @property
    def on_model_thread(self) -> bool:
        return self._model_work is not None

    def on_done(self, callback: DoneCallback[T]) -> Op[T]:
        self._done = callback
        return self

    def on_error(self, callback: ErrorCallback) -> Op[T]:
        self._error = callback
        return self

    def on_progress(self, callback: ProgressCallback) -> Op[T]:
        self._progress = callback
        return self

    def on_cancelled(self, callback: Callable[[], None]) -> Op[T]:
        self._cancelled = callback
        return self

    def with_token(self, token: CancelToken) -> Op[T]:
        """Cancel (or pause, with a :class:`~terjman_desktop.core.cancel.PauseToken`) by it."""
        self._token = token
        return self

    def run(self) -> Task[T]:
        """Start the work; the returned task cancels it."""
        if self._model_work is not None:
            return self.runner.run_with_model(
                self._model_work, self._done, self._error, self._progress,
                on_cancelled=self._cancelled, token=self._token, name=self.name)
        assert self._work is not None
        return self.runner.run_in_background(
            self._work, self._done, self._error, self._progress,
            on_cancelled=self._cancelled, token=self._token, name=self.name, queue=self.queue)


__all__ = ["Op"]
