"""The model manager: the catalog and every model on disk; install, repair, delete, share.

Every catalog entry that can be installed — a released package, or a Hugging Face
repository converted on this computer — has an Install action whose progress shows in the
status column by phase (downloading with rate and time left, converting, paused). Gated
entries explain how to get a token before anything starts. A damaged model keeps its row
and offers Repair (install it again from the catalog, else import it again) and Delete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import HubAccessError
from terjman_desktop.core.models import catalog as core_catalog
from terjman_desktop.core.models.catalog import Catalog, CatalogEntry
from terjman_desktop.core.models.store.store import (
    InstalledModel,
    LockWait,
    Store,
    StoredModel,
    VerifyResult,
)
from terjman_desktop.core.settings import Settings
from terjman_desktop.core.translate.engine import ModelCache
from terjman_desktop.gui import errors
from terjman_desktop.gui.hub_access import GatedAccessDialog, has_token
from terjman_desktop.gui.install_job import InstallJob, start_install
from terjman_desktop.gui.licenses import confirm_license
from terjman_desktop.gui.model_import import choose_model_folder, choose_package_file, import_path
from terjman_desktop.gui.model_info import isolate
from terjman_desktop.gui.model_table import ModelTable
from terjman_desktop.gui.task_runner import Task, TaskContext, TaskRunner

T = TypeVar("T")
BUTTONS = ("install", "pause", "resume", "cancel", "repair", "delete", "verify", "export",
           "import_file", "import_folder", "refresh")
PROGRESS_STEPS = 1000
MAX_PROBLEMS_SHOWN = 5


@dataclass
class Removal:
    """A delete under way; it may wait for another Terjman working on the same model."""

    token: CancelToken
    task: Task[None] | None = None
    waiting: bool = False


class ModelManagerDialog(QDialog):
    """Keep one per main window: installs go on while it is closed.

    Signals:
        models_changed(): a model was installed, imported, repaired or deleted.
    """

    models_changed = Signal()

    def __init__(self, runner: TaskRunner, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelManager")
        self.runner = runner
        self.settings = settings
        self.stored: dict[str, StoredModel] = {}
        self.catalog: Catalog | None = None
        self.installs: dict[str, InstallJob] = {}
        self.removals: dict[str, Removal] = {}
        self.gated_dialog: GatedAccessDialog | None = None
        # Whether a token would be sent: read (env, token file) on each reload, not per
        # progress report.
        self.token_known = False
        self.table = ModelTable(self)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.hide()
        self.buttons: dict[str, QPushButton] = {n: QPushButton(self) for n in BUTTONS}
        grid = QGridLayout()
        for index, name in enumerate(BUTTONS):
            grid.addWidget(self.buttons[name], index // 6, index % 6)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.progress)
        layout.addLayout(grid)
        bottom = QHBoxLayout()
        bottom.addStretch()
        bottom.addWidget(close)
        layout.addLayout(bottom)
        b = self.buttons
        b["install"].clicked.connect(self.install_selected)
        b["pause"].clicked.connect(lambda: self._control("pause"))
        b["resume"].clicked.connect(lambda: self._control("resume"))
        b["cancel"].clicked.connect(lambda: self._control("cancel"))
        b["repair"].clicked.connect(self.repair_selected)
        b["delete"].clicked.connect(self.delete_selected)
        b["verify"].clicked.connect(self.verify_selected)
        b["export"].clicked.connect(self.export_selected)
        b["import_file"].clicked.connect(lambda: self.import_from(choose_package_file(self)))
        b["import_folder"].clicked.connect(lambda: self.import_from(choose_model_folder(self)))
        b["refresh"].clicked.connect(lambda: self.reload(refresh=True))
        self.table.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.retranslate()
        self.resize(1320, 600)
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Models"))
        labels = {
            "install": self.tr("&Install"), "pause": self.tr("&Pause"),
            "resume": self.tr("&Resume"), "cancel": self.tr("&Cancel"),
            "repair": self.tr("Rep&air…"), "delete": self.tr("De&lete"),
            "verify": self.tr("&Verify"), "export": self.tr("&Export for sharing…"),
            "import_file": self.tr("Import a &file…"),
            "import_folder": self.tr("Import a f&older…"),
            "refresh": self.tr("Re&fresh the catalog"),
        }
        for name, text in labels.items():
            self.buttons[name].setText(text)
            self.buttons[name].setAccessibleName(text.replace("&", "").rstrip("…"))
        self.details.setAccessibleName(self.tr("Model details"))
        self.table.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ data

    @property
    def installed(self) -> dict[str, InstalledModel]:
        """The models on disk that can be loaded."""
        return {i: s.model for i, s in self.stored.items() if s.model is not None}

    def reload(self, *, refresh: bool = False) -> None:
        """Read the store and the catalog (fetching a fresh one with ``refresh``)."""
        url = self.settings.catalog_url

        def work(_: TaskContext) -> tuple[list[StoredModel], Catalog, Exception | None]:
            if refresh and url:
                catalog, problem = core_catalog.refresh_or_current(url)
            else:
                catalog, problem = core_catalog.current(), None
            return Store().entries(), catalog, problem

        self.runner.run_in_background(work, self._loaded, name="model manager")

    def _loaded(self, found: tuple[list[StoredModel], Catalog, Exception | None]) -> None:
        entries, self.catalog, problem = found
        self.stored = {s.id: s for s in entries}
        statuses = {i: text for i in {*self.installs, *self.removals}
                    if (text := self._busy_status(i))}
        self.token_known = has_token(self.settings)
        self.table.fill(self.stored, self.catalog, statuses, self.token_known)
        self._selection_changed()
        if problem is not None:
            self._report(problem)

    def _entry(self, model_id: str | None) -> CatalogEntry | None:
        return self.catalog.find(model_id) if self.catalog and model_id else None

    def _busy_status(self, model_id: str) -> str | None:
        job, removal = self.installs.get(model_id), self.removals.get(model_id)
        if job is not None:
            return job.status_text()
        if removal is not None:
            return (self.tr("Waiting for another Terjman to finish with this model…")
                    if removal.waiting else self.tr("Deleting…"))
        return None

    def _selection_changed(self) -> None:
        model_id = self.table.selected_id()
        entry, stored = self._entry(model_id), self.stored.get(model_id or "")
        job = self.installs.get(model_id or "")
        busy = job is not None or (model_id or "") in self.removals
        b = self.buttons
        b["install"].setEnabled(bool(entry and entry.installable and not busy and not stored))
        b["pause"].setEnabled(job is not None and job.can_pause)
        b["resume"].setEnabled(job is not None and job.paused)
        b["cancel"].setEnabled(busy and not (job is not None and job.control.cancelled))
        b["repair"].setEnabled(stored is not None and not stored.ok and not busy)
        b["delete"].setEnabled(stored is not None and not busy)
        b["verify"].setEnabled(stored is not None and stored.manifest is not None and not busy)
        b["export"].setEnabled(stored is not None and stored.ok and not busy)
        self.details.setText("\n".join(line for line in self._details(entry, stored) if line))
        self.progress.setVisible(job is not None)
        if job is not None:
            self.progress.setValue(int(PROGRESS_STEPS * job.fraction))

    def _details(self, entry: CatalogEntry | None, stored: StoredModel | None) -> list[str]:
        lines: list[str] = []
        if entry is not None:
            lines += [entry.notes,
                      self.tr("Base model: {base}").format(base=isolate(entry.base_model)),
                      self.tr("License: {license}. {attribution}").format(
                          license=isolate(entry.license), attribution=entry.attribution)]
            if entry.gated:
                lines.append(self.tr(
                    "Gated: installing it needs a Hugging Face access token, after you "
                    "accept its conditions on its Hugging Face page.") if not self.token_known
                    else self.tr("Gated: your Hugging Face token is used."))
        if stored is not None:
            lines.append(self.tr("Installed in {path}").format(path=isolate(str(stored.path))))
            if not stored.ok:
                lines.append(self.tr("What is wrong:"))
                lines += [f"• {problem}" for problem in stored.problems[:MAX_PROBLEMS_SHOWN]]
                lines.append(
                    self.tr("Repair installs it again from the catalog.")
                    if entry is not None and entry.installable else
                    self.tr("Repair imports it again from a model package file."))
        return lines

    def _refresh_row(self, model_id: str) -> None:
        item = self.table.item_for(model_id)
        if item is not None:
            tiers = {e.id: e.tier for e in self.catalog} if self.catalog else {}
            self.table.update_row(item, self.stored.get(model_id), self._entry(model_id),
                                  self._busy_status(model_id), self.token_known, tiers)
        if model_id == self.table.selected_id():
            self._selection_changed()

    # ------------------------------------------------------------------ installs

    def install_selected(self) -> None:
        entry = self._entry(self.table.selected_id())
        if entry is not None and entry.installable and entry.id not in self.installs:
            self.install(entry)

    def install(self, entry: CatalogEntry) -> None:
        """Install (or re-install) ``entry``: a gated one without a token asks for one first."""
        if entry.id in self.installs:
            return
        if entry.gated and not has_token(self.settings):
            self._ask_for_token(entry)
            return
        if not confirm_license(self, entry):
            return

        def finished(model: InstalledModel) -> None:
            self.installs.pop(entry.id, None)
            self.models_changed.emit()
            self.reload()

        def failed(error: BaseException) -> None:
            self.installs.pop(entry.id, None)
            self._refresh_row(entry.id)
            if isinstance(error, HubAccessError):
                message = errors.describe(error)
                self._ask_for_token(entry, problem=f"{message.text}\n{message.hint}")
            else:
                self._report(error)

        def cancelled() -> None:
            self.installs.pop(entry.id, None)
            self._refresh_row(entry.id)

        self.installs[entry.id] = start_install(
            self.runner, entry, self.settings,
            on_change=lambda job: self._refresh_row(job.entry.id),
            on_done=finished, on_error=failed, on_cancelled=cancelled)
        self._refresh_row(entry.id)

    def _ask_for_token(self, entry: CatalogEntry, problem: str = "") -> None:
        """Explain the gated model's steps (page link, token field); install once given."""
        dialog = GatedAccessDialog(entry, self.settings, self.runner, self, problem=problem)
        dialog.accepted.connect(self._token_given)
        dialog.accepted.connect(lambda: self.install(entry))
        self.gated_dialog = dialog
        dialog.open()

    def _token_given(self) -> None:
        self.token_known = has_token(self.settings)
        for model_id in self.stored.keys() | (
                {e.id for e in self.catalog} if self.catalog else set()):
            self._refresh_row(model_id)

    def _control(self, action: str) -> None:
        model_id = self.table.selected_id() or ""
        job, removal = self.installs.get(model_id), self.removals.get(model_id)
        if job is not None:
            getattr(job, action)()
        elif removal is not None and action == "cancel":
            removal.token.cancel()
        self._refresh_row(model_id)

    # ------------------------------------------------------------------ models on disk

    def repair_selected(self) -> None:
        """Install a damaged model again from the catalog, else import it again."""
        stored = self.stored.get(self.table.selected_id() or "")
        if stored is None or stored.ok:
            return
        entry = self._entry(stored.id)
        if entry is not None and entry.installable:
            self.install(entry)
        else:
            self.import_from(choose_package_file(self))

    def delete_selected(self) -> None:
        stored = self.stored.get(self.table.selected_id() or "")
        if stored is None or stored.id in self.removals:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete a model"),
            self.tr("Delete {name} from this computer? You can install it again later.")
            .format(name=stored.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        removal = Removal(CancelToken())
        self.removals[stored.id] = removal

        def work(models: ModelCache, ctx: TaskContext) -> None:
            # On the model thread: never while the model translates. The store may wait for
            # another Terjman installing this model; the wait is shown and can be cancelled.
            models.unload(stored.path)
            Store(on_lock_wait=ctx.progress).remove(stored.id, cancel=ctx.cancel)

        def waiting(value: object) -> None:
            removal.waiting = isinstance(value, LockWait)
            self._refresh_row(stored.id)

        def ended() -> None:
            self.removals.pop(stored.id, None)
            self._refresh_row(stored.id)

        def done(_: None) -> None:
            self.removals.pop(stored.id, None)
            self.stored.pop(stored.id, None)
            self.models_changed.emit()
            self.reload()

        def failed(error: BaseException) -> None:
            ended()
            self._report(error)

        removal.task = self.runner.run_with_model(
            work, done, failed, waiting, on_cancelled=ended, token=removal.token,
            name="delete model")
        self._refresh_row(stored.id)

    def verify_selected(self) -> None:
        stored = self.stored.get(self.table.selected_id() or "")
        if stored is None:
            return

        def done(result: VerifyResult) -> None:
            self.progress.hide()
            if result.ok:
                QMessageBox.information(self, self.tr("Verify"),
                                        self.tr("All files of {name} are intact.")
                                        .format(name=stored.name))
            else:
                QMessageBox.warning(
                    self, self.tr("Verify"),
                    self.tr("{name} is damaged:\n{problems}\n\nRepair it or delete it.")
                    .format(name=stored.name, problems="\n".join(result.problems[:10])))
            self.reload()

        self._with_progress(
            lambda ctx: Store().verify(stored.id, lambda d, t: ctx.progress((d, t)),
                                       ctx.cancel), done, "verify")

    def export_selected(self) -> None:
        model = self.installed.get(self.table.selected_id() or "")
        if model is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export a model for sharing"), f"{model.id}.zip",
            self.tr("Model packages (*.zip)"))
        if not name:
            return
        destination = Path(name)

        def done(path: Path) -> None:
            self.progress.hide()
            QMessageBox.information(self, self.tr("Export"),
                                    self.tr("{name} was saved to {path}. Copy it to a USB stick "
                                            "and use Models → Import on another computer.")
                                    .format(name=isolate(model.name), path=isolate(str(path))))

        self._with_progress(
            lambda ctx: Store().export(model.id, destination, lambda d, t: ctx.progress((d, t)),
                                       ctx.cancel, overwrite=True), done, "export")

    def import_from(self, path: Path | None) -> None:
        if path is None:
            return

        def done(_: InstalledModel) -> None:
            self.models_changed.emit()
            self.reload()

        import_path(self, self.runner, path, done)

    def _with_progress(self, fn: Callable[[TaskContext], T], done: Callable[[T], None],
                       name: str) -> None:
        def progress(value: tuple[int, int]) -> None:
            finished, total = value
            self.progress.setValue(int(PROGRESS_STEPS * finished / total) if total else 0)

        def failed(error: BaseException) -> None:
            self.progress.hide()
            self._report(error)

        self.progress.setValue(0)
        self.progress.show()
        self.runner.run_in_background(fn, done, failed, progress, name=name)

    def _report(self, error: BaseException) -> None:
        if self.runner.default_error is not None:
            self.runner.default_error(error)
