"""The model manager: the catalog and every model on disk; install, repair, delete, share.

Every catalog entry that can be installed — a released package, or a Hugging Face
repository converted on this computer — has an Install action whose progress shows in the
status column by phase (downloading with rate and time left, converting, learning the
vocabulary map, paused); what became of the map is said under the table. An installed
model whose map was not learned then (offline, cancelled, maps off) offers Speed up, which
learns it in the background (:mod:`~terjman_desktop.gui.map_job`). Gated
entries explain how to get a token before anything starts. A damaged model keeps its row
and offers Repair (install it again from the catalog, else import it again) and Delete.

What is shown lives in :mod:`~terjman_desktop.gui.model_manager_view`; this module wires the
buttons to operations (:class:`~terjman_desktop.gui.operations.models.ModelOps`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import HubAccessError
from terjman_desktop.core.models import CatalogEntry, InstalledModel, LockWait, VerifyResult
from terjman_desktop.gui import errors
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.hub_access import GatedAccessDialog, has_token
from terjman_desktop.gui.install_job import map_note, start_install
from terjman_desktop.gui.licenses import confirm_license
from terjman_desktop.gui.map_job import start_map
from terjman_desktop.gui.model_import import choose_model_folder, choose_package_file, import_path
from terjman_desktop.gui.model_info import isolate
from terjman_desktop.gui.model_manager_view import PROGRESS_STEPS, ModelManagerView, Removal
from terjman_desktop.gui.operations import Op
from terjman_desktop.gui.operations.models import InstallOutcome

T = TypeVar("T")


class ModelManagerDialog(ModelManagerView):
    """Keep one per main window: installs go on while it is closed.

    Signals:
        models_changed(): a model was installed, imported, repaired or deleted.
        note(str, str): a model id and a line on it for the window's status bar (what became
            of the vocabulary map learned after its install); the dialog shows it too.
    """

    models_changed = Signal()
    note = Signal(str, str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.gated_dialog: GatedAccessDialog | None = None
        b = self.buttons
        b["install"].clicked.connect(self.install_selected)
        b["pause"].clicked.connect(lambda: self._control("pause"))
        b["resume"].clicked.connect(lambda: self._control("resume"))
        b["cancel"].clicked.connect(lambda: self._control("cancel"))
        b["repair"].clicked.connect(self.repair_selected)
        b["delete"].clicked.connect(self.delete_selected)
        b["verify"].clicked.connect(self.verify_selected)
        b["export"].clicked.connect(self.export_selected)
        b["speed_up"].clicked.connect(self.learn_map_selected)
        b["import_file"].clicked.connect(lambda: self.import_from(choose_package_file(self)))
        b["import_folder"].clicked.connect(lambda: self.import_from(choose_model_folder(self)))
        b["refresh"].clicked.connect(lambda: self.reload(refresh=True))
        self.reload()

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
        if not confirm_license(self, entry, self.accepted_licenses):
            return
        if entry.id not in self.accepted_licenses:
            self.accepted_licenses.add(entry.id)
            self.ops.accept_license(entry.id).run()

        def finished(outcome: InstallOutcome) -> None:
            self.installs.pop(entry.id, None)
            note = map_note(outcome)
            if note is not None:  # a missing map is a note, not an error box
                self._say(note)
                self.note.emit(entry.id, note)
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
            self.ops, entry,
            on_change=lambda job: self._refresh_row(job.entry.id),
            on_done=finished, on_error=failed, on_cancelled=cancelled)
        self._refresh_row(entry.id)

    def _ask_for_token(self, entry: CatalogEntry, problem: str = "") -> None:
        """Explain the gated model's steps (page link, token field); install once given."""
        dialog = GatedAccessDialog(entry, self.context, self, problem=problem)
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
        mapping = self.maps.get(model_id)
        if job is not None:
            getattr(job, action)()
        elif removal is not None and action == "cancel":
            removal.token.cancel()
        elif mapping is not None and action == "cancel":
            mapping.cancel()
        self._refresh_row(model_id)

    # ------------------------------------------------------------------ models on disk

    def learn_map_selected(self) -> None:
        """Speed up: learn the vocabulary map of an installed model that has none.

        For a model whose map was not learned after its install (offline, the dataset
        viewer failed, cancelled, maps off then). It runs in the background like an
        install's map phase; what became of it is a note, never an error box.
        """
        stored = self.stored.get(self.table.selected_id() or "")
        model_id = stored.id if stored is not None else ""
        if stored is None or stored.model is None or not self._offers_map(stored) \
                or model_id in self.maps or model_id in self.installs \
                or model_id in self.removals:
            return

        def finished(outcome: InstallOutcome) -> None:
            self.maps.pop(model_id, None)
            note = map_note(outcome)
            if note is not None:
                self._say(note)
                self.note.emit(model_id, note)
            if outcome.vocabulary_map is not None:
                self.models_changed.emit()
            self.reload()

        self.maps[model_id] = start_map(
            self.ops, stored.model, on_change=lambda job: self._refresh_row(job.model.id),
            on_done=finished)
        self._refresh_row(model_id)

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

        # The store may wait for another Terjman installing this model; the wait is shown
        # and can be cancelled.
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

        removal.task = (self.ops.delete(stored).on_done(done).on_error(failed)
                        .on_progress(waiting).on_cancelled(ended).with_token(removal.token)
                        .run())
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

        self._with_progress(self.ops.verify(stored.id), done)

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

        self._with_progress(self.ops.export(model.id, destination), done)

    def import_from(self, path: Path | None) -> None:
        if path is None:
            return

        def done(_: InstalledModel) -> None:
            self.models_changed.emit()
            self.reload()

        import_path(self, self.ops, path, done)

    def _with_progress(self, op: Op[T], done: Callable[[T], None]) -> None:
        def progress(value: tuple[int, int]) -> None:
            finished, total = value
            self.progress.setValue(int(PROGRESS_STEPS * finished / total) if total else 0)

        def failed(error: BaseException) -> None:
            self.progress.hide()
            self._report(error)

        self.progress.setValue(0)
        self.progress.show()
        op.on_done(done).on_error(failed).on_progress(progress).run()
