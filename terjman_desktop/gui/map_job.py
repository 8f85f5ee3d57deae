"""Learning an installed model's vocabulary map again, in the background (model manager).

A model converted on this computer learns its vocabulary map right after its install
(:mod:`~terjman_desktop.gui.install_job`). When that did not happen (the network was down,
the dataset viewer answered 404, the person cancelled, maps were off in the settings),
:func:`offers_map` says the model manager may offer it again, and :func:`start_map` runs it
as the install's map phase runs: the same phase texts, cancellable, half the cores, and a
short note (:func:`~terjman_desktop.gui.install_job.map_note`) instead of an error box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import CancelledError
from terjman_desktop.core.models import (
    MAP_PHASES,
    PHASE_MAP_SAMPLE,
    InstalledModel,
    InstallProgress,
    has_vocabulary_map,
    installed_map_corpus,
)
from terjman_desktop.core.settings import Settings
from terjman_desktop.gui.install_job import map_phase_text
from terjman_desktop.gui.operations.models import InstallOutcome, ModelOps
from terjman_desktop.gui.task_runner import Task

# Called by this name so that lupdate finds each string with its context.
translate = QCoreApplication.translate


def offers_map(model: InstalledModel, settings: Settings) -> bool:
    """Whether a vocabulary map can be learned for ``model`` now.

    It has none, its source names the dataset it was trained on, and the settings use maps.
    """
    return (
        settings.use_vocabulary_map
        and not has_vocabulary_map(model)
        and installed_map_corpus(model) is not None
    )


@dataclass
class MapJob:
    """A vocabulary map being learned for an installed model."""

    model: InstalledModel
    control: CancelToken = field(default_factory=CancelToken)
    task: Task[InstallOutcome] | None = None
    progress: InstallProgress | None = None

    @property
    def fraction(self) -> float:
        """How far the current phase is, from 0 to 1 (each phase starts again at 0)."""
        p = self.progress
        return min(1.0, p.done / p.total) if p is not None and p.total > 0 else 0.0

    def cancel(self) -> None:
        self.control.cancel()

    def status_text(self) -> str:
        """``Learning the vocabulary map on this computer… 40%``, as during an install."""
        if self.control.cancelled:
            return translate("install_job", "Cancelling…")
        p = self.progress
        phase = p.phase if p is not None and p.phase in MAP_PHASES else PHASE_MAP_SAMPLE
        text = map_phase_text(phase, f"{100 * self.fraction:.0f}%")
        assert text is not None  # every map phase has its words
        return text


def start_map(
    ops: ModelOps,
    model: InstalledModel,
    *,
    on_change: Callable[[MapJob], None],
    on_done: Callable[[InstallOutcome], None],
) -> MapJob:
    """Learn ``model``'s vocabulary map in the background; callbacks run on the GUI thread.

    ``on_done`` always comes, with the outcome: the map, or why there is none (a cancel is
    a :class:`~terjman_desktop.core.errors.CancelledError` there). When a map was added,
    the model's loaded copy is unloaded first (on the model thread), so the next
    translation loads the model with its map.
    """
    job = MapJob(model)

    def progress(value: object) -> None:
        if isinstance(value, InstallProgress):
            job.progress = value
            on_change(job)

    def done(outcome: InstallOutcome) -> None:
        if outcome.vocabulary_map is not None:
            # Queued on the model thread before anything on_done starts.
            ops.unload(outcome.model.path).run()
        on_done(outcome)

    def cancelled() -> None:
        future = job.task.future if job.task is not None else None
        if (
            future is not None
            and future.done()
            and not future.cancelled()
            and future.exception() is None
        ):
            done(future.result())  # it finished before the cancel reached it
            return
        on_done(InstallOutcome(model, True, None, CancelledError()))

    def failed(error: BaseException) -> None:
        # The op tells a failed map in its outcome; only a bug gets here. Still a note.
        problem = error if isinstance(error, Exception) else RuntimeError(str(error))
        on_done(InstallOutcome(model, True, None, problem))

    job.task = (
        ops.learn_map(model, job.control)
        .on_done(done)
        .on_error(failed)
        .on_progress(progress)
        .on_cancelled(cancelled)
        .run()
    )
    return job
