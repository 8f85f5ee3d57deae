"""One model install running in the background, as the welcome and the model manager show it.

:func:`start_install` runs the install operation
(:meth:`~terjman_desktop.gui.operations.models.ModelOps.install`, with the settings' install
policy) on the task runner's I/O pool: a released package is downloaded, a Hugging Face
checkpoint is downloaded then converted on this computer, and then, when the catalog names
the model's training dataset, given a vocabulary map learned here
(:mod:`~terjman_desktop.core.models.speedup`). :class:`InstallJob` keeps what the screens
need to show it (the phase and its progress, a wait for another install of the same model)
and the :class:`~terjman_desktop.core.cancel.PauseToken` that pauses the download or
cancels any phase. A cancel while the map is learned leaves the model installed, without a
map: that install is done, not cancelled. :func:`map_note` says what became of the map.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.diskspace import format_size
from terjman_desktop.core.errors import CancelledError
from terjman_desktop.core.models import (
    PHASE_CONVERT,
    PHASE_DOWNLOAD,
    PHASE_INSTALL,
    PHASE_MAP_BUILD,
    PHASE_MAP_CHECK,
    PHASE_MAP_SAMPLE,
    PHASE_RESOLVE,
    CatalogEntry,
    InstallProgress,
    LockWait,
    MapRejectedError,
)
from terjman_desktop.gui import errors
from terjman_desktop.gui.model_info import format_duration
from terjman_desktop.gui.operations.models import InstallOutcome, ModelOps
from terjman_desktop.gui.task_runner import Task

# Called by this name so that lupdate finds each string with its context.
translate = QCoreApplication.translate


@dataclass
class InstallJob:
    """A running (or paused) install of a catalog entry."""

    entry: CatalogEntry
    control: PauseToken = field(default_factory=PauseToken)
    task: Task[InstallOutcome] | None = None
    progress: InstallProgress | None = None
    waiting: LockWait | None = None

    @property
    def phase(self) -> str:
        return self.progress.phase if self.progress is not None else PHASE_RESOLVE

    @property
    def fraction(self) -> float:
        """How far the current phase is, from 0 to 1 (each phase starts again at 0)."""
        p = self.progress
        return min(1.0, p.done / p.total) if p is not None and p.total > 0 else 0.0

    @property
    def can_pause(self) -> bool:
        # Only the download waits on the pause token: a paused conversion would not stop.
        return self.phase == PHASE_DOWNLOAD and not self.control.paused

    @property
    def paused(self) -> bool:
        return self.control.paused

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def cancel(self) -> None:
        self.control.cancel()

    def status_text(self) -> str:
        """``Downloading… 40% · 2.1 MB/s · 1 min left``, ``Converting on this computer… 60%``."""
        percent = f"{100 * self.fraction:.0f}%"
        if self.control.cancelled:
            return translate("install_job", "Cancelling…")
        if self.waiting is not None:
            return translate("install_job",
                             "Waiting for another Terjman to finish installing this model…")
        if self.paused:
            return translate("install_job", "Paused at {percent}").format(percent=percent)
        phase, p = self.phase, self.progress
        if phase == PHASE_DOWNLOAD:
            download = p.download if p is not None else None
            if download is None:
                return translate("install_job", "Downloading… {percent}").format(percent=percent)
            return translate("install_job", "Downloading… {percent} · {rate}/s · {eta}").format(
                percent=percent, rate=format_size(download.bytes_per_second),
                eta=format_duration(download.eta_seconds))
        if phase == PHASE_CONVERT:
            return translate("install_job", "Converting on this computer… {percent}").format(
                percent=percent)
        if phase == PHASE_INSTALL:
            return translate("install_job", "Checking and installing… {percent}").format(
                percent=percent)
        map_text = map_phase_text(phase, percent)
        if map_text is not None:
            return map_text
        return translate("install_job", "Asking Hugging Face for the model's files…")


def map_phase_text(phase: str, percent: str) -> str | None:
    """What a vocabulary map's phase shows (``Learning the vocabulary map… 40%``), or None.

    The same words whether the map follows an install or is learned again later.
    """
    if phase == PHASE_MAP_SAMPLE:
        return translate("install_job",
                         "Reading training sentences for the vocabulary map… {percent}"
                         ).format(percent=percent)
    if phase == PHASE_MAP_BUILD:
        return translate("install_job",
                         "Learning the vocabulary map on this computer… {percent}"
                         ).format(percent=percent)
    if phase == PHASE_MAP_CHECK:
        return translate("install_job", "Checking the vocabulary map… {percent}").format(
            percent=percent)
    return None


def start_install(
    ops: ModelOps,
    entry: CatalogEntry,
    *,
    on_change: Callable[[InstallJob], None],
    on_done: Callable[[InstallOutcome], None],
    on_error: Callable[[BaseException], None],
    on_cancelled: Callable[[], None],
) -> InstallJob:
    """Install ``entry`` in the background; callbacks run on the GUI thread.

    The install policy (token, mirrors) is the settings' as they are now. ``on_change``
    follows the phases and their progress. A cancel that comes after the install finished
    (while the vocabulary map is learned, or later) is no cancel: ``on_done`` gets the
    installed model then.

    Before ``on_done``, the model's loaded copy (if any) is unloaded on the model thread:
    the install, and then the map, replaced its folder at the same path, and a translator
    loaded from the old one would go on translating without the map.
    """
    job = InstallJob(entry)

    def progress(value: object) -> None:
        if isinstance(value, LockWait):
            job.waiting = value
        elif isinstance(value, InstallProgress):
            job.waiting = None
            job.progress = value
        on_change(job)

    def done(outcome: InstallOutcome) -> None:
        # Queued on the model thread before anything on_done starts: a translation asked
        # for after the install loads the model as installed now.
        ops.unload(outcome.model.path).run()
        on_done(outcome)

    def cancelled() -> None:
        future = job.task.future if job.task is not None else None
        if future is not None and future.done() and not future.cancelled() \
                and future.exception() is None:
            done(future.result())  # it finished before the cancel reached it
            return
        # A Hub download is kept elsewhere (it resumes next time); the staging folder only
        # holds what the conversion or a released package's download had written.
        ops.clean_staging(entry.id).run()
        on_cancelled()

    job.task = (ops.install(entry, job.control).on_done(done).on_error(on_error)
                .on_progress(progress).on_cancelled(cancelled).run())
    return job


def map_note(outcome: InstallOutcome) -> str | None:
    """One short line on the vocabulary map learned after an install, or None (none wanted).

    A map is only a speed-up: a missing one is said plainly, never as an error.
    """
    name = outcome.model.name
    if not outcome.map_wanted:
        return None
    if outcome.vocabulary_map is not None:
        return translate("install_job",
                         "{name} has a vocabulary map learned on this computer: it translates "
                         "faster, with the same results.").format(name=name)
    problem = outcome.map_problem
    if isinstance(problem, CancelledError):
        why = translate("install_job", "it was cancelled.")
    elif isinstance(problem, MapRejectedError):
        why = translate("install_job",
                        "the map learned here would have changed some translations.")
    else:
        why = errors.describe(problem).text if problem is not None else ""
    return translate("install_job",
                     "{name} is installed and translates, a little slower, without a "
                     "vocabulary map: {why}").format(name=name, why=why).strip()
